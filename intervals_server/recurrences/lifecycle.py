"""A recurrence's life after creation: read, change, pause, archive, preview.

The contract's rules: ``paused`` publishes nothing new and keeps what exists;
``archived`` publishes nothing new, cancels future runs without registrations and is
final (no field of it changes again); a schedule change re-plans future runs without
registrations. A run with any registration
(cancelled ones included: they still point at it) is never touched.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.courses.service import require_course
from intervals_server.events import repository as events
from intervals_server.kit.errors import NotFound, ValidationFailed, invalid
from intervals_server.kit.schemas import Data, Page
from intervals_server.models import Event, Recurrence, Run
from intervals_server.recurrences import repository
from intervals_server.recurrences.publisher import horizon, local_today, publish_recurrence, utc_now
from intervals_server.recurrences.schedule import MAX_OCCURRENCES, occurrences
from intervals_server.recurrences.schemas import (
    Occurrence,
    OccurrenceQuery,
    RecurrenceCreated,
    RecurrenceNew,
    RecurrenceUpdate,
    Schedule,
)
from intervals_server.recurrences.schemas import Recurrence as RecurrenceSchema
from intervals_server.recurrences.service import (
    check_schedule,
    create_recurrence,
    present,
    stored_schedule,
)

RECURRENCE_NOT_FOUND = "Recurrence not found"
ARCHIVED_IS_FINAL = "An archived recurrence cannot be changed"
_WIRE_NAMES = {field.name: field.encode_name for field in msgspec.structs.fields(RecurrenceUpdate)}


async def _require(
    session: AsyncSession, organization_id: str, recurrence_id: str, *, lock: bool = False
) -> Recurrence:
    if lock:
        recurrence = await repository.get_for_update(session, organization_id, recurrence_id)
    else:
        recurrence = await repository.get(session, organization_id, recurrence_id)
    if recurrence is None:
        raise NotFound(RECURRENCE_NOT_FOUND)
    return recurrence


async def _event_of(session: AsyncSession, recurrence: Recurrence) -> Event:
    event = await events.get(session, recurrence.organization_id, recurrence.event_id)
    assert event is not None, "a recurrence's event is never deleted"
    return event


def _occurrences_of(
    recurrence: Recurrence, timezone: str, start: dt.date, end: dt.date
) -> list[Occurrence]:
    """At most ``schedule.MAX_OCCURRENCES`` occurrences dated ``start`` .. ``end``."""
    return [
        Occurrence(
            date=found.date,
            start_time=found.start_time,
            starts_at=found.starts_at,
            ends_at=found.ends_at,
        )
        for found in occurrences(_schedule(recurrence), timezone, start, end)
    ]


def _schedule(recurrence: Recurrence) -> Schedule:
    return msgspec.convert(recurrence.schedule, Schedule)


async def get_recurrence(
    session: AsyncSession, organization_id: str, recurrence_id: str
) -> Data[RecurrenceSchema]:
    return Data(present(await _require(session, organization_id, recurrence_id)))


async def create_for_event(
    session: AsyncSession, organization_id: str, body: RecurrenceNew
) -> Data[RecurrenceCreated]:
    event = await events.get(session, organization_id, body.event_id)
    if event is None:
        raise invalid("eventId", "No event with this ID")
    recurrence = await create_recurrence(session, event, body)
    return Data(RecurrenceCreated(recurrenceId=recurrence.id))


async def _unregistered_future_runs(
    session: AsyncSession, recurrence: Recurrence, today: dt.date
) -> list[Run]:
    runs = await repository.lock_future_runs(session, recurrence.id, today)
    registered = await repository.with_registrations(session, [run.id for run in runs])
    return [run for run in runs if run.id not in registered]


async def _replan(
    session: AsyncSession, recurrence: Recurrence, event: Event, now: dt.datetime
) -> None:
    """Move future runs without registrations onto the new plan: a run whose occurrence
    remains takes the new time and course, the others are deleted (the publisher then
    adds what is missing)."""
    start, end = horizon(event.timezone, recurrence.auto_publish_horizon_weeks, now)
    planned = {
        found.date: found for found in _occurrences_of(recurrence, event.timezone, start, end)
    }
    course = None
    if recurrence.default_course_id is not None:
        course = await require_course(
            session,
            recurrence.organization_id,
            recurrence.default_course_id,
            field="defaultCourseId",
        )
    for run in await _unregistered_future_runs(session, recurrence, start):
        occurrence = planned.get(run.occurrence_date) if run.occurrence_date else None
        if occurrence is None:
            await session.delete(run)
            continue
        run.date = occurrence.date
        run.start_time = occurrence.start_time
        run.starts_at = occurrence.starts_at
        run.ends_at = occurrence.ends_at
        run.course_id = recurrence.default_course_id
        if course is not None:
            run.distance_meters = course.distance_meters
            run.distance_standard = course.distance_standard
            run.distance_label = course.distance_label


async def _cancel_future_runs(
    session: AsyncSession, recurrence: Recurrence, today: dt.date
) -> None:
    for run in await _unregistered_future_runs(session, recurrence, today):
        run.event_status = "cancelled"


def _refuse_changes_when_archived(recurrence: Recurrence, changes: dict[str, object]) -> None:
    """Archived is final: a 422 naming every field the body would change (a body that
    repeats the stored values changes nothing and is answered as a read)."""
    changed = [name for name, value in changes.items() if value != getattr(recurrence, name)]
    if changed:
        raise ValidationFailed(errors={_WIRE_NAMES[name]: [ARCHIVED_IS_FINAL] for name in changed})


async def update_recurrence(
    session: AsyncSession,
    organization_id: str,
    recurrence_id: str,
    body: RecurrenceUpdate,
    now: dt.datetime | None = None,
) -> Data[RecurrenceSchema]:
    now = now or utc_now()
    recurrence = await _require(session, organization_id, recurrence_id, lock=True)
    changes = {
        name: value
        for name, value in msgspec.structs.asdict(body).items()
        if value is not msgspec.UNSET
    }
    schedule: Schedule | None = changes.get("schedule")
    if schedule is not None:
        changes["schedule"] = stored_schedule(schedule)
    if recurrence.status == "archived":
        _refuse_changes_when_archived(recurrence, changes)
        return Data(present(recurrence))
    if schedule is not None:
        check_schedule(schedule)
    if changes.get("default_course_id") is not None:
        await require_course(
            session, organization_id, changes["default_course_id"], field="defaultCourseId"
        )
    replan = any(
        name in changes and changes[name] != getattr(recurrence, name)
        for name in ("schedule", "default_course_id")
    )
    archiving = changes.get("status") == "archived" and recurrence.status != "archived"
    for name, value in changes.items():
        setattr(recurrence, name, value)
    event = await _event_of(session, recurrence)
    if replan:
        await _replan(session, recurrence, event, now)
    if archiving:
        await _cancel_future_runs(session, recurrence, local_today(event.timezone, now))
    await session.flush()
    # Resuming, or a longer horizon or new schedule on an active recurrence, publishes now.
    await publish_recurrence(session, recurrence.id, now)
    return Data(present(recurrence))


async def list_occurrences(
    session: AsyncSession, organization_id: str, recurrence_id: str, query: OccurrenceQuery
) -> Page[Occurrence]:
    if query.to < query.from_:
        raise invalid("to", "Must be on or after from", body=False)
    recurrence = await _require(session, organization_id, recurrence_id)
    event = await _event_of(session, recurrence)
    found = _occurrences_of(recurrence, event.timezone, query.from_, query.to)
    has_more = False
    if len(found) == MAX_OCCURRENCES and found[-1].date < query.to:
        after = found[-1].date + dt.timedelta(days=1)
        has_more = bool(
            occurrences(_schedule(recurrence), event.timezone, after, query.to, limit=1)
        )
    return Page(found, has_more)
