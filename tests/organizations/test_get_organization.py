from __future__ import annotations

from intervals_server.db import Database
from tests.conftest import Client, Tenant, make_tenant


async def test_organization_has_the_reference_shape_plus_its_timezone(
    client: Client, tenant: Tenant
) -> None:
    response = await client.get("/organization", headers=tenant.headers)

    assert response.status_code == 200
    organization = response.json()["data"]
    assert set(organization) == {"_id", "name", "slug", "roles", "plan", "timezone"}
    assert organization["_id"] == tenant.organization_id
    assert organization["_id"].startswith("k") and len(organization["_id"]) == 15
    assert organization["name"] == "Test Running Club"
    assert organization["roles"] == ["organizer"]
    assert organization["plan"] == "enterprise"
    assert organization["timezone"] == "UTC"


async def test_organization_is_the_one_the_key_belongs_to(
    client: Client, database: Database
) -> None:
    chicago = await make_tenant(database, plan="local", timezone="America/Chicago")

    organization = (await client.get("/organization", headers=chicago.headers)).json()["data"]

    assert organization["_id"] == chicago.organization_id
    assert organization["plan"] == "local"
    assert organization["timezone"] == "America/Chicago"
