"""The Redis limiter through the API, and what the API does when Redis goes away."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar

from intervals_server.app import create_app
from intervals_server.config import Settings
from intervals_server.db import Database
from intervals_server.testing import free_port
from tests.conftest import Client, Tenant
from tests.kit.support import REDIS_PREFIX, REDIS_URL, key_with_rate_limit


@contextlib.asynccontextmanager
async def client_of(app: Litestar) -> AsyncIterator[Client]:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await app.state.rate_limiter.close()


def limited_by_redis(database_url: str, database: Database, redis_url: str) -> Litestar:
    settings = Settings(database_url=database_url, redis_url=redis_url, redis_prefix=REDIS_PREFIX)
    return create_app(settings, database=database)


@contextlib.asynccontextmanager
async def throwaway_redis() -> AsyncIterator[tuple[str, asyncio.subprocess.Process]]:
    """A redis-server of this test's own on a free port, killed on exit."""
    executable = shutil.which("redis-server")
    assert executable, "redis-server is needed for this test"
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        executable,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            await asyncio.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", process
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()


async def test_remaining_counts_down_through_redis(
    database_url: str, database: Database, tenant: Tenant
) -> None:
    headers = await key_with_rate_limit(database, tenant, "3/min")
    async with client_of(limited_by_redis(database_url, database, REDIS_URL)) as http:
        responses = [await http.get("/organization", headers=headers) for _ in range(4)]

    assert [r.headers["RateLimit-Remaining"] for r in responses] == ["2", "1", "0", "0"]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]


async def test_the_api_answers_when_redis_is_unreachable(
    database_url: str, database: Database, tenant: Tenant
) -> None:
    closed = f"redis://127.0.0.1:{free_port()}/0"
    async with client_of(limited_by_redis(database_url, database, closed)) as http:
        response = await http.get("/organization", headers=tenant.headers)

    assert response.status_code == 200
    assert response.headers["RateLimit-Remaining"] == "999"


async def test_the_api_keeps_answering_when_redis_stops_mid_run(
    database_url: str, database: Database, tenant: Tenant
) -> None:
    async with throwaway_redis() as (redis_url, redis_server):
        app = limited_by_redis(database_url, database, redis_url)
        async with client_of(app) as http:
            before = await http.get("/organization", headers=tenant.headers)
            redis_server.kill()
            await redis_server.wait()
            after = await http.get("/organization", headers=tenant.headers)

    assert before.status_code == 200
    assert after.status_code == 200
    assert "RateLimit-Limit" in after.headers


@pytest.fixture
def without_redis(database_url: str, database: Database) -> Litestar:
    # Made before the test starts capturing logs: making an app configures logging.
    return limited_by_redis(database_url, database, f"redis://127.0.0.1:{free_port()}/0")


async def test_a_lost_redis_is_logged(
    without_redis: Litestar, tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="intervals.rate_limit")
    async with client_of(without_redis) as http:
        await http.get("/organization", headers=tenant.headers)

    assert any("Redis unreachable" in record.getMessage() for record in caplog.records)


async def test_without_redis_each_worker_allows_its_share_of_the_limit(
    database_url: str, database: Database, tenant: Tenant
) -> None:
    closed = f"redis://127.0.0.1:{free_port()}/0"
    settings = Settings(
        database_url=database_url, redis_url=closed, redis_prefix=REDIS_PREFIX, workers=2
    )
    headers = await key_with_rate_limit(database, tenant, "10/min")
    async with client_of(create_app(settings, database=database)) as http:
        responses = [await http.get("/organization", headers=headers) for _ in range(6)]
        statuses = [response.status_code for response in responses]

    assert statuses == [200] * 5 + [429]
