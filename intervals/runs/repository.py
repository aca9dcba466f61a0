from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from intervals.kit.repository import columns, get_owned
from intervals.models import Run
from intervals.reads import Query, Reads


async def get(
    session: AsyncSession, organization_id: str, run_id: str, *, lock: bool = False
) -> Run | None:
    return await get_owned(session, Run, organization_id, run_id, lock=lock)


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
