"""Engines and transactions: one transaction per request or command.

SQLite takes its write lock at ``BEGIN IMMEDIATE`` so a read-then-write (the seat count
before a registration) cannot interleave with another process's; PostgreSQL relies on
row locks (``SELECT ... FOR UPDATE``) in the repositories instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_MS = 30_000
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


class Database:
    """The reader and writer engines for one database URL.

    Reads run in autocommit: each statement sees the latest committed data, and a request
    pays for no BEGIN and ROLLBACK around them. Writes run in one transaction.
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
        self._read_sessions = async_sessionmaker(self.reader, expire_on_commit=False)
        self._write_sessions = async_sessionmaker(self.writer, expire_on_commit=False)

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
        await self.writer.dispose()
        if self.is_sqlite:  # PostgreSQL's reader shares the writer's pool
            await self.reader.dispose()
