"""Events and everything created with them: runs and a recurrence, in one transaction.

Events sit above runs and recurrences and call their services, handing them the event;
runs and recurrences never import events' service (README, "Layout").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from intervals_server.context import RequestContext
from intervals_server.events.errors import EventNotFound, SlugTaken
from intervals_server.events.repository import EventRepository
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
from intervals_server.groups.service import group_exists, require_group_by_slug
from intervals_server.kit import ids
from intervals_server.kit.errors import ValidationFailed, invalid
from intervals_server.kit.pagination import PageQuery
from intervals_server.kit.schemas import Data, Page, local_time
from intervals_server.kit.timeutil import is_timezone
from intervals_server.models import Event as EventModel
from intervals_server.models import EventRow
from intervals_server.organizations.service import timezone_of
from intervals_server.recurrences.service import create_recurrence
from intervals_server.runs.schemas import Run
from intervals_server.runs.service import (
    add_built_run,
    move_to_timezone,
    page_of_event,
    runs_of_event,
)

_TIMES = ("start_time", "end_time")


def present(event: EventModel | EventRow) -> Event:
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


def _page(rows: list[EventRow], has_more: bool) -> Page[Event]:
    return Page([present(row) for row in rows], has_more)


async def list_events(ctx: RequestContext, query: EventListQuery) -> Page[Event]:
    _check_range(query.date_from, query.date_to, ("dateFrom", "dateTo"))
    return _page(*await EventRepository.of(ctx).page(query))


async def list_group_events(ctx: RequestContext, slug: str, page: PageQuery) -> Page[Event]:
    group = await require_group_by_slug(ctx, slug)
    return _page(*await EventRepository.of(ctx).page_of_group(group.id, page))


async def require_event(ctx: RequestContext, event_id: str) -> EventModel:
    """The organization's event, to change it in a write; else a 404."""
    event = await EventRepository.of(ctx).get(event_id)
    if event is None:
        raise EventNotFound()
    return event


async def require_event_row(ctx: RequestContext, event_id: str) -> EventRow:
    """The organization's event, to read it; else a 404."""
    event = await EventRepository.of(ctx).find_row(event_id)
    if event is None:
        raise EventNotFound()
    return event


async def lock_event(ctx: RequestContext, event_id: str) -> EventModel:
    """The organization's event, locked until the transaction ends (its runs are counted
    against the quota one writer at a time); else a 404."""
    event = await EventRepository.of(ctx).get_for_update(event_id)
    if event is None:
        raise EventNotFound()
    return event


async def referenced_event(ctx: RequestContext, event_id: str, *, field: str) -> EventModel:
    """The organization's event a request body names in ``field``; else a 422."""
    event = await EventRepository.of(ctx).get(event_id)
    if event is None:
        raise invalid(field, "No event with this ID")
    return event


async def event_timezone(ctx: RequestContext, event_id: str) -> str:
    """The time zone of the organization's event; else a 404."""
    return (await require_event(ctx, event_id)).timezone


def _check_range(start: dt.date | None, end: dt.date | None, names: tuple[str, str]) -> None:
    if start is not None and end is not None and end < start:
        raise invalid(names[1], f"Must be on or after {names[0]}", body=False)


async def get_event(ctx: RequestContext, event_id: str, query: EventQuery) -> Data[EventWithRuns]:
    _check_range(query.runs_from, query.runs_to, ("runsFrom", "runsTo"))
    event = await require_event_row(ctx, event_id)
    runs = await runs_of_event(ctx, event.id, query.runs_from, query.runs_to)
    return Data(EventWithRuns(present(event), runs))


async def list_event_runs(ctx: RequestContext, event_id: str, query: EventRunsQuery) -> Page[Run]:
    _check_range(query.from_, query.to, ("from", "to"))
    # As for registrations: a page of rows proves the event is the caller's.
    cursor = query.after is not None or query.before is not None
    if cursor:
        await require_event_row(ctx, event_id)
    page = await page_of_event(ctx, event_id, query, query.from_, query.to)
    if not page.data and not cursor:
        await require_event_row(ctx, event_id)
    return page


async def _check_references(ctx: RequestContext, values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    timezone = values.get("timezone")
    if timezone is not None and not is_timezone(timezone):
        errors["timezone"] = ["Unknown IANA time zone"]
    group_id = values.get("group_id")
    if group_id is not None and not await group_exists(ctx, group_id):
        errors["groupId"] = ["No group with this ID"]
    if errors:
        raise ValidationFailed(errors=errors)


def _check_dates(event: EventModel) -> None:
    if event.end_date is not None and event.end_date < event.date:
        raise invalid("endDate", "Must be on or after date")


async def create_event(ctx: RequestContext, body: EventCreate) -> Data[EventCreated]:
    values = {
        name: value
        for name, value in msgspec.structs.asdict(body).items()
        if name not in ("runs", "recurrence")
    }
    events = EventRepository.of(ctx)
    await _check_references(ctx, values)
    if await events.slug_in_use(body.slug):
        raise SlugTaken(body.slug)
    if values["timezone"] is None:
        values["timezone"] = await timezone_of(ctx)
    for name in _TIMES:
        if values[name]:
            values[name] = local_time(values[name])
    if body.address is not None:
        values["address"] = msgspec.to_builtins(body.address)
    event = EventModel(id=ids.new_id(ids.EVENT), organization_id=ctx.organization_id, **values)
    _check_dates(event)
    await events.add(event)
    for index, run_body in enumerate(body.runs or ()):
        await add_built_run(ctx, event, run_body, field=f"runs.{index}.")
    if body.recurrence is not None:
        await create_recurrence(ctx, event, body.recurrence, field="recurrence.")
    await events.flush_checking_slug(event.slug)
    return Data(EventCreated(eventId=event.id))


async def update_event(ctx: RequestContext, event_id: str, body: EventUpdate) -> Data[Event]:
    events = EventRepository.of(ctx)
    event = await require_event(ctx, event_id)
    changes = {
        name: value
        for name, value in msgspec.structs.asdict(body).items()
        if value is not msgspec.UNSET
    }
    await _check_references(ctx, changes)
    slug = changes.get("slug")
    if slug is not None and slug != event.slug and await events.slug_in_use(slug):
        raise SlugTaken(slug)
    for name in _TIMES:
        if changes.get(name):
            changes[name] = local_time(changes[name])
    if changes.get("address") is not None:
        changes["address"] = msgspec.to_builtins(changes["address"])
    for name, value in changes.items():
        setattr(event, name, value)
    _check_dates(event)
    if "timezone" in changes:
        await move_to_timezone(ctx, event)
    await events.flush_checking_slug(event.slug)
    return Data(present(event))
