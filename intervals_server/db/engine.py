"""Engines and transactions: one transaction per request or command, and which errors
mean the database cannot be reached.

SQLite takes its write lock at ``BEGIN IMMEDIATE`` so a read-then-write (the seat count
before a registration) cannot interleave with another process's; PostgreSQL relies on
row locks (``SELECT ... FOR UPDATE``) in the repositories instead.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy import event, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from intervals_server.db.connections import PostgresReads, Reads, SQLiteReads

SQLITE_BUSY_TIMEOUT_MS = 30_000
# SQLSTATEs that mean "cannot reach or enter the database": class 08 (connection
# exception), the server shutting down or starting up, and no connection slots left.
_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")
# The code that talks to the database: an OSError raised there (a refused or cut connection,
# a host that does not resolve) is an outage; one raised anywhere else is a bug.
_DRIVER_PACKAGES = frozenset({"asyncpg", "aiosqlite", "sqlalchemy"})
# Code between the driver and the socket, whose frames say nothing of who called it: the
# standard library (asyncio, socket, ssl) and the event loops granian can run on instead.
_PASS_THROUGH = frozenset(sys.stdlib_module_names | {"uvloop", "winloop", "rloop"})
# hide_parameters: statements' values (participants' emails) never reach error logs.


def _sqlite_engine(
    url: str, *, begin: str | None, pool_size: int, max_overflow: int
) -> AsyncEngine:
    """An engine whose transactions open with ``begin``; with None, each statement is its own."""
    engine = create_async_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=max_overflow,
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    if begin is not None:

        @event.listens_for(engine.sync_engine, "begin")
        def _begin(connection: Any) -> None:
            connection.exec_driver_sql(begin)

    return engine


def _raised_by_driver(exc: BaseException) -> bool:
    """Whether the innermost frame of ``exc`` outside the standard library and the event
    loop is the database driver's or SQLAlchemy's."""
    origin = ""
    traceback = exc.__traceback__
    while traceback is not None:
        package = str(traceback.tb_frame.f_globals.get("__name__", "")).partition(".")[0]
        if package not in _PASS_THROUGH:
            origin = package
        traceback = traceback.tb_next
    return origin in _DRIVER_PACKAGES


def database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot be reached, rather than a bug.

    Through SQLAlchemy the driver's error comes wrapped in a ``DBAPIError``; the hot reads
    (and asyncpg while connecting) raise it unwrapped; a full pool is a TimeoutError of its own.
    An OSError counts only when the driver raised it: the app's own (a zone file that is a
    folder) is a 500.
    """
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        exc = exc.orig or exc
    sqlstate = str(getattr(exc, "sqlstate", None) or "")
    return (
        isinstance(exc, PoolTimeout | asyncpg.exceptions.ConnectionDoesNotExistError)
        or (isinstance(exc, OSError) and _raised_by_driver(exc))
        or sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
        or "unable to open database file" in str(exc)  # SQLite
    )


def _raw_reads(url: str, engine: AsyncEngine, pool_size: int) -> Reads:
    """The hot reads' own connections, on the engine's dialect (see ``connections.py``)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return SQLiteReads(
            parsed.database or "", engine.dialect, busy_timeout_ms=SQLITE_BUSY_TIMEOUT_MS
        )
    dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    return PostgresReads(dsn, engine.dialect, pool_size=pool_size)


class Database:
    """The reader and writer engines for one database URL.

    Reads run in autocommit: each statement sees the latest committed data, and a request
    pays for no BEGIN and ROLLBACK around them; the hottest go through ``reads``, on the
    driver itself. Writes run in one transaction.
    """

    def __init__(self, url: str, *, pool_size: int = 10, max_overflow: int = 0) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # Overflow connections are closed when returned: a pool sized below the load keeps
        # reconnecting (a thread and four PRAGMAs per SQLite connection, a backend process
        # per PostgreSQL one), so the default is a fixed pool that requests queue for.
        pool = {"pool_size": pool_size, "max_overflow": max_overflow}
        if self.is_sqlite:
            self.reader = _sqlite_engine(url, begin=None, **pool)
            self.writer = _sqlite_engine(url, begin="BEGIN IMMEDIATE", **pool)
        else:
            # Per process: N workers open up to N * (pool_size + max_overflow) connections,
            # which must stay under the server's max_connections.
            # No pre-ping (it costs three round trips per checkout): a connection found dead
            # invalidates the pool, that request answers 503 and the next ones reconnect.
            self.writer = create_async_engine(url, hide_parameters=True, **pool)
            self.reader = self.writer.execution_options(isolation_level="AUTOCOMMIT")
        self.reads = _raw_reads(url, self.writer, pool_size)
        self._read_sessions = async_sessionmaker(self.reader, expire_on_commit=False)
        self._write_sessions = async_sessionmaker(self.writer, expire_on_commit=False)

    def read_session(self) -> AsyncSession:
        """A session for reads, in autocommit: it must not write. The caller closes it."""
        return self._read_sessions()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reads, in autocommit: it must not write."""
        async with self._read_sessions() as session:
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One transaction: committed if the block finishes, rolled back if it raises."""
        async with self._write_sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.reads.close()
        await self.writer.dispose()
        if self.is_sqlite:  # PostgreSQL's reader shares the writer's pool
            await self.reader.dispose()
