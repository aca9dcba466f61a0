"""A request's or a command's way to the database, handed to its repositories.

A write's store holds its transaction. A read's opens an autocommit read session only if
a repository asks for one (closed with the store), and otherwise runs prepared
statements on the hot-read connections (``connections.py``): the common reads never
touch a session at all. A hot write (a registration) runs its prepared statements on its
own transaction's connection once ``begin_prepared`` has opened it. Only repositories
look inside a store.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.db.connections import InTransaction, Reads
from intervals_server.db.engine import Database
from intervals_server.db.statements import Query, R


class Store:
    __slots__ = ("_database", "_prepared", "_read_session", "_transaction")

    def __init__(self, database: Database, transaction: AsyncSession | None = None) -> None:
        self._database = database
        self._transaction = transaction
        self._read_session: AsyncSession | None = None
        self._prepared: InTransaction | None = None

    @property
    def reads(self) -> Reads:
        """Prepared statements on connections of their own, each statement autocommit."""
        return self._database.reads

    @property
    def statements(self) -> Reads:
        """Where prepared reads run: the write's own connection once ``begin_prepared``
        opened it (they see its changes), else the hot-read connections."""
        return self._prepared or self._database.reads

    @property
    def prepared(self) -> InTransaction:
        """Prepared statements on the write's own connection; ``begin_prepared`` first."""
        if self._prepared is None:
            raise RuntimeError("begin_prepared() opens the transaction's prepared statements")
        return self._prepared

    async def begin_prepared(self, first: Query[R], /, **values: Any) -> R | None:
        """Open the write's transaction with its first query, and prepared statements on
        its connection from then on; the query's first row."""
        if self._transaction is None:
            raise RuntimeError("prepared statements in a transaction need a write's store")
        opened = InTransaction.starting_with(self._transaction, first, **values)
        self._prepared, row = await opened
        return row

    @property
    def session(self) -> AsyncSession:
        """The transaction of a write; for a read, a read session opened on first use."""
        if self._transaction is not None:
            return self._transaction
        if self._read_session is None:
            self._read_session = self._database.read_session()
        return self._read_session

    async def close(self) -> None:
        """Close the read session if one was opened; a transaction is its owner's to end."""
        if self._read_session is not None:
            await self._read_session.close()
            self._read_session = None
