from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.db import Reads
from intervals_server.groups import repository
from intervals_server.groups.schemas import Group, GroupListQuery
from intervals_server.kit import ids
from intervals_server.kit.errors import Conflict, NotFound
from intervals_server.kit.schemas import Data, Page
from intervals_server.models import Group as GroupModel

GROUP_NOT_FOUND = "Group not found"


def present(group: GroupModel) -> Group:
    return Group(
        id=group.id,
        organization_id=group.organization_id,
        name=group.name,
        slug=group.slug,
        status=group.status,  # type: ignore[arg-type]
        description=group.description,
        card_image_id=group.card_image_id,
        cover_image_id=group.cover_image_id,
        created_at=group.created_at,
        updated_at=group.updated_at,
    )


async def list_groups(reads: Reads, organization_id: str, query: GroupListQuery) -> Page[Group]:
    rows, has_more = await repository.list_page(reads, organization_id, query)
    return Page([present(row) for row in rows], has_more)


async def require_group_by_slug(
    session: AsyncSession, organization_id: str, slug: str
) -> GroupModel:
    group = await repository.get_by_slug(session, organization_id, slug)
    if group is None:
        raise NotFound(GROUP_NOT_FOUND)
    return group


async def get_group(session: AsyncSession, organization_id: str, slug: str) -> Data[Group]:
    return Data(present(await require_group_by_slug(session, organization_id, slug)))


async def create_group(
    session: AsyncSession,
    organization_id: str,
    *,
    name: str,
    slug: str,
    status: str = "active",
    description: str | None = None,
) -> GroupModel:
    group = GroupModel(
        id=ids.new_id(ids.GROUP),
        organization_id=organization_id,
        name=name,
        slug=slug,
        status=status,
        description=description,
    )
    session.add(group)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"A group with slug {slug!r} already exists", reason="slug_taken") from exc
    return group
