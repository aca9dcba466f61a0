from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from intervals.kit.pagination import paginate
from intervals.kit.repository import get_owned
from intervals.models import Recurrence
from intervals.recurrences.schemas import RecurrenceListQuery


async def get(session: AsyncSession, organization_id: str, recurrence_id: str) -> Recurrence | None:
    return await get_owned(session, Recurrence, organization_id, recurrence_id)


async def list_page(
    session: AsyncSession, organization_id: str, query: RecurrenceListQuery
) -> tuple[Sequence[Row[Any]], bool]:
    filters: list[ColumnElement[bool]] = []
    if query.status is not None:
        filters.append(Recurrence.status == query.status)
    if query.event_id is not None:
        filters.append(Recurrence.event_id == query.event_id)
    return await paginate(
        session,
        select(Recurrence),
        page=query,
        scope=[Recurrence.organization_id == organization_id],
        filters=filters,
        order=[Recurrence.created_at, Recurrence.id],
    )
