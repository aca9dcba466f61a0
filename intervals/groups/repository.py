from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from intervals.groups.schemas import GroupListQuery
from intervals.kit.pagination import paginate
from intervals.kit.repository import get_owned
from intervals.models import Group


async def get(session: AsyncSession, organization_id: str, group_id: str) -> Group | None:
    return await get_owned(session, Group, organization_id, group_id)


async def get_by_slug(session: AsyncSession, organization_id: str, slug: str) -> Group | None:
    return await session.scalar(
        select(Group).where(Group.organization_id == organization_id, Group.slug == slug)
    )


async def list_page(
    session: AsyncSession, organization_id: str, query: GroupListQuery
) -> tuple[Sequence[Row[Any]], bool]:
    return await paginate(
        session,
        select(Group),
        page=query,
        scope=[Group.organization_id == organization_id],
        filters=[Group.status == query.status] if query.status else [],
        order=[Group.created_at, Group.id],
    )
