from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.db import Query, Store
from intervals_server.kit.rate_limit import Window
from intervals_server.models import ApiKey, ApiKeyRow, Organization

_KEY_COLUMNS = [ApiKey.__table__.c[name] for name in ApiKeyRow.__struct_fields__[:-1]]
_BY_HASH = Query(
    select(*_KEY_COLUMNS, Organization.plan)
    .join(Organization, Organization.id == ApiKey.organization_id)
    .where(ApiKey.secret_hash == bindparam("secret_hash")),
    ApiKeyRow,
)


class KeyLookup:
    """Authentication's one query, before any organization is known: across them all."""

    __slots__ = ("store",)

    def __init__(self, store: Store) -> None:
        self.store = store

    async def find_row_by_hash(self, secret_hash: str) -> ApiKeyRow | None:
        """The key with this hash, with its organization's ``plan``."""
        return await self.store.reads.first(_BY_HASH, secret_hash=secret_hash)


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


async def find_by_id_or_prefix(session: AsyncSession, reference: str) -> Sequence[ApiKey]:
    statement = select(ApiKey).where(or_(ApiKey.id == reference, ApiKey.prefix == reference))
    return (await session.scalars(statement)).all()
