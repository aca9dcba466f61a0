from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import bindparam, func, select, update

from intervals_server.db import (
    Command,
    Filter,
    Listing,
    OrderKey,
    Query,
    Repository,
    owned,
    row_columns,
    tenant,
)
from intervals_server.kit.pagination import PageQuery
from intervals_server.models import Run, RunRow
from intervals_server.models.run import SEAT_LEFT

_COLUMNS = row_columns(RunRow, Run)
_OWNED = Query(select(*_COLUMNS).where(owned(Run)), RunRow)
_TAKE_SEAT = Command(
    update(Run)
    .where(Run.id == bindparam("run_id"), SEAT_LEFT)
    .values(confirmed_count=Run.confirmed_count + 1, updated_at=bindparam("now"))
)
_JOINING_WAITLIST = (
    update(Run)
    .where(Run.id == bindparam("run_id"))
    .values(waitlist_count=Run.waitlist_count + 1, updated_at=bindparam("now"))
)
_JOIN_WAITLIST = Command(_JOINING_WAITLIST)
_JOIN_FULL_WAITLIST = Command(_JOINING_WAITLIST.where(~SEAT_LEFT))

# An event's runs: by day and start time, then as created.
_EVENT_ORDER: tuple[OrderKey, ...] = (
    Run.date,
    func.coalesce(Run.start_time, ""),
    Run.created_at,
    Run.id,
)
_DATE_FILTERS: dict[str, Filter] = {
    "date_from": lambda day: Run.date >= day,
    "date_to": lambda day: Run.date <= day,
}
_OF_EVENT = (Run.event_id == bindparam("event_id"), tenant(Run))


def _rows_of_event(*filters: str) -> Query[RunRow]:
    statement = select(*_COLUMNS).where(
        *_OF_EVENT, *(_DATE_FILTERS[name](bindparam(name)) for name in filters)
    )
    return Query(statement.order_by(*_EVENT_ORDER), RunRow)


# Each combination of the optional date bounds, built once.
_ROWS_OF_EVENT: dict[tuple[str, ...], Query[RunRow]] = {
    filters: _rows_of_event(*filters)
    for filters in ((), ("date_from",), ("date_to",), ("date_from", "date_to"))
}
_LISTING = Listing(
    RunRow,
    _COLUMNS,
    scope={"organization_id": Run.organization_id, "event_id": Run.event_id},
    filters=_DATE_FILTERS,
    order=_EVENT_ORDER,
)


class RunRepository(Repository):
    async def get(self, run_id: str) -> Run | None:
        return await self._get_owned(Run, run_id)

    async def add(self, run: Run, *, flush: bool = False) -> None:
        """Add the run, written with the transaction's next flush (or now): an event's runs
        go in one batch."""
        run.organization_id = self.organization_id
        self.store.session.add(run)
        if flush:
            await self.store.session.flush()

    async def get_for_update(self, run_id: str) -> Run | None:
        """The run, locked: registrations and promotions for it wait for this transaction."""
        return await self._get_owned(Run, run_id, lock=True)

    async def find_row_beginning_registration(self, run_id: str) -> RunRow | None:
        """Open a registration's transaction (and its prepared statements) by reading the
        run, unlocked (the place is taken atomically at the end), if it is the
        organization's."""
        return await self.store.begin_prepared(
            _OWNED, id=run_id, organization_id=self.organization_id
        )

    async def take_seat(self, run_id: str, now: dt.datetime) -> bool:
        """Count one more confirmed place if one is left; whether it was. From here to the
        commit the run is locked: registrations for one run take their places in turn."""
        return await self.store.prepared.run(_TAKE_SEAT, run_id=run_id, now=now) == 1

    async def join_waitlist(self, run_id: str, now: dt.datetime, *, if_full: bool) -> bool:
        """Count one more waitlisted place (``if_full``: only while no seat is left);
        whether it was counted."""
        command = _JOIN_FULL_WAITLIST if if_full else _JOIN_WAITLIST
        return await self.store.prepared.run(command, run_id=run_id, now=now) == 1

    async def models_of_event(self, event_id: str) -> Sequence[Run]:
        """The event's runs as models, to change them in a transaction."""
        statement = select(Run).where(*_OF_EVENT).order_by(*_EVENT_ORDER)
        values = {"event_id": event_id, "organization_id": self.organization_id}
        return (await self.store.session.scalars(statement, values)).all()

    async def rows_of_event(
        self, event_id: str, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> list[RunRow]:
        """The event's runs, to show them; only those dated within the given bounds."""
        bounds = {"date_from": date_from, "date_to": date_to}
        given = {name: day for name, day in bounds.items() if day is not None}
        return await self.store.reads.all(
            _ROWS_OF_EVENT[tuple(given)],
            event_id=event_id,
            organization_id=self.organization_id,
            **given,
        )

    async def page_of_event(
        self,
        event_id: str,
        page: PageQuery,
        date_from: dt.date | None,
        date_to: dt.date | None,
    ) -> tuple[list[RunRow], bool]:
        """A page of the event's runs, in the order GET /events/{id} shows them."""
        return await _LISTING.page(
            self.store.reads,
            page,
            scope={"organization_id": self.organization_id, "event_id": event_id},
            filters={"date_from": date_from, "date_to": date_to},
        )

    async def count_of_event(self, event_id: str) -> int:
        """How many runs the event holds, whatever their date or status."""
        statement = select(func.count()).select_from(Run).where(*_OF_EVENT)
        values = {"event_id": event_id, "organization_id": self.organization_id}
        return int(await self.store.session.scalar(statement, values) or 0)
