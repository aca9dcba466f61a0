"""Every response says not to sniff its type; API responses (tenant data) are never stored."""

from __future__ import annotations

import pytest

from intervals_server.http.routing import Endpoint
from tests.conftest import Client, Tenant
from tests.endpoints import each_endpoint, sample_path


@pytest.mark.parametrize("spec", each_endpoint())
async def test_every_api_response_is_not_stored_and_not_sniffed(
    client: Client, tenant: Tenant, spec: Endpoint
) -> None:
    response = await client.request(spec.method, sample_path(spec), headers=tenant.headers)

    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_a_successful_read_is_not_stored(client: Client, tenant: Tenant) -> None:
    response = await client.get("/organization", headers=tenant.headers)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/no/such/route", "/healthz", "/openapi.json"])
async def test_responses_outside_the_api_are_not_sniffed_either(client: Client, path: str) -> None:
    response = await client.get(path)

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


async def test_a_response_that_sets_its_own_caching_keeps_it(client: Client) -> None:
    response = await client.get("/docs")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
