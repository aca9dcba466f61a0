from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from intervals.kit.repository import get_owned
from intervals.models import Run


async def get(
    session: AsyncSession, organization_id: str, run_id: str, *, lock: bool = False
) -> Run | None:
    return await get_owned(session, Run, organization_id, run_id, lock=lock)


async def list_for_event(session: AsyncSession, event_id: str) -> Sequence[Run]:
    statement = (
        select(Run)
        .where(Run.event_id == event_id)
        .order_by(Run.date, func.coalesce(Run.start_time, ""), Run.created_at, Run.id)
    )
    return (await session.scalars(statement)).all()


async def first_for_event(session: AsyncSession, event_id: str) -> Run | None:
    statement = select(Run).where(Run.event_id == event_id).order_by(Run.created_at, Run.id)
    return await session.scalar(statement.limit(1))
