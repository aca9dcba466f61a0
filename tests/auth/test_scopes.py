from __future__ import annotations

from typing import Any

import pytest

from intervals_server.auth.scopes import ALL_SCOPES, Scope
from intervals_server.http.routing import Endpoint
from tests.conftest import Client, Tenant
from tests.endpoints import each_endpoint, sample_path
from tests.support import create_event, create_run, event_body


@pytest.mark.parametrize("spec", each_endpoint())
async def test_key_without_the_routes_scope_is_forbidden_and_told_which(
    client: Client, tenant: Tenant, spec: Endpoint
) -> None:
    headers = await tenant.headers_with(*(s for s in ALL_SCOPES if s != spec.scope))

    response = await client.request(spec.method, sample_path(spec), json={}, headers=headers)

    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "FORBIDDEN"
    assert str(spec.scope) in error["message"]


async def _success(client: Client, tenant: Tenant, scope: Scope) -> tuple[str, str, Any]:
    """A request that needs only ``scope`` and succeeds with it: method, path, JSON body."""
    if scope is Scope.READ_SERIES:
        return "GET", "/organization", None
    if scope is Scope.READ_EVENTS:
        return "GET", "/events", None
    if scope is Scope.WRITE_EVENTS:
        return "POST", "/events", event_body()
    if scope is Scope.READ_RECURRENCES:
        return "GET", "/recurrences", None
    if scope is Scope.READ_GROUPS:
        return "GET", "/groups", None
    event_id = await create_event(client, tenant.headers)
    if scope is Scope.READ_PARTICIPANTS:
        return "GET", f"/registration?eventId={event_id}", None
    run_id = await create_run(client, tenant.headers, event_id)
    body = {"eventRunId": run_id, "email": "runner@example.com", "registrationType": "free"}
    return "POST", "/registration", body


@pytest.mark.parametrize(
    "scope",
    [
        Scope.READ_SERIES,
        Scope.READ_EVENTS,
        Scope.WRITE_EVENTS,
        Scope.READ_PARTICIPANTS,
        Scope.WRITE_PARTICIPANTS,
        Scope.READ_RECURRENCES,
        Scope.READ_GROUPS,
    ],
)
async def test_key_holding_only_the_routes_scope_is_served(
    client: Client, tenant: Tenant, scope: Scope
) -> None:
    method, path, body = await _success(client, tenant, scope)
    headers = await tenant.headers_with(scope)

    response = await client.request(method, path, json=body, headers=headers)

    assert response.status_code in (200, 201), response.text


@pytest.mark.parametrize(
    ("scope", "method", "path"),
    [
        (Scope.READ_SERIES, "GET", "/organization"),
        (Scope.READ_EVENTS, "GET", "/events"),
        (Scope.WRITE_EVENTS, "POST", "/events"),
        (Scope.READ_PARTICIPANTS, "GET", "/registration?eventId=e00000000000000"),
        (Scope.WRITE_PARTICIPANTS, "POST", "/registration"),
        (Scope.READ_RECURRENCES, "GET", "/recurrences"),
        (Scope.READ_GROUPS, "GET", "/groups/some-group"),
    ],
)
async def test_key_with_no_scopes_is_forbidden_naming_the_missing_one(
    client: Client, tenant: Tenant, scope: Scope, method: str, path: str
) -> None:
    headers = await tenant.headers_with()

    response = await client.request(method, path, json={}, headers=headers)

    assert response.status_code == 403
    assert scope in response.json()["error"]["message"]
