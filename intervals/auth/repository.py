from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from intervals.kit.rate_limit import Window
from intervals.models import ApiKey, Organization


async def find_by_hash(session: AsyncSession, secret_hash: str) -> tuple[ApiKey, str] | None:
    """The key with this hash, and its organization's plan."""
    statement = (
        select(ApiKey, Organization.plan)
        .join(Organization, Organization.id == ApiKey.organization_id)
        .where(ApiKey.secret_hash == secret_hash)
    )
    row = (await session.execute(statement)).first()
    return (row[0], row[1]) if row else None


async def list_for_organization(session: AsyncSession, organization_id: str) -> Sequence[ApiKey]:
    statement = (
        select(ApiKey)
        .where(ApiKey.organization_id == organization_id)
        .order_by(ApiKey.created_at, ApiKey.id)
    )
    return (await session.scalars(statement)).all()


async def revoke(session: AsyncSession, key_id: str, at: datetime) -> bool:
    result = await session.execute(
        update(ApiKey).where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None)).values(revoked_at=at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def set_rate_limit(session: AsyncSession, key_id: str, limit: Window | None) -> bool:
    result = await session.execute(
        update(ApiKey)
        .where(ApiKey.id == key_id)
        .values(
            rate_limit=limit.limit if limit else None,
            rate_limit_period=limit.seconds if limit else None,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
