from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from intervals.kit.repository import columns, get_owned
from intervals.models import Run
from intervals.reads import Command, InTransaction, Query, Reads


async def get(
    session: AsyncSession, organization_id: str, run_id: str, *, lock: bool = False
) -> Run | None:
    return await get_owned(session, Run, organization_id, run_id, lock=lock)


_LOCKED = Query(
    select(*columns(Run))
    .where(Run.id == bindparam("run_id"), Run.organization_id == bindparam("organization_id"))
    .with_for_update()
)
_COUNT_REGISTRATION = Command(
    update(Run)
    .where(Run.id == bindparam("run_id"))
    .values(
        confirmed_count=Run.confirmed_count + bindparam("confirmed"),
        waitlist_count=Run.waitlist_count + bindparam("waitlisted"),
        updated_at=bindparam("now"),
    )
)


async def lock_for_registration(
    session: AsyncSession, organization_id: str, run_id: str
) -> tuple[InTransaction, Any | None]:
    """Open the transaction by locking the run (registrations for one run queue here) if it
    is the organization's; the run as a row, and the transaction's statements."""
    return await InTransaction.starting_with(
        session, _LOCKED, run_id=run_id, organization_id=organization_id
    )


async def count_registration(
    statements: InTransaction, run_id: str, *, confirmed: int, waitlisted: int, now: Any
) -> None:
    await statements.run(
        _COUNT_REGISTRATION, run_id=run_id, confirmed=confirmed, waitlisted=waitlisted, now=now
    )


# An event's runs: by day and start time, then as created.
_EVENT_ORDER = (Run.date, func.coalesce(Run.start_time, ""), Run.created_at, Run.id)
_OF_EVENT = Query(
    select(*columns(Run)).where(Run.event_id == bindparam("event_id")).order_by(*_EVENT_ORDER)
)


async def list_for_event(session: AsyncSession, event_id: str) -> Sequence[Run]:
    """The event's runs as models, to change them in a transaction."""
    statement = select(Run).where(Run.event_id == event_id).order_by(*_EVENT_ORDER)
    return (await session.scalars(statement)).all()


async def read_for_event(reads: Reads, event_id: str) -> list[Any]:
    """The event's runs as rows, to show them."""
    return await reads.all(_OF_EVENT, event_id=event_id)


async def first_for_event(session: AsyncSession, event_id: str) -> Run | None:
    statement = select(Run).where(Run.event_id == event_id).order_by(Run.created_at, Run.id)
    return await session.scalar(statement.limit(1))
