"""The database: engines and transactions, prepared statements, the raw-driver
connections that run them, and keyset listings.

- ``engine``: ``Database`` (sessions, one transaction per request or command) and
  ``database_unavailable`` (an outage, a 503, rather than a bug).
- ``statements``: ``Query`` and ``Command``, Core statements built once and compiled
  once per dialect.
- ``connections``: where prepared statements run: ``Reads`` on connections of their
  own, ``InTransaction`` on a session's; ``UNIQUE_VIOLATIONS``, the drivers' errors
  for a broken unique constraint.
- ``listing``: ``Listing``, a keyset-paginated list as prepared queries.
"""

from intervals_server.db.connections import (
    UNIQUE_VIOLATIONS,
    InTransaction,
    PostgresReads,
    Reads,
    SQLiteReads,
)
from intervals_server.db.engine import Database, database_unavailable
from intervals_server.db.listing import Filter, Listing, OrderKey
from intervals_server.db.statements import Command, Query

__all__ = [
    "UNIQUE_VIOLATIONS",
    "Command",
    "Database",
    "Filter",
    "InTransaction",
    "Listing",
    "OrderKey",
    "PostgresReads",
    "Query",
    "Reads",
    "SQLiteReads",
    "database_unavailable",
]
