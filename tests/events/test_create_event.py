from __future__ import annotations

from tests.conftest import Client, Tenant
from tests.factories import create_event, event_body


async def test_create_event_returns_its_id(client: Client, tenant: Tenant) -> None:
    response = await client.post("/events", json=event_body(), headers=tenant.headers)

    assert response.status_code == 201
    event_id = response.json()["data"]["eventId"]
    assert event_id.startswith("e") and len(event_id) == 15


async def test_created_event_reads_back_with_the_given_fields(
    client: Client, tenant: Tenant
) -> None:
    body = event_body(
        description="Scenic", websiteUrl="https://example.com/5k", startTime="07:30:00"
    )
    event_id = await create_event(client, tenant.headers, **body)

    event = (await client.get(f"/events/{event_id}", headers=tenant.headers)).json()["data"][
        "event"
    ]

    assert event["name"] == body["name"]
    assert event["slug"] == body["slug"]
    assert event["startTime"] == "07:30"
    assert event["organizationId"] == tenant.organization_id
    assert event["timezone"] == "UTC"


async def test_missing_required_fields_are_each_reported(client: Client, tenant: Tenant) -> None:
    response = await client.post("/events", json={}, headers=tenant.headers)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["errors"] == {
        "name": ["Required"],
        "slug": ["Required"],
        "type": ["Required"],
        "date": ["Required"],
    }


async def test_duplicate_slug_is_a_conflict(client: Client, tenant: Tenant) -> None:
    body = event_body()
    await create_event(client, tenant.headers, **body)

    response = await client.post("/events", json=body, headers=tenant.headers)

    assert response.status_code == 409
    assert response.json()["error"]["reason"] == "slug_taken"
