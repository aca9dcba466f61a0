from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from intervals_server.db import Listing, Repository, row_columns, violates
from intervals_server.groups.schemas import GroupListQuery
from intervals_server.kit.errors import Conflict
from intervals_server.models import Group, GroupRow

_LISTING = Listing(
    GroupRow,
    row_columns(GroupRow, Group),
    scope={"organization_id": Group.organization_id},
    filters={"status": lambda status: Group.status == status},
    order=[Group.created_at, Group.id],
)


class GroupRepository(Repository):
    async def get(self, group_id: str) -> Group | None:
        return await self._get_owned(Group, group_id)

    async def get_by_slug(self, slug: str) -> Group | None:
        return await self.store.session.scalar(
            select(Group).where(Group.organization_id == self.organization_id, Group.slug == slug)
        )

    async def add(self, group: Group) -> None:
        """Write the new group; a slug another group holds is a 409."""
        group.organization_id = self.organization_id
        self.store.session.add(group)
        try:
            await self.store.session.flush()
        except IntegrityError as exc:
            if violates(exc, "slug"):
                message = f"A group with slug {group.slug!r} already exists"
                raise Conflict(message, reason="slug_taken") from exc
            raise

    async def page(self, query: GroupListQuery) -> tuple[list[GroupRow], bool]:
        return await _LISTING.page(
            self.store.reads,
            query,
            scope={"organization_id": self.organization_id},
            filters={"status": query.status},
        )
