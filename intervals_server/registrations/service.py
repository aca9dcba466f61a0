"""Registering and cancelling: seats are counted on the run row, under its lock.

A registration reads its run unlocked, then takes its place in one conditional update of
the run's counters (a seat while one is left, else the waitlist), which locks the run
until the commit. A cancellation (and the waitlist promotion it may start) locks the run
first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already holds
the database's write lock). Either way two requests can never both take the last seat.

Registrations sit above runs and events and reach both through their services; nothing but
the routes imports registrations (a run's new capacity comes here through the PATCH
/runs/{id} route, which hands ``promote_waitlist`` to runs' service).
"""

from __future__ import annotations

from datetime import datetime

from intervals_server.context import RequestContext
from intervals_server.events.service import require_event_row
from intervals_server.kit import ids
from intervals_server.kit.errors import Conflict
from intervals_server.kit.schemas import Data, Page
from intervals_server.models import Registration, RegistrationRow, Run, RunRow
from intervals_server.models.base import utcnow
from intervals_server.models.registration import LIVE_STATUSES
from intervals_server.models.run import seat_left
from intervals_server.registrations.emails import checked_email_key
from intervals_server.registrations.errors import DuplicateRegistration, RegistrationNotFound
from intervals_server.registrations.repository import RegistrationRepository
from intervals_server.registrations.schemas import (
    ParticipantCreated,
    RegistrationCreate,
    RegistrationListQuery,
)
from intervals_server.registrations.schemas import Registration as RegistrationSchema
from intervals_server.runs import service as runs


def present(
    registration: Registration | RegistrationRow, waitlist_position: int | None = None
) -> RegistrationSchema:
    return RegistrationSchema(
        id=registration.id,
        event_id=registration.event_id,
        event_run_id=registration.run_id,
        email=registration.email,
        name=registration.name,
        registration_type=registration.registration_type,  # type: ignore[arg-type]
        registration_status=registration.status,  # type: ignore[arg-type]
        pace_group=registration.pace_group,
        bib_identifier=registration.bib_identifier,
        checked_in=registration.checked_in,
        notes=registration.notes,
        waitlist_position=waitlist_position,
        created_at=registration.created_at,
        updated_at=registration.updated_at,
    )


def closed_reason(run: Run | RunRow, now: datetime) -> str | None:
    """Why the run takes no registrations now, or None when it does."""
    if run.event_status == "cancelled":
        return "This run is cancelled"
    if run.registration_override is not None:
        return f"Registration for this run is {run.registration_override}"
    if run.registration_opens_at is not None and now < run.registration_opens_at:
        return "Registration for this run has not opened yet"
    if run.registration_closes_at is not None and now >= run.registration_closes_at:
        return "Registration for this run has closed"
    return None


def _count(run: Run, status: str, delta: int) -> None:
    if status == "confirmed":
        run.confirmed_count += delta
    elif status == "waitlist":
        run.waitlist_count += delta


async def _take_place(ctx: RequestContext, run_id: str, requested: str | None) -> str:
    """The registration's status, its place counted on the run in one atomic step: a seat
    while one is left, else the waitlist (an explicit ``confirmed`` is sold out instead)."""
    now = utcnow()
    if requested == "waitlist":
        await runs.join_waitlist(ctx, run_id, now, if_full=False)
        return requested
    if requested not in (None, "confirmed"):
        return requested  # not a live place: nothing to count
    # A seat freed between the two steps sends the loop round again, never to the waitlist.
    while not await runs.take_seat(ctx, run_id, now):
        if requested == "confirmed":
            raise Conflict("This run is sold out", reason="sold_out")
        if await runs.join_waitlist(ctx, run_id, now, if_full=True):
            return "waitlist"
    return "confirmed"


async def register(ctx: RequestContext, body: RegistrationCreate) -> Data[ParticipantCreated]:
    """The hot write: prebuilt statements on the transaction's connection. The checks read
    the run unlocked; the place is then taken in one conditional update, which locks the run
    only for the insert and the commit that follow, so registrations for one run queue as
    briefly as possible and still get seats and waitlist places strictly in turn."""
    registrations = RegistrationRepository.of(ctx)
    run = await runs.begin_registration(ctx, body.event_run_id)
    email_key = checked_email_key(body.email)
    # Before the seat and window checks: a retry whose first attempt took the last seat
    # (or came just before the window closed) learns it is registered, not that it failed.
    # (Two attempts at once are both let through here; the unique index refuses the second.)
    if body.status in (None, *LIVE_STATUSES) and await registrations.live_exists(run.id, email_key):
        raise DuplicateRegistration()
    reason = closed_reason(run, utcnow())
    if reason is not None:
        raise Conflict(reason, reason="registration_closed")
    status = await _take_place(ctx, run.id, body.status)
    # Stamped at the insert, under the run's lock: waitlist order (createdAt, _id) is the
    # order places went.
    registration = await registrations.insert_new(
        id=ids.new_id(ids.REGISTRATION),
        event_id=run.event_id,
        run_id=run.id,
        email=body.email,
        email_key=email_key,
        name=body.name,
        registration_type=body.registration_type,
        status=status,
        pace_group=body.pace_group,
        notes=body.notes,
    )
    position = None
    if status == "waitlist":
        positions = await registrations.waitlist_positions([registration])
        position = positions[registration.id]
    return Data(
        ParticipantCreated(
            participant_id=registration.id,
            registration_status=status,  # type: ignore[arg-type]
            waitlist_position=position,
        )
    )


async def promote_waitlist(ctx: RequestContext, run: Run) -> None:
    """Confirm waitlisted registrations, first come first served, while seats remain.

    The caller holds the run's lock.
    """
    if run.waitlist_count == 0 or not seat_left(run):
        return
    free = None if run.max_participants is None else run.max_participants - run.confirmed_count
    registrations = RegistrationRepository.of(ctx)
    await (
        registrations.flush()
    )  # a registration cancelled by this request leaves the waitlist first
    promoted = await registrations.confirm_first_waitlisted(run.id, free, utcnow())
    _count(run, "waitlist", -promoted)
    _count(run, "confirmed", +promoted)


async def cancel(ctx: RequestContext, registration_id: str) -> Data[RegistrationSchema]:
    """Cancel a live registration; cancelling one that is not live changes nothing."""
    registrations = RegistrationRepository.of(ctx)
    found = await registrations.get(registration_id)
    if found is None:
        raise RegistrationNotFound()
    run = await runs.lock_run(ctx, found.run_id)
    registration = await registrations.get_for_update(registration_id)
    assert registration is not None
    if registration.status in LIVE_STATUSES:
        _count(run, registration.status, -1)
        registration.status = "cancelled"
        await promote_waitlist(ctx, run)
        await registrations.flush()
    return Data(present(registration))


async def list_registrations(
    ctx: RequestContext, query: RegistrationListQuery
) -> Page[RegistrationSchema]:
    # A page of rows proves the event is the caller's; only an empty one (or a cursor, which
    # is judged against the event's list) needs the event looked up.
    registrations = RegistrationRepository.of(ctx)
    cursor = query.after is not None or query.before is not None
    if cursor:
        await require_event_row(ctx, query.event_id)
    email_key = None if query.email is None else checked_email_key(query.email, body=False)
    rows, has_more = await registrations.page(query, email_key)
    if not rows and not cursor:
        await require_event_row(ctx, query.event_id)
    positions = await registrations.waitlist_positions(rows)
    return Page([present(row, positions.get(row.id)) for row in rows], has_more)


async def get_registration(ctx: RequestContext, registration_id: str) -> Data[RegistrationSchema]:
    registrations = RegistrationRepository.of(ctx)
    registration = await registrations.find_row(registration_id)
    if registration is None:
        raise RegistrationNotFound()
    positions = await registrations.waitlist_positions([registration])
    return Data(present(registration, positions.get(registration.id)))
