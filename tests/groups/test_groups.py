"""GET /groups and GET /groups/{slug}: the organization's event groups."""

from __future__ import annotations

import pytest

from intervals_server.db import Database
from tests.conftest import Client, Tenant
from tests.support import create_group, error_fields


async def test_a_group_has_the_reference_shape(
    client: Client, tenant: Tenant, database: Database
) -> None:
    group = await create_group(
        database,
        tenant.organization_id,
        name="Friday Night Lights",
        slug="friday-night-lights",
        description="Our weekly Friday evening track workouts.",
    )

    response = await client.get("/groups/friday-night-lights", headers=tenant.headers)

    assert response.status_code == 200
    data = response.json()["data"]
    assert group.id.startswith("g") and len(group.id) == 15
    assert {key: value for key, value in data.items() if key not in ("createdAt", "updatedAt")} == {
        "_id": group.id,
        "organizationId": tenant.organization_id,
        "name": "Friday Night Lights",
        "slug": "friday-night-lights",
        "description": "Our weekly Friday evening track workouts.",
        "status": "active",
    }


async def test_groups_are_listed_in_creation_order(
    client: Client, tenant: Tenant, database: Database
) -> None:
    first = await create_group(database, tenant.organization_id)
    second = await create_group(database, tenant.organization_id)
    third = await create_group(database, tenant.organization_id)

    body = (await client.get("/groups", headers=tenant.headers)).json()

    assert [group["_id"] for group in body["data"]] == [first.id, second.id, third.id]
    assert body["hasMore"] is False


async def test_status_filters_groups(client: Client, tenant: Tenant, database: Database) -> None:
    await create_group(database, tenant.organization_id, status="active")
    paused = await create_group(database, tenant.organization_id, status="paused")
    await create_group(database, tenant.organization_id, status="archived")

    response = await client.get("/groups", params={"status": "paused"}, headers=tenant.headers)

    assert [group["_id"] for group in response.json()["data"]] == [paused.id]


@pytest.mark.parametrize(("parameter", "value"), [("status", "deleted"), ("slug", "fnl")])
async def test_an_invalid_parameter_is_reported_by_name(
    client: Client, tenant: Tenant, parameter: str, value: str
) -> None:
    response = await client.get("/groups", params={parameter: value}, headers=tenant.headers)

    assert list(error_fields(response)) == [parameter]


async def test_another_tenants_groups_are_never_listed(
    client: Client, tenant: Tenant, other_tenant: Tenant, database: Database
) -> None:
    mine = await create_group(database, tenant.organization_id)
    await create_group(database, other_tenant.organization_id)

    response = await client.get("/groups", headers=tenant.headers)

    assert [group["_id"] for group in response.json()["data"]] == [mine.id]


async def test_an_unknown_slug_is_not_found(client: Client, tenant: Tenant) -> None:
    response = await client.get("/groups/no-such-group", headers=tenant.headers)

    assert response.status_code == 404
    error = response.json()["error"]
    assert (error["code"], error["message"]) == ("NOT_FOUND", "Group not found")


async def test_another_tenants_slug_is_not_found(
    client: Client, tenant: Tenant, other_tenant: Tenant, database: Database
) -> None:
    theirs = await create_group(database, other_tenant.organization_id)

    response = await client.get(f"/groups/{theirs.slug}", headers=tenant.headers)

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Group not found"


async def test_the_same_slug_in_two_organizations_finds_each_ones_own(
    client: Client, tenant: Tenant, other_tenant: Tenant, database: Database
) -> None:
    mine = await create_group(database, tenant.organization_id, slug="winter-series")
    await create_group(database, other_tenant.organization_id, slug="winter-series")

    response = await client.get("/groups/winter-series", headers=tenant.headers)

    assert response.json()["data"]["_id"] == mine.id
