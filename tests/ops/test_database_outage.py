"""A database outage: not ready and 503s while it lasts, serving again once it is back,
without a restart.

The outage is a TCP proxy between the app and a PostgreSQL database of the test's own,
closed and reopened by the test; the shared server itself is never touched.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from intervals_server.app import create_app
from intervals_server.config import Settings
from intervals_server.db import Database
from intervals_server.testing import temporary_database
from tests.conftest import make_tenant
from tests.kit.test_errors import assert_error

PIPE_CHUNK = 65536


class Outage:
    """A TCP proxy to ``target`` that can refuse every connection and cut the open ones."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()

    async def end(self) -> None:
        """Listen (again, on the same port)."""
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def begin(self) -> None:
        """Refuse new connections and cut every open one."""
        assert self._server is not None
        self._server.close()
        for writer in self._open:
            writer.transport.abort()
        self._open.clear()
        await self._server.wait_closed()

    async def _relay(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        try:
            server_in, server_out = await asyncio.open_connection(*self.target)
        except OSError:
            client_out.transport.abort()
            return
        self._open |= {client_out, server_out}
        await asyncio.gather(self._pipe(client_in, server_out), self._pipe(server_in, client_out))

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while chunk := await source.read(PIPE_CHUNK):
                sink.write(chunk)
                await sink.drain()
        sink.transport.abort()
        self._open.discard(sink)


@contextlib.asynccontextmanager
async def proxied_database(folder: Path) -> AsyncIterator[tuple[str, Outage]]:
    """A fresh PostgreSQL database reached through an ``Outage`` proxy."""
    async with temporary_database("postgresql", folder) as url:
        parsed = make_url(url)
        outage = Outage(parsed.host or "127.0.0.1", parsed.port or 5432)
        await outage.end()
        try:
            yield parsed.set(port=outage.port).render_as_string(hide_password=False), outage
        finally:
            await outage.begin()


@contextlib.asynccontextmanager
async def served_through_outage(
    folder: Path,
) -> AsyncIterator[tuple[httpx.AsyncClient, Outage, dict[str, str], str]]:
    """The app on a database behind an ``Outage``: a client, the outage, a tenant's headers
    and its organization's ID."""
    async with proxied_database(folder) as (url, outage):
        database = Database(url)
        tenant = await make_tenant(database)
        app = create_app(Settings(database_url=url), database=database)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)  # type: ignore[arg-type]
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
                yield http, outage, tenant.headers, tenant.organization_id
        finally:
            await database.dispose()


async def test_a_database_outage_is_not_ready_and_503_until_the_database_returns(
    tmp_path: Path,
) -> None:
    async with served_through_outage(tmp_path) as (http, outage, headers, organization_id):
        await outage.begin()
        down_ready = await http.get("/readyz")
        down_api = await http.get("/organization", headers=headers)
        await outage.end()
        up_ready = await http.get("/readyz")
        up_api = await http.get("/organization", headers=headers)

    assert down_ready.status_code == 503
    assert down_ready.json() == {"status": "unavailable", "checks": {"database": "unavailable"}}
    assert_error(down_api, 503, "SERVICE_UNAVAILABLE")
    assert up_ready.status_code == 200
    assert up_api.status_code == 200, up_api.text
    assert up_api.json()["data"]["_id"] == organization_id


async def test_a_list_read_on_a_connection_cut_by_an_outage_is_503_then_served_again(
    tmp_path: Path,
) -> None:
    async with served_through_outage(tmp_path) as (http, outage, headers, _):
        # The first list opens the hot reads' own connection; the outage then cuts it.
        before = await http.get("/events", headers=headers)
        await outage.begin()
        during = await http.get("/events", headers=headers)
        await outage.end()
        after = await http.get("/events", headers=headers)

    assert before.status_code == 200, before.text
    assert_error(during, 503, "SERVICE_UNAVAILABLE")
    assert after.status_code == 200, after.text
    assert after.json() == before.json()
