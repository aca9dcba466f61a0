from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.db import Command, Filter, InTransaction, Listing, OrderKey, Query, Reads
from intervals_server.kit.pagination import PageQuery
from intervals_server.kit.repository import columns, get_owned
from intervals_server.models import Run


async def get(
    session: AsyncSession, organization_id: str, run_id: str, *, lock: bool = False
) -> Run | None:
    return await get_owned(session, Run, organization_id, run_id, lock=lock)


_OWNED = Query(
    select(*columns(Run)).where(
        Run.id == bindparam("run_id"), Run.organization_id == bindparam("organization_id")
    )
)
_HAS_SEAT = or_(Run.max_participants.is_(None), Run.confirmed_count < Run.max_participants)
_TAKE_SEAT = Command(
    update(Run)
    .where(Run.id == bindparam("run_id"), _HAS_SEAT)
    .values(confirmed_count=Run.confirmed_count + 1, updated_at=bindparam("now"))
)
_JOINING_WAITLIST = (
    update(Run)
    .where(Run.id == bindparam("run_id"))
    .values(waitlist_count=Run.waitlist_count + 1, updated_at=bindparam("now"))
)
_JOIN_WAITLIST = Command(_JOINING_WAITLIST)
_JOIN_FULL_WAITLIST = Command(_JOINING_WAITLIST.where(~_HAS_SEAT))


async def read_for_registration(
    session: AsyncSession, organization_id: str, run_id: str
) -> tuple[InTransaction, Any | None]:
    """Open a registration's transaction by reading the run (unlocked: the place is taken
    atomically at the end), if it is the organization's; the run as a row, and the
    transaction's statements."""
    return await InTransaction.starting_with(
        session, _OWNED, run_id=run_id, organization_id=organization_id
    )


async def take_seat(statements: InTransaction, run_id: str, now: Any) -> bool:
    """Count one more confirmed place if one is left; whether it was. From here to the
    commit the run is locked: registrations for one run take their places in turn."""
    return await statements.run(_TAKE_SEAT, run_id=run_id, now=now) == 1


async def join_waitlist(statements: InTransaction, run_id: str, now: Any, *, if_full: bool) -> bool:
    """Count one more waitlisted place (``if_full``: only while no seat is left); whether
    it was counted."""
    command = _JOIN_FULL_WAITLIST if if_full else _JOIN_WAITLIST
    return await statements.run(command, run_id=run_id, now=now) == 1


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


def _of_event(*filters: str) -> Query:
    statement = select(*columns(Run)).where(
        Run.event_id == bindparam("event_id"),
        *(_DATE_FILTERS[name](bindparam(name)) for name in filters),
    )
    return Query(statement.order_by(*_EVENT_ORDER))


# Each combination of the optional date bounds, built once.
_OF_EVENT: dict[tuple[str, ...], Query] = {
    filters: _of_event(*filters)
    for filters in ((), ("date_from",), ("date_to",), ("date_from", "date_to"))
}


async def list_for_event(session: AsyncSession, event_id: str) -> Sequence[Run]:
    """The event's runs as models, to change them in a transaction."""
    statement = select(Run).where(Run.event_id == event_id).order_by(*_EVENT_ORDER)
    return (await session.scalars(statement)).all()


async def read_for_event(
    reads: Reads,
    event_id: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[Any]:
    """The event's runs as rows, to show them; only those dated within the given bounds."""
    bounds = {"date_from": date_from, "date_to": date_to}
    given = {name: day for name, day in bounds.items() if day is not None}
    return await reads.all(_OF_EVENT[tuple(given)], event_id=event_id, **given)


_LISTING = Listing(
    columns(Run),
    scope={"organization_id": Run.organization_id, "event_id": Run.event_id},
    filters=_DATE_FILTERS,
    order=_EVENT_ORDER,
)


async def page_for_event(
    reads: Reads,
    organization_id: str,
    event_id: str,
    page: PageQuery,
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> tuple[list[Any], bool]:
    """A page of the event's runs, in the order GET /events/{id} shows them."""
    return await _LISTING.page(
        reads,
        page,
        scope={"organization_id": organization_id, "event_id": event_id},
        filters={"date_from": date_from, "date_to": date_to},
    )


async def count_for_event(session: AsyncSession, event_id: str) -> int:
    """How many runs the event holds, whatever their date or status."""
    statement = select(func.count()).select_from(Run).where(Run.event_id == event_id)
    return int(await session.scalar(statement) or 0)
