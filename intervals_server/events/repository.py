from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.db import Listing, OrderKey, Query, Reads
from intervals_server.events.schemas import EventListQuery
from intervals_server.kit.errors import Conflict
from intervals_server.kit.pagination import PageQuery
from intervals_server.kit.repository import columns, get_owned, violates
from intervals_server.models import Event
from intervals_server.models.event import START_TIME_SORT

# The listing order; matches the ix_events_listing index.
LISTING_ORDER: tuple[OrderKey, ...] = (Event.date, START_TIME_SORT, Event.id)


async def get(session: AsyncSession, organization_id: str, event_id: str) -> Event | None:
    return await get_owned(session, Event, organization_id, event_id)


async def add(session: AsyncSession, event: Event) -> None:
    session.add(event)
    await flush_checking_slug(session, event.slug)


async def flush_checking_slug(session: AsyncSession, slug: str) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        if violates(exc, "slug"):
            raise Conflict(
                f"An event with slug {slug!r} already exists", reason="slug_taken"
            ) from exc
        raise


async def slug_in_use(session: AsyncSession, organization_id: str, slug: str) -> bool:
    found = await session.scalar(
        select(Event.id).where(Event.organization_id == organization_id, Event.slug == slug)
    )
    return found is not None


_LISTING = Listing(
    columns(Event),
    scope={"organization_id": Event.organization_id},
    filters={
        "type": lambda type_: Event.type == type_,
        "date_from": lambda day: Event.date >= day,
        "date_to": lambda day: Event.date <= day,
        "group_id": lambda group_id: Event.group_id == group_id,
    },
    order=LISTING_ORDER,
)
_GROUP_LISTING = Listing(
    columns(Event),
    scope={"organization_id": Event.organization_id, "group_id": Event.group_id},
    order=LISTING_ORDER,
)
_OWNED = Query(
    select(*columns(Event)).where(
        Event.id == bindparam("event_id"), Event.organization_id == bindparam("organization_id")
    )
)


async def find(reads: Reads, organization_id: str, event_id: str) -> Any | None:
    """The event (a row of its columns) if it belongs to the organization, else None."""
    return await reads.first(_OWNED, event_id=event_id, organization_id=organization_id)


async def list_page(
    reads: Reads, organization_id: str, query: EventListQuery
) -> tuple[list[Any], bool]:
    filters = {
        "type": query.type,
        "date_from": query.date_from,
        "date_to": query.date_to,
        "group_id": query.group_id,
    }
    return await _LISTING.page(
        reads, query, scope={"organization_id": organization_id}, filters=filters
    )


async def list_group_page(
    reads: Reads, organization_id: str, group_id: str, page: PageQuery
) -> tuple[list[Any], bool]:
    return await _GROUP_LISTING.page(
        reads, page, scope={"organization_id": organization_id, "group_id": group_id}
    )
