"""The benchmark's floor: the same reads through the raw driver, nothing else.

A minimal Litestar app, served by granian with the server's worker count, answering the
benchmark's GET paths with the query the API runs for them (the same indexed order and
limit) through asyncpg (a pool per worker) or one long-lived aiosqlite connection per
worker, rows serialized with msgspec. No authentication, no rate limit, no validation:
what one read costs on this machine. Configured by ``FLOOR_DATABASE_URL`` (the server's
URL) and ``FLOOR_ORGANIZATION_ID``.

    granian --interface asgi --factory floor_app:create_app   (from bench/)
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any

import aiosqlite
import asyncpg
import msgspec
from litestar import Litestar, Response, get
from litestar.params import Parameter

JSON = "application/json"
EVENT_ORDER = "date, coalesce(start_time, ''), id"

# name -> SQL with :named parameters, rewritten per driver below.
QUERIES = {
    "recurrences": "SELECT * FROM recurrences WHERE organization_id = :org AND status = :status "
    "ORDER BY created_at, id LIMIT :limit",
    "events": f"SELECT * FROM events WHERE organization_id = :org ORDER BY {EVENT_ORDER} "
    "LIMIT :limit",
    "event": "SELECT * FROM events WHERE id = :id AND organization_id = :org",
    "runs": "SELECT * FROM runs WHERE event_id = :id "
    "ORDER BY date, coalesce(start_time, ''), created_at, id",
    "registrations": "SELECT * FROM registrations WHERE organization_id = :org "
    "AND event_id = :event ORDER BY created_at, id LIMIT :limit",
}
PARAMETERS = {
    "recurrences": ("org", "status", "limit"),
    "events": ("org", "limit"),
    "event": ("id", "org"),
    "runs": ("id",),
    "registrations": ("org", "event", "limit"),
}


def _positional(sql: str, names: Sequence[str], style: str) -> str:
    for index, name in enumerate(names, start=1):
        sql = sql.replace(f":{name}", f"${index}" if style == "$" else "?")
    return sql


class Reader:
    """One query by name, through whichever raw driver the URL names."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = url.startswith("sqlite")
        style = "?" if self.sqlite else "$"
        self.sql = {
            name: _positional(sql, PARAMETERS[name], style) for name, sql in QUERIES.items()
        }
        self._pool: Any = None
        self._connection: aiosqlite.Connection | None = None

    async def open(self) -> None:
        if self.sqlite:
            self._connection = await aiosqlite.connect(self.url.split("///", 1)[1])
            self._connection.row_factory = aiosqlite.Row
        else:
            dsn = self.url.replace("postgresql+asyncpg://", "postgresql://", 1)
            self._pool = await asyncpg.create_pool(dsn, min_size=5, max_size=10)

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
        if self._pool is not None:
            await self._pool.close()

    async def rows(self, name: str, **values: Any) -> list[dict[str, Any]]:
        arguments = [values[parameter] for parameter in PARAMETERS[name]]
        if self._connection is not None:
            async with self._connection.execute(self.sql[name], arguments) as cursor:
                return [dict(row) for row in await cursor.fetchall()]
        return [dict(row) for row in await self._pool.fetch(self.sql[name], *arguments)]


def _json(payload: object) -> Response[bytes]:
    return Response(content=msgspec.json.encode(payload), media_type=JSON)


def _page(rows: list[dict[str, Any]], limit: int) -> Response[bytes]:
    return _json({"data": rows[:limit], "hasMore": len(rows) > limit})


def create_app() -> Litestar:
    reader = Reader(os.environ["FLOOR_DATABASE_URL"])
    org = os.environ["FLOOR_ORGANIZATION_ID"]

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        await reader.open()
        try:
            yield
        finally:
            await reader.close()

    @get("/recurrences")
    async def recurrences(status: str = "active", limit: int = 50) -> Response[bytes]:
        rows = await reader.rows("recurrences", org=org, status=status, limit=limit + 1)
        return _page(rows, limit)

    @get("/events")
    async def events(limit: int = 50) -> Response[bytes]:
        return _page(await reader.rows("events", org=org, limit=limit + 1), limit)

    @get("/events/{event_id:str}")
    async def event(event_id: str) -> Response[bytes]:
        found = await reader.rows("event", id=event_id, org=org)
        runs = await reader.rows("runs", id=event_id)
        return _json({"data": {"event": found[0], "runs": runs}})

    @get("/registration")
    async def registrations(
        event_id: Annotated[str, Parameter(query="eventId")], limit: int = 50
    ) -> Response[bytes]:
        rows = await reader.rows("registrations", org=org, event=event_id, limit=limit + 1)
        return _page(rows, limit)

    return Litestar(
        route_handlers=[recurrences, events, event, registrations],
        lifespan=[lifespan],
        openapi_config=None,
        debug=False,
    )
