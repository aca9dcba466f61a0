from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.db import Repository
from intervals_server.models import Organization


class OrganizationRepository(Repository):
    """The organization a request acts for (the operator's functions below see all)."""

    async def get_own(self) -> Organization | None:
        return await self.store.session.get(Organization, self.organization_id)


async def get(session: AsyncSession, organization_id: str) -> Organization | None:
    return await session.get(Organization, organization_id)


async def get_by_slug(session: AsyncSession, slug: str) -> Organization | None:
    return await session.scalar(select(Organization).where(Organization.slug == slug))


async def list_all(session: AsyncSession) -> Sequence[Organization]:
    statement = select(Organization).order_by(Organization.created_at, Organization.id)
    return (await session.scalars(statement)).all()
