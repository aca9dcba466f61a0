"""Volleys of registrations against a live server that gets stopped while they run."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx

from intervals_server.auth.scopes import ALL_SCOPES
from tests.conftest import Tenant
from tests.support import register

# Rate limits are per key: spread a volley over keys of one organization so it races
# for seats, not for tokens.
REQUESTS_PER_KEY = 15
VOLLEY_TIMEOUT_S = 120.0

Outcome = httpx.Response | httpx.TransportError


async def keys_for(tenant: Tenant, requests: int) -> list[dict[str, str]]:
    extra = -(-requests // REQUESTS_PER_KEY) - 1
    return [tenant.headers, *[await tenant.headers_with(*ALL_SCOPES) for _ in range(extra)]]


def client(base_url: str, connections: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(base_url=base_url, timeout=60.0, limits=limits)


async def interrupted_volley(
    http: httpx.AsyncClient,
    tenant: Tenant,
    run_id: str,
    count: int,
    *,
    interrupt_after: int,
    interrupt: Callable[[], Any],
) -> list[Outcome]:
    """Register ``count`` distinct runners at once; call ``interrupt`` once
    ``interrupt_after`` of them have been answered. Each outcome is the response, or the
    transport error that ended the request."""
    keys = await keys_for(tenant, count)
    answered = 0
    enough = asyncio.Event()

    async def one(index: int) -> Outcome:
        nonlocal answered
        try:
            response: httpx.Response = await register(
                http, keys[index % len(keys)], run_id, email=f"runner-{index}@example.com"
            )
            return response
        except httpx.TransportError as error:
            return error
        finally:
            answered += 1
            if answered >= interrupt_after:
                enough.set()

    async def interrupting() -> None:
        await enough.wait()
        interrupt()

    async with asyncio.timeout(VOLLEY_TIMEOUT_S):
        stopper = asyncio.create_task(interrupting())
        outcomes = await asyncio.gather(*(one(index) for index in range(count)))
        await stopper
    return list(outcomes)


def acknowledged(outcomes: list[Outcome]) -> list[str]:
    """The participant ids of the registrations the server said it made."""
    return [
        outcome.json()["data"]["participantId"]
        for outcome in outcomes
        if isinstance(outcome, httpx.Response) and outcome.is_success
    ]


async def all_registrations(
    http: httpx.AsyncClient, headers: dict[str, str], event_id: str
) -> list[dict[str, Any]]:
    """Every registration of the event, page after page."""
    items: list[dict[str, Any]] = []
    params: dict[str, str] = {"eventId": event_id, "limit": "100"}
    while True:
        response = await http.get("/registration", params=params, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["data"])
        if not page["hasMore"]:
            return items
        params["after"] = page["data"][-1]["_id"]
