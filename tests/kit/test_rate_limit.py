"""Per-key rate limits through the API, in one process: headers, 429s, plans, overrides."""

from __future__ import annotations

import time

import httpx
import pytest

from intervals_server.auth.scopes import Scope
from intervals_server.db import Database
from tests.conftest import Client, Tenant, make_tenant
from tests.kit.support import key_with_rate_limit
from tests.kit.test_errors import assert_error


def limit_headers(response: httpx.Response) -> tuple[str, str, str]:
    return (
        response.headers["RateLimit-Limit"],
        response.headers["RateLimit-Remaining"],
        response.headers["RateLimit-Reset"],
    )


async def test_an_authenticated_response_carries_the_plans_rate_limit_headers(
    limited_client: Client, tenant: Tenant
) -> None:
    response = await limited_client.get("/organization", headers=tenant.headers)

    assert response.status_code == 200
    assert limit_headers(response) == ("1000", "999", "60")


async def test_remaining_counts_down_request_by_request(
    limited_client: Client, tenant: Tenant
) -> None:
    responses = [
        await limited_client.get("/organization", headers=tenant.headers) for _ in range(3)
    ]

    assert [r.headers["RateLimit-Remaining"] for r in responses] == ["999", "998", "997"]


@pytest.mark.parametrize(
    ("path", "status"),
    [("/events/e00000000000000", 404), ("/events?limit=0", 422), ("/groups", 403)],
)
async def test_errors_after_authentication_carry_the_headers(
    limited_client: Client, tenant: Tenant, path: str, status: int
) -> None:
    headers = await tenant.headers_with(Scope.READ_EVENTS)
    response = await limited_client.get(path, headers=headers)

    assert response.status_code == status
    assert limit_headers(response) == ("1000", "999", "60")


async def test_an_unauthenticated_response_carries_no_rate_limit_headers(
    limited_client: Client,
) -> None:
    response = await limited_client.get("/organization", headers={"Authorization": "Bearer nope"})

    assert response.status_code == 401
    assert "RateLimit-Limit" not in response.headers


async def test_a_key_over_its_limit_gets_the_contracts_429(
    limited_client: Client, tenant: Tenant, database: Database
) -> None:
    headers = await key_with_rate_limit(database, tenant, "2/min")
    for _ in range(2):
        assert (await limited_client.get("/organization", headers=headers)).status_code == 200
    before_ms = time.time() * 1000
    response = await limited_client.get("/organization", headers=headers)

    error = assert_error(response, 429, "RATE_LIMITED")
    assert error["message"] == "Rate limit exceeded"
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert isinstance(error["retryAfter"], int)
    assert before_ms < error["retryAfter"] <= before_ms + 60_000
    assert limit_headers(response)[:2] == ("2", "0")


async def test_limits_are_per_key(
    limited_client: Client, tenant: Tenant, database: Database
) -> None:
    exhausted = await key_with_rate_limit(database, tenant, "1/min")
    await limited_client.get("/organization", headers=exhausted)
    refused = await limited_client.get("/organization", headers=exhausted)
    other = await limited_client.get("/organization", headers=tenant.headers)

    assert refused.status_code == 429
    assert other.status_code == 200


async def test_a_keys_override_replaces_its_plans_rate(
    limited_client: Client, tenant: Tenant, database: Database
) -> None:
    headers = await key_with_rate_limit(database, tenant, "5/hour")
    response = await limited_client.get("/organization", headers=headers)

    assert limit_headers(response) == ("5", "4", "3600")


@pytest.mark.parametrize(
    ("plan", "expected"),
    [("free", ("100", "99", "86400")), ("local", ("100", "99", "60"))],
)
async def test_each_plan_has_its_rate(
    limited_client: Client, database: Database, plan: str, expected: tuple[str, str, str]
) -> None:
    tenant = await make_tenant(database, plan=plan)
    response = await limited_client.get("/organization", headers=tenant.headers)

    assert limit_headers(response) == expected
