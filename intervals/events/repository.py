from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from intervals.events.schemas import EventListQuery
from intervals.kit.errors import Conflict
from intervals.kit.pagination import OrderKey, PageQuery, paginate
from intervals.kit.repository import columns, get_owned, violates
from intervals.models import Event
from intervals.models.event import START_TIME_SORT

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


def _filters(query: EventListQuery) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if query.type is not None:
        filters.append(Event.type == query.type)
    if query.date_from is not None:
        filters.append(Event.date >= query.date_from)
    if query.date_to is not None:
        filters.append(Event.date <= query.date_to)
    if query.group_id is not None:
        filters.append(Event.group_id == query.group_id)
    return filters


async def list_page(
    session: AsyncSession, organization_id: str, query: EventListQuery
) -> tuple[Sequence[Row[Any]], bool]:
    return await paginate(
        session,
        select(*columns(Event)),
        page=query,
        scope=[Event.organization_id == organization_id],
        filters=_filters(query),
        order=LISTING_ORDER,
    )


async def list_group_page(
    session: AsyncSession, organization_id: str, group_id: str, page: PageQuery
) -> tuple[Sequence[Row[Any]], bool]:
    return await paginate(
        session,
        select(*columns(Event)),
        page=page,
        scope=[Event.organization_id == organization_id, Event.group_id == group_id],
        order=LISTING_ORDER,
    )
