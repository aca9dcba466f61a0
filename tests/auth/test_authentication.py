from __future__ import annotations

import httpx
import pytest

from intervals_server.auth.scopes import ALL_SCOPES
from intervals_server.auth.service import issue_key, revoke_key
from intervals_server.db import Database
from intervals_server.http.routing import Endpoint
from tests.conftest import Client, Tenant
from tests.endpoints import each_endpoint, sample_path


def assert_unauthorized(response: httpx.Response) -> None:
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    error = response.json()["error"]
    assert error["code"] == "UNAUTHORIZED"
    assert error["message"]


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="no header"),
        pytest.param("Basic dXNlcjpwYXNz", id="wrong scheme"),
        pytest.param("Bearer", id="scheme without token"),
        pytest.param("Bearer    ", id="empty token"),
        pytest.param("Bearer ik_live_doesnotexist000000000000000000000", id="unknown key"),
        pytest.param("ik_live_doesnotexist000000000000000000000", id="token without scheme"),
    ],
)
async def test_request_without_a_valid_key_is_unauthorized(
    client: Client, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}

    response = await client.get("/organization", headers=headers)

    assert_unauthorized(response)


async def test_revoked_key_is_unauthorized(
    client: Client, database: Database, tenant: Tenant
) -> None:
    async with database.write() as session:
        issued = await issue_key(session, tenant.organization_id, name="t", scopes=ALL_SCOPES)
    headers = {"Authorization": f"Bearer {issued.secret}"}
    assert (await client.get("/organization", headers=headers)).status_code == 200

    async with database.write() as session:
        assert await revoke_key(session, issued.key.id)
    response = await client.get("/organization", headers=headers)

    assert_unauthorized(response)


async def test_bearer_scheme_is_case_insensitive(client: Client, tenant: Tenant) -> None:
    secret = tenant.headers["Authorization"].removeprefix("Bearer ")

    response = await client.get("/organization", headers={"Authorization": f"bearer {secret}"})

    assert response.status_code == 200


@pytest.mark.parametrize("spec", each_endpoint())
async def test_every_route_refuses_a_request_without_a_key(client: Client, spec: Endpoint) -> None:
    response = await client.request(spec.method, sample_path(spec), json={})

    assert_unauthorized(response)
