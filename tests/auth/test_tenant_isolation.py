"""Another organization's IDs answer exactly as IDs that do not exist."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from intervals_server.db import Database
from intervals_server.groups.service import create_group
from intervals_server.kit.ids import new_id
from tests.conftest import Client, Tenant
from tests.endpoints import endpoint_for
from tests.support import acting_for, create_event, create_event_with_run, register

# A request template ("{id}" stands for the ID under test) and how to make the other
# tenant's object it names.
Maker = Callable[[Client, Tenant, Database], Awaitable[str]]


async def _event(client: Client, owner: Tenant, _: Database) -> str:
    return await create_event(client, owner.headers)


async def _run(client: Client, owner: Tenant, _: Database) -> str:
    return (await create_event_with_run(client, owner.headers))[1]


async def _registration(client: Client, owner: Tenant, _: Database) -> str:
    run_id = (await create_event_with_run(client, owner.headers))[1]
    response = await register(client, owner.headers, run_id)
    participant_id: str = response.json()["data"]["participantId"]
    return participant_id


async def _group_slug(_: Client, owner: Tenant, database: Database) -> str:
    slug = f"group-{new_id('')}"
    async with acting_for(database, owner.organization_id) as ctx:
        await create_group(ctx, name="Track", slug=slug)
    return slug


CASES = [
    pytest.param("GET", "/events/{id}", None, _event, "e", id="GET /events/{id}"),
    pytest.param("PATCH", "/events/{id}", {"name": "Mine"}, _event, "e", id="PATCH /events/{id}"),
    pytest.param(
        "POST",
        "/events/{id}/runs",
        {"distanceMeters": 5000, "distanceStandard": "5K"},
        _event,
        "e",
        id="POST /events/{id}/runs",
    ),
    pytest.param(
        "PATCH", "/runs/{id}", {"eventStatus": "cancelled"}, _run, "r", id="PATCH /runs/{id}"
    ),
    pytest.param(
        "POST",
        "/registration",
        {"eventRunId": "{id}", "email": "a@example.com", "registrationType": "free"},
        _run,
        "r",
        id="POST /registration",
    ),
    pytest.param(
        "POST",
        "/registration/{id}/cancel",
        None,
        _registration,
        "p",
        id="POST /registration/{id}/cancel",
    ),
    pytest.param("GET", "/registration?eventId={id}", None, _event, "e", id="GET /registration"),
    pytest.param("GET", "/groups/{id}", None, _group_slug, "no-such-group-", id="GET /groups"),
]


def _fill(template: Any, value: str) -> Any:
    if isinstance(template, str):
        return template.replace("{id}", value)
    if isinstance(template, dict):
        return {key: _fill(item, value) for key, item in template.items()}
    return template


def _without_request_id(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    body["error"].pop("requestId")
    return body


@pytest.mark.parametrize(("method", "path", "body", "make", "prefix"), CASES)
async def test_other_tenants_id_answers_exactly_like_an_unknown_id(
    client: Client,
    database: Database,
    tenant: Tenant,
    other_tenant: Tenant,
    method: str,
    path: str,
    body: Any,
    make: Maker,
    prefix: str,
) -> None:
    theirs = await make(client, other_tenant, database)
    unknown = prefix + new_id("")[: 15 - len(prefix)]

    foreign = await client.request(
        method, _fill(path, theirs), json=_fill(body, theirs), headers=tenant.headers
    )
    missing = await client.request(
        method, _fill(path, unknown), json=_fill(body, unknown), headers=tenant.headers
    )

    assert foreign.status_code == missing.status_code == 404
    assert _without_request_id(foreign) == _without_request_id(missing)


@pytest.mark.parametrize(("method", "path", "body", "make", "prefix"), CASES)
async def test_unknown_id_answers_the_documented_not_found_message(
    client: Client,
    tenant: Tenant,
    method: str,
    path: str,
    body: Any,
    make: Maker,
    prefix: str,
) -> None:
    unknown = prefix + new_id("")[: 15 - len(prefix)]

    response = await client.request(
        method, _fill(path, unknown), json=_fill(body, unknown), headers=tenant.headers
    )

    assert response.status_code == 404
    assert response.json()["error"]["message"] == endpoint_for(method, path).not_found


async def test_other_tenants_event_is_left_unchanged_by_a_refused_update(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    theirs = await create_event(client, other_tenant.headers, name="Theirs")

    await client.patch(f"/events/{theirs}", json={"name": "Mine"}, headers=tenant.headers)

    event = (await client.get(f"/events/{theirs}", headers=other_tenant.headers)).json()
    assert event["data"]["event"]["name"] == "Theirs"
