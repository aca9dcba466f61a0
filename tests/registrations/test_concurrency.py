"""Seats and duplicate emails hold under concurrent requests to several server processes.

Each test fires its requests at once at a real ``intervals serve`` with several workers,
so the requests race in different processes with different database connections, the
way production traffic does.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from intervals_server.auth.scopes import ALL_SCOPES
from intervals_server.testing import live_server
from tests.conftest import Tenant
from tests.registrations.support import cancel, registration_id, registrations, run_of
from tests.support import create_event_with_run, register

SEATS = 10
REQUESTS = 60
# Rate limits are per key with a burst of 50 on the enterprise plan: spread the volley
# over several keys of the same organization so it races for seats, not for tokens.
REQUESTS_PER_KEY = 15
VOLLEY_TIMEOUT_S = 120.0

Call = Callable[[dict[str, str]], Awaitable[httpx.Response]]


def _workers(database_url: str) -> int:
    # SQLite serializes writers at BEGIN IMMEDIATE; two processes already contend for it.
    return 2 if database_url.startswith("sqlite") else 4


@pytest.fixture(scope="module")
async def server(database_url: str) -> AsyncIterator[str]:
    async with live_server(database_url, workers=_workers(database_url)) as base_url:
        yield base_url


@pytest.fixture
async def http(server: str) -> AsyncIterator[httpx.AsyncClient]:
    limits = httpx.Limits(max_connections=REQUESTS, max_keepalive_connections=REQUESTS)
    async with httpx.AsyncClient(base_url=server, timeout=60.0, limits=limits) as client:
        yield client


async def _keys(tenant: Tenant, requests: int) -> list[dict[str, str]]:
    extra = -(-requests // REQUESTS_PER_KEY) - 1
    return [tenant.headers, *[await tenant.headers_with(*ALL_SCOPES) for _ in range(extra)]]


async def _at_once(tenant: Tenant, calls: list[Call]) -> list[httpx.Response]:
    """Make every call at once, each with a key; report how long they took together."""
    keys = await _keys(tenant, len(calls))
    started = time.perf_counter()
    async with asyncio.timeout(VOLLEY_TIMEOUT_S):
        responses = await asyncio.gather(
            *(call(keys[index % len(keys)]) for index, call in enumerate(calls))
        )
    print(f"\n{len(calls)} concurrent requests took {time.perf_counter() - started:.2f}s")
    return list(responses)


def _registering(http: httpx.AsyncClient, run_id: str, body: dict[str, Any]) -> Call:
    return lambda headers: register(http, headers, run_id, **body)


def _cancelling(http: httpx.AsyncClient, participant_id: str) -> Call:
    return lambda headers: cancel(http, headers, participant_id)


async def _volley(
    http: httpx.AsyncClient, tenant: Tenant, run_id: str, bodies: list[dict[str, Any]]
) -> list[httpx.Response]:
    return await _at_once(tenant, [_registering(http, run_id, body) for body in bodies])


def _outcomes(responses: list[httpx.Response]) -> Counter[tuple[int, str | None]]:
    """How many responses of each ``(status, error reason)``."""
    return Counter(
        (
            response.status_code,
            None if response.status_code < 400 else response.json()["error"].get("reason"),
        )
        for response in responses
    )


def _distinct_runners(count: int) -> list[dict[str, Any]]:
    return [{"email": f"runner-{index}@example.com"} for index in range(count)]


async def test_concurrent_registrations_confirm_exactly_the_seats_and_waitlist_the_rest(
    http: httpx.AsyncClient, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(http, tenant.headers, maxParticipants=SEATS)

    responses = await _volley(http, tenant, run_id, _distinct_runners(REQUESTS))

    assert _outcomes(responses) == {(201, None): REQUESTS}
    items = await registrations(http, tenant.headers, event_id)
    confirmed = [item for item in items if item["registrationStatus"] == "confirmed"]
    waitlisted = [item for item in items if item["registrationStatus"] == "waitlist"]
    assert len(confirmed) == SEATS
    # Listed in the order they were made, so the queue reads 1, 2, 3, ... top to bottom.
    assert [item["waitlistPosition"] for item in waitlisted] == list(range(1, REQUESTS - SEATS + 1))
    run = await run_of(http, tenant.headers, event_id, run_id)
    assert (run["confirmedCount"], run["waitlistCount"], run["soldOut"]) == (
        SEATS,
        REQUESTS - SEATS,
        True,
    )


async def test_concurrent_explicit_confirmations_sell_exactly_the_seats(
    http: httpx.AsyncClient, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(http, tenant.headers, maxParticipants=SEATS)
    bodies = [{**body, "status": "confirmed"} for body in _distinct_runners(REQUESTS)]

    responses = await _volley(http, tenant, run_id, bodies)

    assert _outcomes(responses) == {(201, None): SEATS, (409, "sold_out"): REQUESTS - SEATS}
    items = await registrations(http, tenant.headers, event_id)
    assert [item["registrationStatus"] for item in items] == ["confirmed"] * SEATS
    run = await run_of(http, tenant.headers, event_id, run_id)
    assert (run["confirmedCount"], run["waitlistCount"]) == (SEATS, 0)


async def test_concurrent_registrations_of_one_email_register_it_once(
    http: httpx.AsyncClient, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(http, tenant.headers)
    spellings = ["sam@example.com", "Sam@Example.com", "SAM@EXAMPLE.COM", "sam@EXAMPLE.com"]
    bodies = [{"email": spellings[index % len(spellings)]} for index in range(REQUESTS // 3)]

    responses = await _volley(http, tenant, run_id, bodies)

    assert _outcomes(responses) == {
        (201, None): 1,
        (409, "duplicate_registration"): len(bodies) - 1,
    }
    items = await registrations(http, tenant.headers, event_id)
    assert [item["registrationStatus"] for item in items] == ["confirmed"]
    run = await run_of(http, tenant.headers, event_id, run_id)
    assert run["confirmedCount"] == 1


async def test_seats_freed_by_concurrent_cancellations_go_to_the_waitlist_not_to_newcomers(
    http: httpx.AsyncClient, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(http, tenant.headers, maxParticipants=SEATS)
    made = [await registration_id(http, tenant.headers, run_id) for _ in range(3 * SEATS)]
    confirmed, waitlisted = made[:SEATS], made[SEATS:]
    newcomers = _distinct_runners(REQUESTS - SEATS)

    responses = await _at_once(
        tenant,
        [_cancelling(http, participant_id) for participant_id in confirmed]
        + [_registering(http, run_id, body) for body in newcomers],
    )

    assert _outcomes(responses[:SEATS]) == {(200, None): SEATS}
    assert _outcomes(responses[SEATS:]) == {(201, None): len(newcomers)}
    items = await registrations(http, tenant.headers, event_id, eventRunId=run_id)
    now_confirmed = [item["_id"] for item in items if item["registrationStatus"] == "confirmed"]
    queue = [item for item in items if item["registrationStatus"] == "waitlist"]
    assert now_confirmed == waitlisted[:SEATS]
    assert [item["_id"] for item in queue[:SEATS]] == waitlisted[SEATS:]
    assert [item["waitlistPosition"] for item in queue] == list(range(1, len(queue) + 1))
    assert len(queue) == SEATS + len(newcomers)
    run = await run_of(http, tenant.headers, event_id, run_id)
    assert (run["confirmedCount"], run["waitlistCount"]) == (SEATS, len(queue))
