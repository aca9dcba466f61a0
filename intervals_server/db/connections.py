"""Prepared statements run on the raw driver, outside SQLAlchemy's session machinery.

The list pages and lookups partners poll all day cost, through an ORM session, several
times what the database does (the README's hot-path list has the figures). Here a
prepared statement (``statements.py``) runs on the driver directly: an asyncpg pool on
PostgreSQL, one long-lived aiosqlite connection on SQLite (WAL: it reads the latest
commit without blocking writers).

Reads on these connections are autocommit, statement by statement, like
``Database.read()``. The one hot write, a registration, runs its prepared statements on
the driver connection of its own SQLAlchemy transaction (``InTransaction``): the session
still begins, commits and rolls back.
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any, Generic, Protocol, TypeVar

import aiosqlite
import asyncpg
import msgspec
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.db.statements import Command, Query, R

Handle = TypeVar("Handle", asyncpg.Pool, aiosqlite.Connection)
# What the drivers raise when a prepared command breaks a unique constraint.
UNIQUE_VIOLATIONS: tuple[type[Exception], ...] = (
    asyncpg.UniqueViolationError,
    sqlite3.IntegrityError,
)


async def _postgres_rows(
    connection: asyncpg.Connection | asyncpg.pool.PoolConnectionProxy,
    query: Query[R],
    dialect: Dialect,
    values: dict[str, Any],
) -> list[R]:
    plan = query.plan(dialect)
    processors = query.known_results(dialect)
    if processors is None:
        described = await connection.prepare(plan.sql)
        types = [attribute.type.oid for attribute in described.get_attributes()]
        processors = query.results(dialect, types)
    # fetch() prepares once per connection and reuses the statement after that.
    raw = await connection.fetch(plan.sql, *query.arguments(plan, values))
    return query.rows(raw, processors)


async def _sqlite_rows(
    connection: aiosqlite.Connection, query: Query[R], dialect: Dialect, values: dict[str, Any]
) -> list[R]:
    plan = query.plan(dialect)
    raw = await connection.execute_fetchall(plan.sql, query.arguments(plan, values))
    processors = query.known_results(dialect)
    if processors is None:
        # SQLite reports no column types: each processor is chosen by the column's type.
        processors = query.results(dialect, [None] * len(query.statement.selected_columns))
    return query.rows(raw, processors)  # type: ignore[arg-type]


class Reads(Protocol):
    async def all(self, query: Query[R], **values: Any) -> list[R]: ...

    async def first(self, query: Query[R], **values: Any) -> R | None: ...

    async def close(self) -> None: ...


class _Reads:
    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    async def all(self, query: Query[R], **values: Any) -> list[R]:
        raise NotImplementedError

    async def first(self, query: Query[R], **values: Any) -> R | None:
        rows = await self.all(query, **values)
        return rows[0] if rows else None

    async def close(self) -> None:
        """Close the connections opened for these reads."""


class _OwnConnections(_Reads, Generic[Handle]):
    """Reads on connections of their own, opened on first use (the server's lifespan and
    the CLI need not know about them) and closed with the database."""

    def __init__(self, dialect: Dialect) -> None:
        super().__init__(dialect)
        self._handle: Handle | None = None
        self._opening = asyncio.Lock()

    async def _connect(self) -> Handle:
        raise NotImplementedError

    async def _opened(self) -> Handle:
        if self._handle is None:
            async with self._opening:
                if self._handle is None:
                    self._handle = await self._connect()
        return self._handle

    async def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            await handle.close()


class PostgresReads(_OwnConnections[asyncpg.Pool]):
    """An asyncpg pool (connections opened as the load needs them)."""

    def __init__(self, dsn: str, dialect: Dialect, *, pool_size: int) -> None:
        super().__init__(dialect)
        self._dsn = dsn
        self._pool_size = pool_size

    async def _connect(self) -> asyncpg.Pool:
        return await asyncpg.create_pool(
            self._dsn, min_size=0, max_size=self._pool_size, init=_json_codecs, reset=_keep_as_is
        )

    async def all(self, query: Query[R], **values: Any) -> list[R]:
        pool = self._handle or await self._opened()
        async with pool.acquire() as connection:
            return await _postgres_rows(connection, query, self.dialect, values)


async def _keep_as_is(connection: asyncpg.Connection) -> None:
    """Skip the pool's reset round trip on release: these connections only ever run
    autocommit SELECTs, which leave no locks, cursors, listeners or settings behind."""


async def _json_codecs(connection: asyncpg.Connection) -> None:
    # What SQLAlchemy's asyncpg dialect registers: JSON arrives decoded.
    for name in ("json", "jsonb"):
        await connection.set_type_codec(
            name, encoder=_encode_json, decoder=msgspec.json.decode, schema="pg_catalog"
        )


def _encode_json(value: Any) -> str:
    return msgspec.json.encode(value).decode()


class SQLiteReads(_OwnConnections[aiosqlite.Connection]):
    """One connection per process; aiosqlite runs it on its thread."""

    def __init__(self, path: str, dialect: Dialect, *, busy_timeout_ms: int) -> None:
        super().__init__(dialect)
        self._path = path
        self._busy_timeout_ms = busy_timeout_ms

    async def _connect(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(self._path, isolation_level=None)
        await connection.execute(f"PRAGMA busy_timeout={self._busy_timeout_ms}")
        return connection

    async def all(self, query: Query[R], **values: Any) -> list[R]:
        connection = self._handle or await self._opened()
        return await _sqlite_rows(connection, query, self.dialect, values)


class InTransaction(_Reads):
    """Prebuilt statements on the driver connection of a session's transaction: the hot
    write path (a registration) without the ORM's unit of work. Flush any pending ORM
    changes first; the session still commits or rolls back."""

    def __init__(self, dialect: Dialect, driver: Any) -> None:
        super().__init__(dialect)
        self._driver = driver
        self._sqlite = dialect.name == "sqlite"

    @classmethod
    async def starting_with(
        cls, session: AsyncSession, query: Query[R], /, **values: Any
    ) -> tuple[InTransaction, R | None]:
        """Run the transaction's first statement (its first row answered) through SQLAlchemy,
        whose asyncpg adapter opens the transaction only then; the rest go to the driver."""
        connection = await session.connection()
        first = (await connection.execute(query.statement, values)).first()
        raw = await connection.get_raw_connection()
        row = None if first is None else query.row(*first)
        return cls(connection.dialect, raw.driver_connection), row

    async def all(self, query: Query[R], **values: Any) -> list[R]:
        if self._sqlite:
            return await _sqlite_rows(self._driver, query, self.dialect, values)
        return await _postgres_rows(self._driver, query, self.dialect, values)

    async def run(self, command: Command, **values: Any) -> int:
        """Run the command; the number of rows it touched."""
        plan = command.plan(self.dialect)
        arguments = command.arguments(plan, values)
        if self._sqlite:
            cursor = await self._driver.execute(plan.sql, arguments)
            count: int = cursor.rowcount
            await cursor.close()
            return count
        status: str = await self._driver.execute(plan.sql, *arguments)
        return int(status.rsplit(" ", 1)[-1])
