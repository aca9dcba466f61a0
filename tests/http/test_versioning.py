from __future__ import annotations

from intervals_server.http.versions import LATEST, VERSIONS
from tests.conftest import Client, Tenant


async def test_without_a_version_the_latest_answers(client: Client, tenant: Tenant) -> None:
    response = await client.get("/organization", headers=tenant.headers)

    assert response.headers["Intervals-Version"] == LATEST


async def test_a_known_version_is_echoed(client: Client, tenant: Tenant) -> None:
    headers = {**tenant.headers, "Intervals-Version": VERSIONS[0]}

    response = await client.get("/organization", headers=headers)

    assert response.status_code == 200
    assert response.headers["Intervals-Version"] == VERSIONS[0]


async def test_the_reference_version_is_known(client: Client, tenant: Tenant) -> None:
    headers = {**tenant.headers, "Intervals-Version": "2026-03-01"}

    response = await client.get("/organization", headers=headers)

    assert response.status_code == 200


async def test_an_unknown_version_is_a_bad_request(client: Client, tenant: Tenant) -> None:
    headers = {**tenant.headers, "Intervals-Version": "1999-01-01"}

    response = await client.get("/organization", headers=headers)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "BAD_REQUEST"
    assert "Intervals-Version" in error["message"]
    assert error["requestId"] == response.headers["Request-Id"]
    assert response.headers["Intervals-Version"] == LATEST


async def test_an_unknown_version_is_refused_before_authentication(client: Client) -> None:
    response = await client.get("/organization", headers={"Intervals-Version": "v2"})

    assert response.status_code == 400


async def test_error_responses_carry_the_version(client: Client) -> None:
    response = await client.get("/no/such/route")

    assert response.headers["Intervals-Version"] == LATEST
