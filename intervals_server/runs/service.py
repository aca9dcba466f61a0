"""Create, change and present runs; the seat counters on them are taken by registrations.

Runs sit below events and registrations (README, "Layout") and import neither: what they
need of the domains above comes in as an argument, the event model itself where the caller
holds it, else a function the route passes in (the event's time zone, the waitlist's
promotion when a capacity changes). ``events/quotas.py``, the bounds an event keeps, is the
one module of events they read: it imports nothing but ``kit``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

from intervals_server.context import EventTimezone, RequestContext
from intervals_server.courses.service import require_course
from intervals_server.events import quotas
from intervals_server.kit import ids
from intervals_server.kit.errors import ValidationFailed, invalid
from intervals_server.kit.pagination import PageQuery
from intervals_server.kit.schemas import Data, Page, local_time
from intervals_server.kit.timeutil import local_to_utc
from intervals_server.models import Course, Event, Run, RunRow
from intervals_server.models.run import seat_left
from intervals_server.runs.errors import RunNotFound
from intervals_server.runs.repository import RunRepository
from intervals_server.runs.schemas import Run as RunSchema
from intervals_server.runs.schemas import RunCreate, RunCreated, RunUpdate

OUT_OF_RANGE = "Out of the range of representable dates once in UTC"

# Fills the seats a run's new capacity frees, the caller holding the run's lock
# (registrations' waitlist promotion).
SeatFiller = Callable[[RequestContext, Run], Awaitable[None]]


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def present(run: Run | RunRow) -> RunSchema:
    return RunSchema(
        id=run.id,
        event_id=run.event_id,
        distance_meters=_number(run.distance_meters),
        distance_standard=run.distance_standard,  # type: ignore[arg-type]
        distance_label=run.distance_label,
        date=run.date,
        start_time=run.start_time,
        event_status=run.event_status,  # type: ignore[arg-type]
        registration_url=run.registration_url,
        registration_opens_at=run.registration_opens_at,
        registration_closes_at=run.registration_closes_at,
        sold_out=not seat_left(run),
        registration_override=run.registration_override,  # type: ignore[arg-type]
        max_participants=run.max_participants,
        is_virtual=run.is_virtual,
        is_relay=run.is_relay,
        is_walking=run.is_walking,
        course_id=run.course_id,
        recurrence_id=run.recurrence_id,
        starts_at=run.starts_at,
        ends_at=run.ends_at,
        confirmed_count=run.confirmed_count,
        waitlist_count=run.waitlist_count,
    )


def default_label(standard: str, meters: float) -> str:
    return f"{meters / 1000:g}K" if standard == "Other" else standard


def place_in_time(run: Run, timezone: str, *, field: str = "date") -> None:
    """Set the UTC start from the run's local date and time in its event's zone; a
    published run's end keeps its duration.

    A date at the edge of the calendar (year 1 or 9999) can fall outside it once moved
    to UTC: that is the client's input to fix, named by ``field``.
    """
    duration = run.ends_at - run.starts_at if run.ends_at and run.starts_at else None
    try:
        run.starts_at = local_to_utc(run.date, run.start_time, timezone) if run.start_time else None
        run.ends_at = run.starts_at + duration if run.starts_at and duration else None
    except OverflowError as exc:
        raise invalid(field, OUT_OF_RANGE) from exc


_WINDOW = (
    ("registration_opens_at", "registrationOpensAt"),
    ("registration_closes_at", "registrationClosesAt"),
)


def _check_window(run: Run, prefix: str) -> None:
    """Keep the registration window in UTC, and refuse one that closes before it opens."""
    for attribute, name in _WINDOW:
        instant: dt.datetime | None = getattr(run, attribute)
        if instant is None:
            continue
        try:
            setattr(run, attribute, instant.astimezone(dt.UTC))
        except OverflowError as exc:
            raise invalid(f"{prefix}{name}", OUT_OF_RANGE) from exc
    opens, closes = run.registration_opens_at, run.registration_closes_at
    if opens is not None and closes is not None and closes <= opens:
        raise invalid(
            f"{prefix}registrationClosesAt",
            "registrationClosesAt must be after registrationOpensAt",
        )


def _course_distance(course: Course) -> dict[str, Any]:
    return {
        "distance_meters": course.distance_meters,
        "distance_standard": course.distance_standard,
        "distance_label": course.distance_label,
    }


async def add_built_run(
    ctx: RequestContext, event: Event, body: RunCreate, *, field: str = "", flush: bool = False
) -> Run:
    """Add a new run of ``event`` from a request, written with the transaction's next flush
    (or now); ``field`` prefixes error names (``runs.0.``)."""
    distance: dict[str, Any] = {}
    if body.course_id is not None:
        course = await require_course(ctx, body.course_id, field=f"{field}courseId")
        distance = _course_distance(course)
    meters = body.distance_meters or distance.get("distance_meters")
    standard = body.distance_standard or distance.get("distance_standard")
    missing = {
        f"{field}{name}": ["Required unless courseId is given"]
        for name, value in (("distanceMeters", meters), ("distanceStandard", standard))
        if value is None
    }
    if missing:
        raise ValidationFailed(errors=missing)
    assert meters is not None and standard is not None
    run = Run(
        id=ids.new_id(ids.RUN),
        organization_id=event.organization_id,
        event_id=event.id,
        course_id=body.course_id,
        distance_meters=meters,
        distance_standard=standard,
        distance_label=body.distance_label
        or distance.get("distance_label")
        or default_label(standard, meters),
        date=body.date or event.date,
        start_time=local_time(body.start_time) if body.start_time else event.start_time,
        event_status=body.event_status,
        registration_url=body.registration_url,
        registration_opens_at=body.registration_opens_at,
        registration_closes_at=body.registration_closes_at,
        registration_override=body.registration_override,
        max_participants=body.max_participants,
        is_virtual=body.is_virtual,
        is_relay=body.is_relay,
        is_walking=body.is_walking,
        confirmed_count=0,
        waitlist_count=0,
    )
    _check_window(run, field)
    place_in_time(run, event.timezone, field=f"{field}date")
    await RunRepository.of(ctx).add(run, flush=flush)
    return run


async def runs_of_event(
    ctx: RequestContext,
    event_id: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[RunSchema]:
    """The event's runs, dated within the given bounds, as GET /events/{id} shows them."""
    rows = await RunRepository.of(ctx).rows_of_event(event_id, date_from, date_to)
    return [present(row) for row in rows]


async def page_of_event(
    ctx: RequestContext,
    event_id: str,
    page: PageQuery,
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> Page[RunSchema]:
    """A page of the event's runs; an empty one when the event is not the organization's."""
    rows, has_more = await RunRepository.of(ctx).page_of_event(event_id, page, date_from, date_to)
    return Page([present(row) for row in rows], has_more)


async def move_to_timezone(ctx: RequestContext, event: Event) -> None:
    """Keep each run of ``event`` at its local date and time in the event's new zone."""
    for run in await RunRepository.of(ctx).models_of_event(event.id):
        place_in_time(run, event.timezone, field="timezone")


async def add_run(ctx: RequestContext, event: Event, body: RunCreate) -> Data[RunCreated]:
    """Add one run to ``event``, which the caller has locked (events' ``lock_event``): two
    requests adding an event's last run would otherwise both see room for it."""
    if quotas.runs_left(await RunRepository.of(ctx).count_of_event(event.id)) < 1:
        raise quotas.too_many_runs()
    run = await add_built_run(ctx, event, body, flush=True)
    return Data(RunCreated(runId=run.id))


async def lock_run(ctx: RequestContext, run_id: str) -> Run:
    """The organization's run, locked until the transaction ends; else a 404."""
    run = await RunRepository.of(ctx).get_for_update(run_id)
    if run is None:
        raise RunNotFound()
    return run


async def begin_registration(ctx: RequestContext, run_id: str) -> RunRow:
    """The run a registration is for, read unlocked as the registration's transaction
    begins; else a 404."""
    run = await RunRepository.of(ctx).find_row_beginning_registration(run_id)
    if run is None:
        raise RunNotFound()
    return run


async def take_seat(ctx: RequestContext, run_id: str, now: dt.datetime) -> bool:
    """Count one more confirmed place if one is left; whether it was. The run stays locked
    from here to the commit."""
    return await RunRepository.of(ctx).take_seat(run_id, now)


async def join_waitlist(
    ctx: RequestContext, run_id: str, now: dt.datetime, *, if_full: bool
) -> bool:
    """Count one more waitlisted place (``if_full``: only while no seat is left); whether
    it was counted."""
    return await RunRepository.of(ctx).join_waitlist(run_id, now, if_full=if_full)


async def update_run(
    ctx: RequestContext,
    run_id: str,
    body: RunUpdate,
    *,
    event_timezone: EventTimezone,
    fill_seats: SeatFiller,
) -> Data[RunSchema]:
    """Change the run; a new date or start time is placed in its event's zone
    (``event_timezone``), a new capacity handed to ``fill_seats`` under the run's lock."""
    run = await lock_run(ctx, run_id)
    changes = {
        name: value
        for name, value in msgspec.structs.asdict(body).items()
        if value is not msgspec.UNSET
    }
    if changes.get("course_id") is not None:
        course = await require_course(ctx, changes["course_id"], field="courseId")
        # As when a run is created: the course gives whatever distance is not given.
        for name, value in _course_distance(course).items():
            changes.setdefault(name, value)
    if changes.get("start_time"):
        changes["start_time"] = local_time(changes["start_time"])
    capacity = changes.get("max_participants", run.max_participants)
    if capacity is not None and capacity < run.confirmed_count:
        raise invalid(
            "maxParticipants",
            f"Cannot be below the {run.confirmed_count} confirmed registrations",
        )
    for name, value in changes.items():
        setattr(run, name, value)
    _check_window(run, "")
    if {"date", "start_time"} & changes.keys():
        place_in_time(run, await event_timezone(ctx, run.event_id))
    # Only a new capacity frees seats; any other change leaves the queue as it is.
    if "max_participants" in changes:
        await fill_seats(ctx, run)
    await RunRepository.of(ctx).flush()
    return Data(present(run))
