"""Events and everything created with them: runs and a recurrence, in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.db import Reads
from intervals_server.events import quotas, repository
from intervals_server.events.schemas import (
    Address,
    Event,
    EventCreate,
    EventCreated,
    EventListQuery,
    EventQuery,
    EventRunsQuery,
    EventUpdate,
    EventWithRuns,
)
from intervals_server.groups import repository as groups
from intervals_server.groups.service import require_group_by_slug
from intervals_server.kit import ids
from intervals_server.kit.errors import Conflict, NotFound, ValidationFailed, invalid
from intervals_server.kit.pagination import PageQuery
from intervals_server.kit.schemas import Data, Page, local_time
from intervals_server.kit.timeutil import is_timezone
from intervals_server.models import Event as EventModel
from intervals_server.organizations import repository as organizations
from intervals_server.recurrences.service import create_recurrence
from intervals_server.runs import repository as runs
from intervals_server.runs.schemas import Run, RunCreate, RunCreated
from intervals_server.runs.service import build_run, place_in_time
from intervals_server.runs.service import present as present_run

_TIMES = ("start_time", "end_time")
EVENT_NOT_FOUND = "Event not found"


def present(event: EventModel | Row[Any]) -> Event:
    return Event(
        id=event.id,
        name=event.name,
        slug=event.slug,
        type=event.type,  # type: ignore[arg-type]
        date=event.date,
        organization_id=event.organization_id,
        start_time=event.start_time,
        end_date=event.end_date,
        end_time=event.end_time,
        address=msgspec.convert(event.address, Address) if event.address else None,
        lat=event.lat,
        lng=event.lng,
        description=event.description,
        website_url=event.website_url,
        registration_url=event.registration_url,
        group_id=event.group_id,
        timezone=event.timezone,
        created_at=event.created_at,
        updated_at=event.updated_at,
    )


def _page(rows: Any, has_more: bool) -> Page[Event]:
    return Page([present(row) for row in rows], has_more)


async def list_events(reads: Reads, organization_id: str, query: EventListQuery) -> Page[Event]:
    if query.date_from and query.date_to and query.date_to < query.date_from:
        raise invalid("dateTo", "Must be on or after dateFrom", body=False)
    return _page(*await repository.list_page(reads, organization_id, query))


async def list_group_events(
    session: AsyncSession, reads: Reads, organization_id: str, slug: str, page: PageQuery
) -> Page[Event]:
    group = await require_group_by_slug(session, organization_id, slug)
    return _page(*await repository.list_group_page(reads, organization_id, group.id, page))


async def require_event(session: AsyncSession, organization_id: str, event_id: str) -> EventModel:
    event = await repository.get(session, organization_id, event_id)
    if event is None:
        raise NotFound(EVENT_NOT_FOUND)
    return event


def _check_range(start: dt.date | None, end: dt.date | None, names: tuple[str, str]) -> None:
    if start is not None and end is not None and end < start:
        raise invalid(names[1], f"Must be on or after {names[0]}", body=False)


async def get_event(
    reads: Reads, organization_id: str, event_id: str, query: EventQuery
) -> Data[EventWithRuns]:
    _check_range(query.runs_from, query.runs_to, ("runsFrom", "runsTo"))
    event = await repository.find(reads, organization_id, event_id)
    if event is None:
        raise NotFound(EVENT_NOT_FOUND)
    event_runs = await runs.read_for_event(reads, event.id, query.runs_from, query.runs_to)
    return Data(EventWithRuns(present(event), [present_run(run) for run in event_runs]))


async def list_event_runs(
    reads: Reads, organization_id: str, event_id: str, query: EventRunsQuery
) -> Page[Run]:
    _check_range(query.from_, query.to, ("from", "to"))
    # As for registrations: a page of rows proves the event is the caller's.
    cursor = query.after is not None or query.before is not None
    if cursor and await repository.find(reads, organization_id, event_id) is None:
        raise NotFound(EVENT_NOT_FOUND)
    rows, has_more = await runs.page_for_event(
        reads, organization_id, event_id, query, query.from_, query.to
    )
    if not rows and not cursor and await repository.find(reads, organization_id, event_id) is None:
        raise NotFound(EVENT_NOT_FOUND)
    return Page([present_run(row) for row in rows], has_more)


async def _check_references(
    session: AsyncSession, organization_id: str, values: dict[str, Any]
) -> None:
    errors: dict[str, list[str]] = {}
    timezone = values.get("timezone")
    if timezone is not None and not is_timezone(timezone):
        errors["timezone"] = ["Unknown IANA time zone"]
    group_id = values.get("group_id")
    if group_id is not None and await groups.get(session, organization_id, group_id) is None:
        errors["groupId"] = ["No group with this ID"]
    if errors:
        raise ValidationFailed(errors=errors)


def _check_dates(event: EventModel) -> None:
    if event.end_date is not None and event.end_date < event.date:
        raise invalid("endDate", "Must be on or after date")


def _slug_taken(slug: str) -> Conflict:
    return Conflict(f"An event with slug {slug!r} already exists", reason="slug_taken")


async def create_event(
    session: AsyncSession, organization_id: str, body: EventCreate
) -> Data[EventCreated]:
    values = {
        name: value
        for name, value in msgspec.structs.asdict(body).items()
        if name not in ("runs", "recurrence")
    }
    await _check_references(session, organization_id, values)
    if await repository.slug_in_use(session, organization_id, body.slug):
        raise _slug_taken(body.slug)
    if values["timezone"] is None:
        organization = await organizations.get(session, organization_id)
        assert organization is not None
        values["timezone"] = organization.timezone
    for name in _TIMES:
        if values[name]:
            values[name] = local_time(values[name])
    if body.address is not None:
        values["address"] = msgspec.to_builtins(body.address)
    event = EventModel(id=ids.new_id(ids.EVENT), organization_id=organization_id, **values)
    _check_dates(event)
    await repository.add(session, event)
    for index, run_body in enumerate(body.runs or ()):
        session.add(await build_run(session, event, run_body, field=f"runs.{index}."))
    if body.recurrence is not None:
        await create_recurrence(session, event, body.recurrence, field="recurrence.")
    await session.flush()
    return Data(EventCreated(eventId=event.id))


async def update_event(
    session: AsyncSession, organization_id: str, event_id: str, body: EventUpdate
) -> Data[Event]:
    event = await require_event(session, organization_id, event_id)
    changes = {
        name: value
        for name, value in msgspec.structs.asdict(body).items()
        if value is not msgspec.UNSET
    }
    await _check_references(session, organization_id, changes)
    slug = changes.get("slug")
    if (
        slug is not None
        and slug != event.slug
        and await repository.slug_in_use(session, organization_id, slug)
    ):
        raise _slug_taken(slug)
    for name in _TIMES:
        if changes.get(name):
            changes[name] = local_time(changes[name])
    if changes.get("address") is not None:
        changes["address"] = msgspec.to_builtins(changes["address"])
    for name, value in changes.items():
        setattr(event, name, value)
    _check_dates(event)
    if "timezone" in changes:
        for run in await runs.list_for_event(session, event.id):
            place_in_time(run, event.timezone, field="timezone")
    await repository.flush_checking_slug(session, event.slug)
    return Data(present(event))


async def add_run(
    session: AsyncSession, organization_id: str, event_id: str, body: RunCreate
) -> Data[RunCreated]:
    event = await require_event(session, organization_id, event_id)
    if quotas.runs_left(await runs.count_for_event(session, event.id)) < 1:
        raise quotas.too_many_runs()
    run = await build_run(session, event, body)
    session.add(run)
    await session.flush()
    return Data(RunCreated(runId=run.id))
