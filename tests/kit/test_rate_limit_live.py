"""Two server processes sharing Redis hold one key to one limit, exactly."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from intervals_server.db import Database
from intervals_server.kit.rate_limit import REDIS_RETRY_AFTER_S
from intervals_server.testing import live_server
from tests.conftest import Tenant
from tests.kit.support import REDIS_PREFIX, REDIS_URL, PrivateRedis, key_with_rate_limit

LIMIT = 10
# Long enough for a volley of 3 x LIMIT to land inside it, short enough to wait out.
RATE = f"{LIMIT}/10s"
SHARED_REDIS = {"INTERVALS_REDIS_URL": REDIS_URL, "INTERVALS_REDIS_PREFIX": REDIS_PREFIX}


@pytest.fixture(scope="module")
async def servers(database_url: str) -> AsyncIterator[list[httpx.AsyncClient]]:
    """One client for each of two servers (three processes) on the same database and Redis."""
    async with (
        live_server(database_url, workers=2, env=SHARED_REDIS) as first,
        live_server(database_url, env=SHARED_REDIS) as second,
        httpx.AsyncClient(base_url=first, timeout=30.0) as one,
        httpx.AsyncClient(base_url=second, timeout=30.0) as other,
    ):
        yield [one, other]


async def test_three_times_the_limit_across_two_servers_lets_exactly_the_limit_through(
    servers: list[httpx.AsyncClient], tenant: Tenant, database: Database
) -> None:
    headers = await key_with_rate_limit(database, tenant, RATE)
    responses = await asyncio.gather(
        *(servers[i % 2].get("/organization", headers=headers) for i in range(3 * LIMIT))
    )
    statuses = [response.status_code for response in responses]

    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == 2 * LIMIT
    passed = [r.headers["RateLimit-Remaining"] for r in responses if r.status_code == 200]
    assert sorted(map(int, passed)) == list(range(LIMIT))


async def test_remaining_counts_down_across_both_servers(
    servers: list[httpx.AsyncClient], tenant: Tenant, database: Database
) -> None:
    headers = await key_with_rate_limit(database, tenant, RATE)
    responses = [
        await servers[i % 2].get("/organization", headers=headers) for i in range(LIMIT + 1)
    ]

    assert [r.headers["RateLimit-Remaining"] for r in responses] == [
        str(n) for n in range(LIMIT - 1, -1, -1)
    ] + ["0"]
    assert {r.headers["RateLimit-Limit"] for r in responses} == {str(LIMIT)}
    assert responses[-1].status_code == 429


async def test_a_429s_retry_after_is_honoured_by_the_other_server(
    servers: list[httpx.AsyncClient], tenant: Tenant, database: Database
) -> None:
    headers = await key_with_rate_limit(database, tenant, RATE)
    for _ in range(LIMIT):
        await servers[0].get("/organization", headers=headers)
    refused = await servers[0].get("/organization", headers=headers)
    await asyncio.sleep(int(refused.headers["Retry-After"]))
    retried = await servers[1].get("/organization", headers=headers)

    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 10
    assert retried.status_code == 200


async def test_after_redis_restarts_the_next_window_is_exact(
    database_url: str, tenant: Tenant, database: Database
) -> None:
    roomy = await key_with_rate_limit(database, tenant, "100000/min")
    async with (
        PrivateRedis() as redis_server,
        live_server(
            database_url,
            workers=2,
            env={"INTERVALS_REDIS_URL": redis_server.url, "INTERVALS_REDIS_PREFIX": REDIS_PREFIX},
        ) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30.0) as http,
    ):
        # Many requests at once: each worker's pool holds several connections to Redis.
        await asyncio.gather(*(http.get("/organization", headers=roomy) for _ in range(60)))
        await redis_server.kill()
        await asyncio.gather(*(http.get("/organization", headers=roomy) for _ in range(10)))
        await redis_server.start()
        await asyncio.sleep(REDIS_RETRY_AFTER_S + 1)

        headers = await key_with_rate_limit(database, tenant, RATE)
        responses = await asyncio.gather(
            *(http.get("/organization", headers=headers) for _ in range(3 * LIMIT))
        )

    statuses = [response.status_code for response in responses]
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == 2 * LIMIT


async def test_while_redis_is_down_a_worker_allows_its_share_of_the_limit(
    database_url: str, tenant: Tenant, database: Database
) -> None:
    headers = await key_with_rate_limit(database, tenant, RATE)
    async with (
        PrivateRedis() as redis_server,
        live_server(
            database_url,
            workers=2,
            env={"INTERVALS_REDIS_URL": redis_server.url, "INTERVALS_REDIS_PREFIX": REDIS_PREFIX},
        ) as base_url,
        # One connection: every request reaches the same worker.
        httpx.AsyncClient(
            base_url=base_url, timeout=30.0, limits=httpx.Limits(max_connections=1)
        ) as http,
    ):
        await redis_server.kill()
        responses = [await http.get("/organization", headers=headers) for _ in range(8)]
        statuses = [response.status_code for response in responses]

    assert statuses == [200] * (LIMIT // 2) + [429] * (8 - LIMIT // 2)
