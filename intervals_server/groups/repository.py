from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.db import Listing, Reads
from intervals_server.groups.schemas import GroupListQuery
from intervals_server.kit.repository import columns, get_owned
from intervals_server.models import Group


async def get(session: AsyncSession, organization_id: str, group_id: str) -> Group | None:
    return await get_owned(session, Group, organization_id, group_id)


async def get_by_slug(session: AsyncSession, organization_id: str, slug: str) -> Group | None:
    return await session.scalar(
        select(Group).where(Group.organization_id == organization_id, Group.slug == slug)
    )


_LISTING = Listing(
    columns(Group),
    scope={"organization_id": Group.organization_id},
    filters={"status": lambda status: Group.status == status},
    order=[Group.created_at, Group.id],
)


async def list_page(
    reads: Reads, organization_id: str, query: GroupListQuery
) -> tuple[list[Any], bool]:
    return await _LISTING.page(
        reads, query, scope={"organization_id": organization_id}, filters={"status": query.status}
    )
