"""The database: engines and transactions, prepared statements, the raw-driver
connections that run them, and keyset listings.

- ``engine``: ``Database`` (sessions, one transaction per request or command) and
  ``database_unavailable`` (an outage, a 503, rather than a bug).
- ``statements``: ``Query``, ``Command`` and ``Insert``, Core statements built once and
  compiled once per dialect (an ``Insert`` fills the columns left out from their defaults).
- ``connections``: where prepared statements run: ``Reads`` on connections of their
  own, ``InTransaction`` on a session's; ``UNIQUE_VIOLATIONS``, the drivers' errors
  for a broken unique constraint.
- ``listing``: ``Listing``, a keyset-paginated list as prepared queries.
- ``store``: ``Store``, a request's or command's way to the database (its transaction, a
  read session opened on demand, the prepared-statement connections).
- ``repository``: ``Repository``, the base of the per-request, per-organization
  repositories every domain package declares, and the ownership predicate.
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
from intervals_server.db.repository import Repository, owned, row_columns, tenant, violates
from intervals_server.db.statements import Command, Insert, Query
from intervals_server.db.store import Store

__all__ = [
    "UNIQUE_VIOLATIONS",
    "Command",
    "Database",
    "Filter",
    "InTransaction",
    "Insert",
    "Listing",
    "OrderKey",
    "PostgresReads",
    "Query",
    "Reads",
    "Repository",
    "SQLiteReads",
    "Store",
    "database_unavailable",
    "owned",
    "row_columns",
    "tenant",
    "violates",
]
