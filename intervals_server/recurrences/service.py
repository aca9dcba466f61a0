from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.courses.service import require_course
from intervals_server.db import Reads
from intervals_server.events import quotas
from intervals_server.kit import ids
from intervals_server.kit.errors import ValidationFailed
from intervals_server.kit.schemas import Page, local_time
from intervals_server.models import Event, Recurrence
from intervals_server.recurrences import repository
from intervals_server.recurrences.publisher import publish_recurrence, utc_now
from intervals_server.recurrences.schedule import schedule_errors
from intervals_server.recurrences.schemas import Recurrence as RecurrenceSchema
from intervals_server.recurrences.schemas import RecurrenceCreate, RecurrenceListQuery, Schedule

_SCHEDULE = msgspec.json.Decoder(Schedule)


def _schedule(stored: str | dict[str, Any]) -> Schedule:
    """A model's schedule is a dict; a list page's row holds its JSON text."""
    if isinstance(stored, str):
        return _SCHEDULE.decode(stored)
    return msgspec.convert(stored, Schedule)


def present(recurrence: Recurrence | Row[Any]) -> RecurrenceSchema:
    return RecurrenceSchema(
        id=recurrence.id,
        event_id=recurrence.event_id,
        label=recurrence.label,
        schedule=_schedule(recurrence.schedule),
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
    session: AsyncSession, event: Event, body: RecurrenceCreate, *, field: str = ""
) -> Recurrence:
    check_schedule(body.schedule, field=field)
    if (
        body.status != "archived"
        and await repository.live_count(session, event.id) >= quotas.MAX_RECURRENCES_PER_EVENT
    ):
        raise quotas.too_many_recurrences()
    if body.default_course_id is not None:
        await require_course(
            session, event.organization_id, body.default_course_id, field=f"{field}defaultCourseId"
        )
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
    session.add(recurrence)
    await session.flush()
    # The first horizon is published with the recurrence, in the same transaction, whole.
    await publish_recurrence(session, recurrence.id, utc_now(), whole=True)
    return recurrence


async def list_recurrences(
    reads: Reads, organization_id: str, query: RecurrenceListQuery
) -> Page[RecurrenceSchema]:
    rows, has_more = await repository.list_page(reads, organization_id, query)
    return Page([present(row) for row in rows], has_more)
