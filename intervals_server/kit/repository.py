"""Small helpers every repository uses."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Column, Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

M = TypeVar("M")


async def get_owned(
    session: AsyncSession,
    model: type[M],
    organization_id: str,
    object_id: str,
    *,
    lock: bool = False,
) -> M | None:
    """The object with ``object_id`` if it belongs to the organization, else None.

    Another tenant's object is indistinguishable from a missing one.
    """
    statement = select(model).where(
        model.id == object_id,  # type: ignore[attr-defined]
        model.organization_id == organization_id,  # type: ignore[attr-defined]
    )
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(statement)


def columns(model: type[Any]) -> list[Column[Any]]:
    """Every column of ``model``'s table: a Core select of them returns plain rows, read
    by attribute like the model, without the ORM's per-object bookkeeping (list pages)."""
    table: Table = model.__table__
    return list(table.columns)


def violates(error: IntegrityError, constraint: str) -> bool:
    """Whether ``error`` was raised by the named unique constraint or index."""
    return constraint in str(error.orig)
