from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from intervals_server.db import Listing, OrderKey, Query, Repository, owned, row_columns, violates
from intervals_server.events.errors import SlugTaken
from intervals_server.events.schemas import EventListQuery
from intervals_server.kit.pagination import PageQuery
from intervals_server.models import Event, EventRow
from intervals_server.models.event import START_TIME_SORT

# The listing order; matches the ix_events_listing index.
LISTING_ORDER: tuple[OrderKey, ...] = (Event.date, START_TIME_SORT, Event.id)
_COLUMNS = row_columns(EventRow, Event)
_LISTING = Listing(
    EventRow,
    _COLUMNS,
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
    EventRow,
    _COLUMNS,
    scope={"organization_id": Event.organization_id, "group_id": Event.group_id},
    order=LISTING_ORDER,
)
_OWNED = Query(select(*_COLUMNS).where(owned(Event)), EventRow)


class EventRepository(Repository):
    async def get(self, event_id: str) -> Event | None:
        return await self._get_owned(Event, event_id)

    async def get_for_update(self, event_id: str) -> Event | None:
        """The event, locked: its runs are counted against the quota one writer at a time."""
        return await self._get_owned(Event, event_id, lock=True)

    async def find_row(self, event_id: str) -> EventRow | None:
        return await self.store.reads.first(
            _OWNED, id=event_id, organization_id=self.organization_id
        )

    async def add(self, event: Event) -> None:
        self.store.session.add(event)
        await self.flush_checking_slug(event.slug)

    async def flush_checking_slug(self, slug: str) -> None:
        """Write the pending changes; a slug another event took meanwhile is a 409."""
        try:
            await self.store.session.flush()
        except IntegrityError as exc:
            if violates(exc, "slug"):
                raise SlugTaken(slug) from exc
            raise

    async def slug_in_use(self, slug: str) -> bool:
        found = await self.store.session.scalar(
            select(Event.id).where(
                Event.organization_id == self.organization_id, Event.slug == slug
            )
        )
        return found is not None

    async def page(self, query: EventListQuery) -> tuple[list[EventRow], bool]:
        filters = {
            "type": query.type,
            "date_from": query.date_from,
            "date_to": query.date_to,
            "group_id": query.group_id,
        }
        return await _LISTING.page(
            self.store.reads,
            query,
            scope={"organization_id": self.organization_id},
            filters=filters,
        )

    async def page_of_group(self, group_id: str, page: PageQuery) -> tuple[list[EventRow], bool]:
        return await _GROUP_LISTING.page(
            self.store.reads,
            page,
            scope={"organization_id": self.organization_id, "group_id": group_id},
        )
