"""Failed authentications: limited per client address, unknown keys remembered briefly."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from intervals_server.app import create_app
from intervals_server.auth import repository, service
from intervals_server.auth.cache import RefusedKeys
from intervals_server.auth.scopes import ALL_SCOPES
from intervals_server.auth.throttle import FAILED_AUTHENTICATION_WINDOWS
from intervals_server.config import Settings
from intervals_server.db import Database
from intervals_server.testing import live_server
from tests.conftest import Client, Tenant
from tests.kit.support import REDIS_PREFIX, REDIS_URL
from tests.kit.test_errors import assert_error

BURST = FAILED_AUTHENTICATION_WINDOWS[1].limit


def unknown_key() -> dict[str, str]:
    return {"Authorization": f"Bearer ik_live_{secrets.token_urlsafe(30)}"}


def an_address() -> str:
    """An address no other test uses: each has limits of its own."""
    return f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(255) + 1}"


@contextlib.asynccontextmanager
async def clients(
    database_url: str, database: Database, *addresses: str
) -> AsyncIterator[list[Client]]:
    """One client per address, all calling one app that enforces rate limits in memory."""
    app = create_app(Settings(database_url=database_url, rate_limits=True), database=database)
    async with contextlib.AsyncExitStack() as stack:
        https = []
        for address in addresses:
            transport = httpx.ASGITransport(app=app, client=(address, 40000))  # type: ignore[arg-type]
            https.append(
                await stack.enter_async_context(
                    httpx.AsyncClient(transport=transport, base_url="http://testserver")
                )
            )
        yield https


async def test_failed_authentications_over_the_limit_are_refused_with_429(
    database_url: str, database: Database
) -> None:
    async with clients(database_url, database, an_address()) as (http,):
        responses = [await http.get("/organization", headers=unknown_key()) for _ in range(BURST)]
        refused = await http.get("/organization", headers=unknown_key())

    assert [response.status_code for response in responses] == [401] * BURST
    error = assert_error(refused, 429, "RATE_LIMITED")
    assert error["reason"] == "too_many_failed_authentications"
    assert isinstance(error["retryAfter"], int) and error["retryAfter"] > 0
    assert 1 <= int(refused.headers["Retry-After"]) <= FAILED_AUTHENTICATION_WINDOWS[1].seconds


async def test_requests_without_any_key_count_as_failed_authentications(
    database_url: str, database: Database
) -> None:
    async with clients(database_url, database, an_address()) as (http,):
        statuses = [(await http.get("/organization")).status_code for _ in range(BURST + 1)]

    assert statuses == [401] * BURST + [429]


async def test_another_address_is_not_refused_for_the_failures_of_one(
    database_url: str, database: Database
) -> None:
    async with clients(database_url, database, an_address(), an_address()) as (noisy, quiet):
        for _ in range(BURST + 1):
            await noisy.get("/organization", headers=unknown_key())
        response = await quiet.get("/organization", headers=unknown_key())

    assert response.status_code == 401


async def test_addresses_in_one_ipv6_64_share_their_limit(
    database_url: str, database: Database
) -> None:
    prefix = f"2001:db8:{secrets.randbelow(65536):x}:{secrets.randbelow(65536):x}"
    async with clients(database_url, database, f"{prefix}::1", f"{prefix}::2") as (one, other):
        for _ in range(BURST):
            await one.get("/organization", headers=unknown_key())
        response = await other.get("/organization", headers=unknown_key())

    assert response.status_code == 429


async def test_a_key_verified_moments_ago_passes_from_a_refused_address(
    database_url: str, database: Database, tenant: Tenant
) -> None:
    async with clients(database_url, database, an_address()) as (http,):
        assert (await http.get("/organization", headers=tenant.headers)).status_code == 200
        for _ in range(BURST + 1):
            await http.get("/organization", headers=unknown_key())
        response = await http.get("/organization", headers=tenant.headers)

    assert response.status_code == 200


async def test_a_key_not_yet_verified_waits_with_its_refused_address(
    database_url: str, database: Database, tenant: Tenant
) -> None:
    async with database.write() as session:
        issued = await service.issue_key(session, tenant.organization_id, name="t", scopes=[])
    async with clients(database_url, database, an_address()) as (http,):
        for _ in range(BURST + 1):
            await http.get("/organization", headers=unknown_key())
        response = await http.get(
            "/organization", headers={"Authorization": f"Bearer {issued.secret}"}
        )

    assert_error(response, 429, "RATE_LIMITED")


class LookupSpy:
    """Counts the key lookups that reach the database (and still makes them)."""

    def __init__(self) -> None:
        self.calls = 0
        self._find = repository.KeyLookup.find_row_by_hash

    async def __call__(self, lookup: repository.KeyLookup, secret_hash: str) -> Any:
        self.calls += 1
        return await self._find(lookup, secret_hash)


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> LookupSpy:
    spy = LookupSpy()

    async def counted(lookup: repository.KeyLookup, secret_hash: str) -> Any:
        return await spy(lookup, secret_hash)

    monkeypatch.setattr(repository.KeyLookup, "find_row_by_hash", counted)
    return spy


async def test_an_unknown_key_is_looked_up_once_while_it_is_remembered(
    client: Client, lookups: LookupSpy
) -> None:
    headers = unknown_key()

    statuses = [(await client.get("/organization", headers=headers)).status_code for _ in range(5)]

    assert statuses == [401] * 5
    assert lookups.calls == 1


async def test_a_revoked_key_is_looked_up_once_while_it_is_remembered(
    client: Client, database: Database, tenant: Tenant, lookups: LookupSpy
) -> None:
    async with database.write() as session:
        issued = await service.issue_key(session, tenant.organization_id, name="t", scopes=[])
        await service.revoke_key(session, issued.key.id)
    headers = {"Authorization": f"Bearer {issued.secret}"}

    statuses = [(await client.get("/organization", headers=headers)).status_code for _ in range(3)]

    assert statuses == [401] * 3
    assert lookups.calls == 1


async def test_a_key_created_after_its_secret_was_refused_works_at_once(
    client: Client, database: Database, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = f"ik_live_{secrets.token_urlsafe(30)}"
    headers = {"Authorization": f"Bearer {secret}"}
    assert (await client.get("/organization", headers=headers)).status_code == 401
    monkeypatch.setattr(service, "generate_secret", lambda: secret)

    async with database.write() as session:
        await service.issue_key(session, tenant.organization_id, name="t", scopes=ALL_SCOPES)
    response = await client.get("/organization", headers=headers)

    assert response.status_code == 200


def test_refused_keys_are_forgotten_once_their_time_to_live_passes() -> None:
    now = [1000.0]
    refused = RefusedKeys(ttl=30, clock=lambda: now[0])
    refused.add("hash")
    now[0] += 29.9
    assert "hash" in refused

    now[0] += 0.1

    assert "hash" not in refused


def test_refused_keys_drop_the_least_recently_used_when_full() -> None:
    refused = RefusedKeys(max_entries=2)
    refused.add("old")
    refused.add("used")
    assert "used" in refused

    refused.add("new")

    assert "old" not in refused
    assert "used" in refused and "new" in refused


async def test_failed_authentications_are_limited_across_workers_through_redis(
    database_url: str,
) -> None:
    # A prefix of this run's own: every live server's clients share the address 127.0.0.1.
    prefix = f"{REDIS_PREFIX}-{secrets.token_hex(4)}"
    env = {"INTERVALS_REDIS_URL": REDIS_URL, "INTERVALS_REDIS_PREFIX": prefix}
    async with (
        live_server(database_url, workers=2, env=env) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30.0) as http,
    ):
        responses = await asyncio.gather(
            *(http.get("/organization", headers=unknown_key()) for _ in range(3 * BURST))
        )

    statuses = [response.status_code for response in responses]
    assert statuses.count(401) == BURST
    assert statuses.count(429) == 2 * BURST


@contextlib.asynccontextmanager
async def behind_a_proxy(
    database_url: str, database: Database, proxy: str, trusted: str
) -> AsyncIterator[Client]:
    settings = Settings(database_url=database_url, trusted_proxies=trusted)
    app = create_app(settings, database=database)
    transport = httpx.ASGITransport(app=app, client=(proxy, 40000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def forwarded_for(address: str) -> dict[str, str]:
    return {**unknown_key(), "X-Forwarded-For": address}


async def test_behind_a_trusted_proxy_failures_count_per_forwarded_client(
    database_url: str, database: Database
) -> None:
    proxy, noisy, quiet = an_address(), an_address(), an_address()
    async with behind_a_proxy(database_url, database, proxy, f"{proxy}") as http:
        for _ in range(BURST):
            await http.get("/organization", headers=forwarded_for(noisy))
        other = await http.get("/organization", headers=forwarded_for(quiet))
        same = await http.get("/organization", headers=forwarded_for(noisy))

    assert other.status_code == 401
    assert same.status_code == 429


async def test_x_forwarded_for_is_not_trusted_by_default(
    database_url: str, database: Database
) -> None:
    async with clients(database_url, database, an_address()) as (http,):
        statuses = [
            (await http.get("/organization", headers=forwarded_for(an_address()))).status_code
            for _ in range(BURST + 1)
        ]

    assert statuses == [401] * BURST + [429]


def test_a_trusted_proxy_must_be_an_address_or_a_network() -> None:
    with pytest.raises(ValueError, match="trusted_proxies"):
        Settings(trusted_proxies="10.0.0.1, proxy.internal")
