"""Repositories: a resource's queries, made per request and scoped to one organization.

A service makes the repositories it needs from its request context
(``EventRepository.of(ctx)``) and never sees how a query runs: whether on the store's
session or as a prepared statement on the hot-read connections is each method's choice,
and its name says what it returns:

- ``find_row(id)``: the resource's ``Row`` or None, a prepared read (a read request);
- ``get(id)``: the ORM model or None, in the store's session (to change it in a write);
- ``get_for_update(id)``: the same, locked until the transaction ends;
- ``page(query)``: a keyset page of rows and whether more lie beyond;
- ``rows_*`` / ``models_*`` / ``count_*``: several rows, models, or a count, named by
  what selects them.

Every query of a tenant's data takes the organization: its own rows by ID, and a parent's
children (an event's runs, a run's registrations) alike. Operator-wide queries (the
publisher's pass, authentication's key lookup) live in repositories named for that job.
"""

from __future__ import annotations

from typing import Any, Protocol, Self, TypeVar

from sqlalchemy import Column, ColumnElement, Table, and_, bindparam, select
from sqlalchemy.exc import IntegrityError

from intervals_server.db.store import Store

M = TypeVar("M")


class Scoped(Protocol):
    """What a repository is made from: a request context (``intervals_server.context``)."""

    @property
    def organization_id(self) -> str: ...

    @property
    def store(self) -> Store: ...


class Repository:
    """A resource's queries on one store, for one organization."""

    __slots__ = ("organization_id", "store")

    def __init__(self, store: Store, organization_id: str) -> None:
        self.store = store
        self.organization_id = organization_id

    @classmethod
    def of(cls, context: Scoped) -> Self:
        return cls(context.store, context.organization_id)

    async def flush(self) -> None:
        """Write the session's pending changes now, so a constraint fails here."""
        await self.store.session.flush()

    async def _get_owned(self, model: type[M], object_id: str, *, lock: bool = False) -> M | None:
        """The model with ``object_id`` if it is the organization's: another tenant's
        object is indistinguishable from a missing one."""
        statement = select(model).where(owned(model))
        if lock:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        values = {"id": object_id, "organization_id": self.organization_id}
        return await self.store.session.scalar(statement, values)


def tenant(model: type[Any]) -> ColumnElement[bool]:
    """The rows of the organization bound as ``organization_id``."""
    return model.organization_id == bindparam("organization_id")  # type: ignore[no-any-return]


def owned(model: type[Any]) -> ColumnElement[bool]:
    """The row bound as ``id``, if it is the organization's bound as ``organization_id``:
    the one ownership rule, for ORM lookups and prepared statements alike."""
    return and_(model.id == bindparam("id"), tenant(model))


def row_columns(row: type[Any], model: type[Any]) -> list[Column[Any]]:
    """The columns of ``model``'s table that ``row`` (its ``Row``) holds, in its order."""
    table: Table = model.__table__
    return [table.c[name] for name in row.__struct_fields__]


def violates(error: IntegrityError, constraint: str) -> bool:
    """Whether ``error`` was raised by the named unique constraint or index."""
    return constraint in str(error.orig)
