"""/healthz and /readyz: no key needed; ready only while the database and Redis answer."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from intervals_server.app import create_app
from intervals_server.config import Settings
from intervals_server.db import Database
from intervals_server.testing import free_port
from tests.conftest import Client

REDIS_READY_TIMEOUT_S = 10.0


@contextlib.asynccontextmanager
async def app_client(settings: Settings, database: Database) -> AsyncIterator[Client]:
    app = create_app(settings, database=database)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def redis_url(tmp_path: Path) -> AsyncIterator[str]:
    """A Redis server of the test's own, on a free port, stopped afterwards."""
    executable = shutil.which("redis-server")
    assert executable, "redis-server is needed for this test"
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        executable,
        "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
        "--dir", str(tmp_path),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        async with asyncio.timeout(REDIS_READY_TIMEOUT_S):
            while True:
                with contextlib.suppress(OSError):
                    _, writer = await asyncio.open_connection("127.0.0.1", port)
                    writer.close()
                    break
                await asyncio.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        await process.wait()


async def test_health_needs_no_key(client: Client) -> None:
    response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_when_the_database_answers(client: Client) -> None:
    response = await client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


async def test_ready_when_the_configured_redis_answers(
    database_url: str, database: Database, redis_url: str
) -> None:
    settings = Settings(database_url=database_url, redis_url=redis_url)
    async with app_client(settings, database) as http:
        response = await http.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


async def test_not_ready_when_the_configured_redis_is_unreachable(
    database_url: str, database: Database
) -> None:
    settings = Settings(database_url=database_url, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    async with app_client(settings, database) as http:
        response = await http.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "unavailable"},
    }
