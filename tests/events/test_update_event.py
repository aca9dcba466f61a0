"""PATCH /events/{id}: change the given fields; null clears an optional one."""

from __future__ import annotations

from typing import Any

import pytest

from intervals_server.db import Database
from tests.conftest import Client, Tenant
from tests.support import (
    create_event,
    create_group,
    create_run,
    error_fields,
    event_body,
    read_event,
)


async def patch_event(client: Client, tenant: Tenant, event_id: str, **changes: Any) -> Any:
    return await client.patch(f"/events/{event_id}", json=changes, headers=tenant.headers)


async def test_patch_changes_only_the_given_fields(client: Client, tenant: Tenant) -> None:
    body = event_body(description="Scenic")
    event_id = await create_event(client, tenant.headers, **body)

    response = await patch_event(client, tenant, event_id, name="Lakefront 10K", date="2030-07-01")

    assert response.status_code == 200
    event = response.json()["data"]
    assert (event["name"], event["date"]) == ("Lakefront 10K", "2030-07-01")
    assert (event["slug"], event["description"]) == (body["slug"], "Scenic")


async def test_patched_fields_read_back(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    await patch_event(
        client, tenant, event_id, startTime="09:15:30", address={"city": "Evanston"}, lat=42.05
    )

    event = (await read_event(client, tenant.headers, event_id))["event"]
    assert (event["startTime"], event["address"], event["lat"]) == (
        "09:15",
        {"city": "Evanston"},
        42.05,
    )


async def test_null_clears_optional_fields(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(
        client,
        tenant.headers,
        description="Scenic",
        address={"city": "Chicago"},
        lat=41.9,
        endDate="2030-06-15",
    )

    response = await patch_event(
        client, tenant, event_id, description=None, address=None, lat=None, endDate=None
    )

    assert response.status_code == 200
    event = (await read_event(client, tenant.headers, event_id))["event"]
    for cleared in ("description", "address", "lat", "endDate"):
        assert cleared not in event


async def test_null_moves_an_event_out_of_its_group(
    client: Client, tenant: Tenant, database: Database
) -> None:
    group = await create_group(database, tenant.organization_id)
    event_id = await create_event(client, tenant.headers, groupId=group.id)

    await patch_event(client, tenant, event_id, groupId=None)

    assert "groupId" not in (await read_event(client, tenant.headers, event_id))["event"]


@pytest.mark.parametrize("field", ["name", "slug", "type", "date", "timezone"])
async def test_null_on_a_required_field_is_refused(
    client: Client, tenant: Tenant, field: str
) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await patch_event(client, tenant, event_id, **{field: None})

    assert list(error_fields(response)) == [field]


async def test_an_unknown_field_is_refused(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await patch_event(client, tenant, event_id, organizationId="k00000000000000")

    assert error_fields(response) == {"organizationId": ["Unknown field"]}


async def test_moving_the_date_past_the_end_date_is_refused(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers, date="2030-06-14", endDate="2030-06-15")

    response = await patch_event(client, tenant, event_id, date="2030-06-16")

    assert error_fields(response) == {"endDate": ["Must be on or after date"]}
    assert (await read_event(client, tenant.headers, event_id))["event"]["date"] == "2030-06-14"


async def test_an_unknown_group_is_refused(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await patch_event(client, tenant, event_id, groupId="g00000000000000")

    assert list(error_fields(response)) == ["groupId"]


async def test_another_tenants_group_is_refused(
    client: Client, tenant: Tenant, other_tenant: Tenant, database: Database
) -> None:
    theirs = await create_group(database, other_tenant.organization_id)
    event_id = await create_event(client, tenant.headers)

    response = await patch_event(client, tenant, event_id, groupId=theirs.id)

    assert list(error_fields(response)) == ["groupId"]


async def test_a_slug_in_use_is_a_conflict(client: Client, tenant: Tenant) -> None:
    taken = event_body()
    await create_event(client, tenant.headers, **taken)
    event_id = await create_event(client, tenant.headers)

    response = await patch_event(client, tenant, event_id, slug=taken["slug"])

    assert response.status_code == 409
    assert response.json()["error"]["reason"] == "slug_taken"


async def test_keeping_the_same_slug_is_not_a_conflict(client: Client, tenant: Tenant) -> None:
    body = event_body()
    event_id = await create_event(client, tenant.headers, **body)

    response = await patch_event(client, tenant, event_id, slug=body["slug"], name="Renamed")

    assert response.status_code == 200


async def test_changing_the_time_zone_moves_the_runs_instants(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers, date="2030-06-14", startTime="08:00")
    await create_run(client, tenant.headers, event_id)

    response = await patch_event(client, tenant, event_id, timezone="America/Chicago")

    assert response.json()["data"]["timezone"] == "America/Chicago"
    (run,) = (await read_event(client, tenant.headers, event_id))["runs"]
    assert (run["startTime"], run["startsAt"]) == ("08:00", "2030-06-14T13:00:00Z")


async def test_an_unknown_time_zone_is_refused(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await patch_event(client, tenant, event_id, timezone="Chicago")

    assert list(error_fields(response)) == ["timezone"]


async def test_an_unknown_event_is_not_found(client: Client, tenant: Tenant) -> None:
    response = await patch_event(client, tenant, "e00000000000000", name="Renamed")

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Event not found"


async def test_another_tenants_event_is_not_found_and_unchanged(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    theirs = await create_event(client, other_tenant.headers, name="Theirs")

    response = await patch_event(client, tenant, theirs, name="Mine now")

    assert response.status_code == 404
    assert (await read_event(client, other_tenant.headers, theirs))["event"]["name"] == "Theirs"


async def test_a_time_zone_that_moves_a_run_beyond_the_calendar_is_refused(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers)
    await create_run(client, tenant.headers, event_id, date="0001-01-01", startTime="00:00")

    response = await patch_event(client, tenant, event_id, timezone="Asia/Tokyo")

    assert list(error_fields(response)) == ["timezone"]
    assert (await read_event(client, tenant.headers, event_id))["event"]["timezone"] == "UTC"


@pytest.mark.parametrize("timezone", ["America", "posixrules", "right/UTC"])
async def test_a_time_zone_folder_or_file_outside_the_database_is_refused(
    client: Client, tenant: Tenant, timezone: str
) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await patch_event(client, tenant, event_id, timezone=timezone)

    assert response.status_code == 422
    assert list(error_fields(response)) == ["timezone"]
