"""Recurrences: create, read, change, pause, archive, preview.

The contract's rules: ``paused`` publishes nothing new and keeps what exists;
``archived`` publishes nothing new, cancels future runs without registrations and is
final (no field of it changes again); a schedule change re-plans future runs without
registrations. A run with any registration (cancelled ones included: they still point
at it) is never touched.

Recurrences sit below events and never import events' service: a new recurrence is handed
its event, and a change or a preview is handed the function that finds the event's time
zone (README, "Layout").
"""

from __future__ import annotations

import datetime as dt

import msgspec

from intervals_server.context import EventTimezone, RequestContext
from intervals_server.courses.service import require_course
from intervals_server.events import quotas
from intervals_server.kit import ids
from intervals_server.kit.errors import ValidationFailed, invalid
from intervals_server.kit.schemas import Data, Page, local_time
from intervals_server.models import Event, Recurrence, RecurrenceRow, Run
from intervals_server.recurrences.errors import RecurrenceNotFound
from intervals_server.recurrences.publisher import horizon, local_today, publish_recurrence, utc_now
from intervals_server.recurrences.repository import RecurrenceRepository
from intervals_server.recurrences.schedule import MAX_OCCURRENCES, occurrences, schedule_errors
from intervals_server.recurrences.schemas import (
    Occurrence,
    OccurrenceQuery,
    RecurrenceCreate,
    RecurrenceCreated,
    RecurrenceListQuery,
    RecurrenceNew,
    RecurrenceUpdate,
    Schedule,
)
from intervals_server.recurrences.schemas import Recurrence as RecurrenceSchema

ARCHIVED_IS_FINAL = "An archived recurrence cannot be changed"
_WIRE_NAMES = {field.name: field.encode_name for field in msgspec.structs.fields(RecurrenceUpdate)}
_SCHEDULE = msgspec.json.Decoder(Schedule)


def _schedule(recurrence: Recurrence | RecurrenceRow) -> Schedule:
    """A model's schedule is a dict; a list page's row holds its JSON text."""
    if isinstance(recurrence.schedule, str):
        return _SCHEDULE.decode(recurrence.schedule)
    return msgspec.convert(recurrence.schedule, Schedule)


def present(recurrence: Recurrence | RecurrenceRow) -> RecurrenceSchema:
    return RecurrenceSchema(
        id=recurrence.id,
        event_id=recurrence.event_id,
        label=recurrence.label,
        schedule=_schedule(recurrence),
        default_course_id=recurrence.default_course_id,
        status=recurrence.status,  # type: ignore[arg-type]
        auto_publish_horizon_weeks=recurrence.auto_publish_horizon_weeks,
        created_at=recurrence.created_at,
        updated_at=recurrence.updated_at,
    )


def check_schedule(schedule: Schedule, *, field: str = "") -> None:
    """422 naming each field (``{field}schedule.daysOfWeek``) of a schedule that cannot work."""
    errors = schedule_errors(schedule)
    if errors:
        raise ValidationFailed(
            errors={f"{field}schedule.{name}": messages for name, messages in errors.items()}
        )


def stored_schedule(schedule: Schedule) -> dict[str, object]:
    """The schedule as kept in the database: canonical times, defaults left out."""
    canonical = msgspec.structs.replace(schedule, start_time=local_time(schedule.start_time))
    stored = msgspec.to_builtins(canonical)
    assert isinstance(stored, dict)
    return stored


async def create_recurrence(
    ctx: RequestContext, event: Event, body: RecurrenceCreate, *, field: str = ""
) -> Recurrence:
    recurrences = RecurrenceRepository.of(ctx)
    check_schedule(body.schedule, field=field)
    if (
        body.status != "archived"
        and await recurrences.count_live_of_event(event.id) >= quotas.MAX_RECURRENCES_PER_EVENT
    ):
        raise quotas.too_many_recurrences()
    if body.default_course_id is not None:
        await require_course(ctx, body.default_course_id, field=f"{field}defaultCourseId")
    recurrence = Recurrence(
        id=ids.new_id(ids.RECURRENCE),
        organization_id=event.organization_id,
        event_id=event.id,
        label=body.label,
        schedule=stored_schedule(body.schedule),
        default_course_id=body.default_course_id,
        status=body.status,
        auto_publish_horizon_weeks=body.auto_publish_horizon_weeks,
    )
    await recurrences.add(recurrence)
    # The first horizon is published with the recurrence, in the same transaction, whole.
    await publish_recurrence(ctx.store, recurrence.id, utc_now(), whole=True)
    return recurrence


async def list_recurrences(
    ctx: RequestContext, query: RecurrenceListQuery
) -> Page[RecurrenceSchema]:
    rows, has_more = await RecurrenceRepository.of(ctx).page(query)
    return Page([present(row) for row in rows], has_more)


async def _require(ctx: RequestContext, recurrence_id: str, *, lock: bool = False) -> Recurrence:
    recurrences = RecurrenceRepository.of(ctx)
    if lock:
        recurrence = await recurrences.get_for_update(recurrence_id)
    else:
        recurrence = await recurrences.get(recurrence_id)
    if recurrence is None:
        raise RecurrenceNotFound()
    return recurrence


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


async def get_recurrence(ctx: RequestContext, recurrence_id: str) -> Data[RecurrenceSchema]:
    return Data(present(await _require(ctx, recurrence_id)))


async def create_for_event(
    ctx: RequestContext, event: Event, body: RecurrenceNew
) -> Data[RecurrenceCreated]:
    """A recurrence for the event the body names, found by the caller."""
    recurrence = await create_recurrence(ctx, event, body)
    return Data(RecurrenceCreated(recurrenceId=recurrence.id))


async def _unregistered_future_runs(
    recurrences: RecurrenceRepository, recurrence: Recurrence, today: dt.date
) -> list[Run]:
    runs = await recurrences.models_of_future_runs(recurrence.id, today)
    registered = await recurrences.registered_runs([run.id for run in runs])
    return [run for run in runs if run.id not in registered]


async def _replan(
    ctx: RequestContext, recurrence: Recurrence, timezone: str, now: dt.datetime
) -> None:
    """Move future runs without registrations onto the new plan: a run whose occurrence
    remains takes the new time and course, the others are deleted (the publisher then
    adds what is missing)."""
    start, end = horizon(timezone, recurrence.auto_publish_horizon_weeks, now)
    planned = {found.date: found for found in _occurrences_of(recurrence, timezone, start, end)}
    course = None
    if recurrence.default_course_id is not None:
        course = await require_course(ctx, recurrence.default_course_id, field="defaultCourseId")
    recurrences = RecurrenceRepository.of(ctx)
    for run in await _unregistered_future_runs(recurrences, recurrence, start):
        occurrence = planned.get(run.occurrence_date) if run.occurrence_date else None
        if occurrence is None:
            await recurrences.delete_run(run)
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


async def _cancel_future_runs(ctx: RequestContext, recurrence: Recurrence, today: dt.date) -> None:
    for run in await _unregistered_future_runs(RecurrenceRepository.of(ctx), recurrence, today):
        run.event_status = "cancelled"


def _refuse_changes_when_archived(recurrence: Recurrence, changes: dict[str, object]) -> None:
    """Archived is final: a 422 naming every field the body would change (a body that
    repeats the stored values changes nothing and is answered as a read)."""
    changed = [name for name, value in changes.items() if value != getattr(recurrence, name)]
    if changed:
        raise ValidationFailed(errors={_WIRE_NAMES[name]: [ARCHIVED_IS_FINAL] for name in changed})


async def update_recurrence(
    ctx: RequestContext,
    recurrence_id: str,
    body: RecurrenceUpdate,
    *,
    event_timezone: EventTimezone,
    now: dt.datetime | None = None,
) -> Data[RecurrenceSchema]:
    now = now or utc_now()
    recurrence = await _require(ctx, recurrence_id, lock=True)
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
        await require_course(ctx, changes["default_course_id"], field="defaultCourseId")
    replan = any(
        name in changes and changes[name] != getattr(recurrence, name)
        for name in ("schedule", "default_course_id")
    )
    archiving = changes.get("status") == "archived" and recurrence.status != "archived"
    for name, value in changes.items():
        setattr(recurrence, name, value)
    timezone = await event_timezone(ctx, recurrence.event_id)
    if replan:
        await _replan(ctx, recurrence, timezone, now)
    if archiving:
        await _cancel_future_runs(ctx, recurrence, local_today(timezone, now))
    await RecurrenceRepository.of(ctx).flush()
    # Resuming, or a longer horizon or new schedule on an active recurrence, publishes now.
    await publish_recurrence(ctx.store, recurrence.id, now)
    return Data(present(recurrence))


async def list_occurrences(
    ctx: RequestContext,
    recurrence_id: str,
    query: OccurrenceQuery,
    *,
    event_timezone: EventTimezone,
) -> Page[Occurrence]:
    if query.to < query.from_:
        raise invalid("to", "Must be on or after from", body=False)
    recurrence = await _require(ctx, recurrence_id)
    timezone = await event_timezone(ctx, recurrence.event_id)
    found = _occurrences_of(recurrence, timezone, query.from_, query.to)
    has_more = False
    if len(found) == MAX_OCCURRENCES and found[-1].date < query.to:
        after = found[-1].date + dt.timedelta(days=1)
        has_more = bool(occurrences(_schedule(recurrence), timezone, after, query.to, limit=1))
    return Page(found, has_more)
