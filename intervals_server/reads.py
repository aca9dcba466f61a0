"""Hot reads on the raw driver: Core statements built once, compiled once per dialect.

The list pages and lookups partners poll all day cost, through an ORM session, several
times what the database does: building the statement, compiling or finding it in the
cache, the session and its connection checkout, the result machinery. Here each query is
a Core ``SELECT`` built once at import (with named ``bindparam``s), compiled once per
dialect by SQLAlchemy itself (so the SQL is what the ORM would send), and run on the
driver directly: an asyncpg pool on PostgreSQL, one long-lived aiosqlite connection on
SQLite (WAL: it reads the latest commit without blocking writers). Values still pass
through the column types' own bind and result processors, so a row reads exactly like
the ORM's (timezone-aware instants, dates, decoded JSON).

Reads on these connections are autocommit, statement by statement, like
``Database.read()``. The one hot write, a registration, runs its prebuilt statements on
the driver connection of its own SQLAlchemy transaction (``InTransaction``): the session
still begins, commits and rolls back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import starmap
from typing import Any, Generic, Protocol, TypeVar, cast

import aiosqlite
import asyncpg
import msgspec
from sqlalchemy import JSON, ClauseElement, Date, DateTime, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import TypeEngine

Processor = Callable[[Any], Any]
# Converts a whole column of a page at once: mapped in C where it can be, not row by row.
ColumnProcessor = Callable[[tuple[Any, ...]], tuple[Any, ...]]
Handle = TypeVar("Handle", asyncpg.Pool, aiosqlite.Connection)
Results = tuple[tuple[int, ColumnProcessor], ...]


@dataclass(frozen=True, slots=True)
class _Plan:
    """A query compiled for one dialect: its SQL, its parameters in order, their processors."""

    sql: str
    parameters: tuple[str, ...]
    binds: tuple[Processor | None, ...]
    # Values written into the statement itself (``coalesce(x, '')``), by parameter name.
    constants: dict[str, Any]


class _Compiled:
    """A statement built once, compiled once per dialect."""

    __slots__ = ("_plans", "statement")

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._plans: dict[str, _Plan] = {}

    def plan(self, dialect: Dialect) -> _Plan:
        plan = self._plans.get(dialect.name)
        if plan is None:
            compiled = cast(SQLCompiler, self.statement.compile(dialect=dialect))
            names = tuple(compiled.positiontup or ())
            parameters = [compiled.binds[name] for name in names]
            binds = tuple(p.type.dialect_impl(dialect).bind_processor(dialect) for p in parameters)
            constants = {
                name: p.value
                for name, p in zip(names, parameters, strict=True)
                if p.value is not None
            }
            plan = _Plan(compiled.string, names, binds, constants)
            self._plans[dialect.name] = plan
        return plan

    def arguments(self, plan: _Plan, values: dict[str, Any]) -> list[Any]:
        if plan.constants:
            values = plan.constants | values
        return [
            values[name] if bind is None else bind(values[name])
            for name, bind in zip(plan.parameters, plan.binds, strict=True)
        ]


class Command(_Compiled):
    """An ``INSERT``, ``UPDATE`` or ``DELETE`` built once; running it answers its row count."""


class Query(_Compiled):
    """A ``SELECT`` built once; rows come back as frozen Structs of its selected columns
    (read by attribute like a model; built in C, where a named tuple's constructor runs
    Python code for every row)."""

    __slots__ = ("_results", "row")

    def __init__(self, statement: Select[Any]) -> None:
        super().__init__(statement)
        self.statement: Select[Any] = statement
        keys: list[str] = [str(column.key) for column in statement.selected_columns]
        # Untracked by the collector: a row holds plain values, never a cycle.
        self.row: Any = msgspec.defstruct("Row", keys, frozen=True, gc=False)
        self._results: dict[str, Results] = {}

    def known_results(self, dialect: Dialect) -> Results | None:
        return self._results.get(dialect.name)

    def results(self, dialect: Dialect, driver_types: Sequence[Any]) -> Results:
        """The columns whose values need converting, each with its column processor."""
        processors = (
            (index, _column_processor(column.type, dialect, driver_type))
            for index, (column, driver_type) in enumerate(
                zip(self.statement.selected_columns, driver_types, strict=True)
            )
        )
        found = tuple((index, p) for index, p in processors if p is not None)
        self._results[dialect.name] = found
        return found

    def rows(self, raw: Sequence[Sequence[Any]], processors: Results) -> list[Any]:
        if not processors or not raw:
            return list(starmap(self.row, raw))
        # Column by column: only the converted columns are touched.
        columns = list(zip(*raw, strict=True))
        for index, processor in processors:
            columns[index] = processor(columns[index])
        return list(map(self.row, *columns))


# SQLite hands back text for these; SQLAlchemy's own processors parse it with regular
# expressions and the json module, several times slower than these C parsers.
_SQLITE_TEXT_PARSERS: tuple[tuple[type[TypeEngine[Any]], Processor], ...] = (
    (DateTime, dt.datetime.fromisoformat),
    (Date, dt.date.fromisoformat),
    (JSON, msgspec.json.decode),
)


def _column_processor(
    column_type: TypeEngine[Any], dialect: Dialect, driver_type: Any
) -> ColumnProcessor | None:
    """How a column of this type is converted, or None when the driver's values are final.
    A type that knows the driver's values better says so with
    ``driver_column_processor(dialect)``; SQLite's text is parsed in C."""
    declared = getattr(column_type, "driver_column_processor", None)
    if declared is not None:
        return cast(ColumnProcessor | None, declared(dialect))
    parse = _sqlite_text_parser(column_type) if dialect.name == "sqlite" else None
    if parse is not None:
        return functools.partial(_parsed, parse)
    # SQLAlchemy's own, as the ORM would run it (a TypeDecorator's process_result_value
    # included), chosen by the column's type and the type the driver reports.
    processor = column_type.dialect_impl(dialect).result_processor(dialect, driver_type)
    return None if processor is None else functools.partial(_each, processor)


def _parsed(parse: Processor, values: tuple[Any, ...]) -> tuple[Any, ...]:
    if None in values:
        return tuple(None if value is None else parse(value) for value in values)
    return tuple(map(parse, values))


def _each(processor: Processor, values: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(map(processor, values))


def _sqlite_text_parser(stored: TypeEngine[Any]) -> Processor | None:
    return next((p for kind, p in _SQLITE_TEXT_PARSERS if isinstance(stored, kind)), None)


async def _postgres_rows(
    connection: asyncpg.Connection | asyncpg.pool.PoolConnectionProxy,
    query: Query,
    dialect: Dialect,
    values: dict[str, Any],
) -> list[Any]:
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
    connection: aiosqlite.Connection, query: Query, dialect: Dialect, values: dict[str, Any]
) -> list[Any]:
    plan = query.plan(dialect)
    raw = await connection.execute_fetchall(plan.sql, query.arguments(plan, values))
    processors = query.known_results(dialect)
    if processors is None:
        # SQLite reports no column types: each processor is chosen by the column's type.
        processors = query.results(dialect, [None] * len(query.statement.selected_columns))
    return query.rows(raw, processors)  # type: ignore[arg-type]


class Reads(Protocol):
    async def all(self, query: Query, **values: Any) -> list[Any]: ...

    async def first(self, query: Query, **values: Any) -> Any | None: ...

    async def close(self) -> None: ...


class _Reads:
    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    async def all(self, query: Query, **values: Any) -> list[Any]:
        raise NotImplementedError

    async def first(self, query: Query, **values: Any) -> Any | None:
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

    async def all(self, query: Query, **values: Any) -> list[Any]:
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

    async def all(self, query: Query, **values: Any) -> list[Any]:
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
        cls, session: AsyncSession, query: Query, **values: Any
    ) -> tuple[InTransaction, Any | None]:
        """Run the transaction's first statement (its first row answered) through SQLAlchemy,
        whose asyncpg adapter opens the transaction only then; the rest go to the driver."""
        connection = await session.connection()
        first = (await connection.execute(query.statement, values)).first()
        raw = await connection.get_raw_connection()
        return cls(connection.dialect, raw.driver_connection), first

    async def all(self, query: Query, **values: Any) -> list[Any]:
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
