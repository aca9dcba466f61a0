"""Idempotency-Key against real server processes: concurrent retries and restarts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from intervals_server.testing import live_server
from tests.conftest import Tenant
from tests.support import event_body

RETRIES = 50
VOLLEY_TIMEOUT_S = 120.0
# These tests are about idempotency: the volley of one key is not meant to meet its limit.
UNLIMITED = {"INTERVALS_RATE_LIMITS": "false"}


@pytest.fixture(scope="module")
async def server(database_url: str) -> AsyncIterator[str]:
    async with live_server(database_url, workers=2, env=UNLIMITED) as base_url:
        yield base_url


@pytest.fixture
async def http(server: str) -> AsyncIterator[httpx.AsyncClient]:
    limits = httpx.Limits(max_connections=RETRIES, max_keepalive_connections=RETRIES)
    async with httpx.AsyncClient(base_url=server, timeout=60.0, limits=limits) as client:
        yield client


async def post_until_answered(
    http: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]
) -> httpx.Response:
    """POST as a careful partner does: while the key is in use, wait as told and retry."""
    for _ in range(60):
        response = await http.post("/events", json=body, headers=headers)
        in_use = response.status_code == 409 and (
            response.json()["error"].get("reason") == "idempotency_key_in_use"
        )
        if not in_use:
            return response
        await asyncio.sleep(float(response.headers["Retry-After"]))
    raise AssertionError("the key stayed in use")


async def event_count(http: httpx.AsyncClient, tenant: Tenant) -> int:
    response = await http.get("/events", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return len(response.json()["data"])


async def test_fifty_concurrent_retries_create_one_event_and_get_one_answer(
    http: httpx.AsyncClient, tenant: Tenant
) -> None:
    headers = {**tenant.headers, "Idempotency-Key": "volley"}
    body = event_body()
    async with asyncio.timeout(VOLLEY_TIMEOUT_S):
        responses = await asyncio.gather(
            *(post_until_answered(http, headers, body) for _ in range(RETRIES))
        )

    assert {(r.status_code, r.content) for r in responses} == {(201, responses[0].content)}
    assert await event_count(http, tenant) == 1


async def test_a_key_reused_with_another_body_is_refused_by_the_server(
    http: httpx.AsyncClient, tenant: Tenant
) -> None:
    headers = {**tenant.headers, "Idempotency-Key": "reused"}
    await http.post("/events", json=event_body(), headers=headers)
    response = await http.post("/events", json=event_body(), headers=headers)

    assert response.status_code == 409
    assert response.json()["error"]["reason"] == "idempotency_key_reused"
    assert response.json()["error"]["message"] == (
        "Idempotency key already used with different request body"
    )


async def test_a_replay_survives_a_server_restart(database_url: str, tenant: Tenant) -> None:
    headers = {**tenant.headers, "Idempotency-Key": "restart"}
    body = event_body()
    async with (
        live_server(database_url, env=UNLIMITED) as before,
        httpx.AsyncClient(base_url=before, timeout=30.0) as http,
    ):
        first = await http.post("/events", json=body, headers=headers)
    async with (
        live_server(database_url, env=UNLIMITED) as after,
        httpx.AsyncClient(base_url=after, timeout=30.0) as http,
    ):
        replay = await http.post("/events", json=body, headers=headers)
        count = await event_count(http, tenant)

    assert first.status_code == replay.status_code == 201
    assert replay.content == first.content
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert count == 1
