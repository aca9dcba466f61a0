from __future__ import annotations

from intervals_server.context import RequestContext
from intervals_server.groups.errors import GroupNotFound
from intervals_server.groups.repository import GroupRepository
from intervals_server.groups.schemas import Group, GroupListQuery
from intervals_server.kit import ids
from intervals_server.kit.schemas import Data, Page
from intervals_server.models import Group as GroupModel
from intervals_server.models import GroupRow


def present(group: GroupModel | GroupRow) -> Group:
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


async def list_groups(ctx: RequestContext, query: GroupListQuery) -> Page[Group]:
    rows, has_more = await GroupRepository.of(ctx).page(query)
    return Page([present(row) for row in rows], has_more)


async def require_group_by_slug(ctx: RequestContext, slug: str) -> GroupModel:
    group = await GroupRepository.of(ctx).get_by_slug(slug)
    if group is None:
        raise GroupNotFound()
    return group


async def group_exists(ctx: RequestContext, group_id: str) -> bool:
    return await GroupRepository.of(ctx).get(group_id) is not None


async def get_group(ctx: RequestContext, slug: str) -> Data[Group]:
    return Data(present(await require_group_by_slug(ctx, slug)))


async def create_group(
    ctx: RequestContext,
    *,
    name: str,
    slug: str,
    status: str = "active",
    description: str | None = None,
) -> GroupModel:
    group = GroupModel(
        id=ids.new_id(ids.GROUP), name=name, slug=slug, status=status, description=description
    )
    await GroupRepository.of(ctx).add(group)
    return group
