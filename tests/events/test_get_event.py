"""GET /events/{id}: one event and its runs."""

from __future__ import annotations

from tests.conftest import Client, Tenant
from tests.support import create_event, create_run, read_event


async def test_event_comes_with_its_runs(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)
    run_id = await create_run(client, tenant.headers, event_id)

    response = await client.get(f"/events/{event_id}", headers=tenant.headers)

    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"event", "runs"}
    assert data["event"]["_id"] == event_id
    assert [run["_id"] for run in data["runs"]] == [run_id]


async def test_a_run_has_the_reference_fields(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers, date="2030-06-14", startTime="08:00")
    run_id = await create_run(client, tenant.headers, event_id)

    (run,) = (await read_event(client, tenant.headers, event_id))["runs"]

    assert run["_id"] == run_id
    assert run["_id"].startswith("r") and len(run["_id"]) == 15
    assert {
        key: run[key]
        for key in (
            "eventId",
            "distanceMeters",
            "distanceStandard",
            "distanceLabel",
            "date",
            "startTime",
            "eventStatus",
        )
    } == {
        "eventId": event_id,
        "distanceMeters": 5000,
        "distanceStandard": "5K",
        "distanceLabel": "5K",
        "date": "2030-06-14",
        "startTime": "08:00",
        "eventStatus": "scheduled",
    }
    assert run["startsAt"] == "2030-06-14T08:00:00Z"


async def test_runs_are_ordered_by_date_then_start_time(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers, date="2030-06-14")
    evening = await create_run(client, tenant.headers, event_id, startTime="18:00")
    next_day = await create_run(client, tenant.headers, event_id, date="2030-06-15")
    morning = await create_run(client, tenant.headers, event_id, startTime="07:00")

    runs = (await read_event(client, tenant.headers, event_id))["runs"]

    assert [run["_id"] for run in runs] == [morning, evening, next_day]


async def test_an_unknown_event_is_not_found(client: Client, tenant: Tenant) -> None:
    response = await client.get("/events/e00000000000000", headers=tenant.headers)

    assert response.status_code == 404
    error = response.json()["error"]
    assert (error["code"], error["message"]) == ("NOT_FOUND", "Event not found")


async def test_another_tenants_event_is_not_found_like_an_unknown_one(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    theirs = await create_event(client, other_tenant.headers)

    response = await client.get(f"/events/{theirs}", headers=tenant.headers)
    unknown = await client.get("/events/e00000000000000", headers=tenant.headers)

    assert response.status_code == unknown.status_code == 404
    assert response.json()["error"]["message"] == unknown.json()["error"]["message"]
    assert response.json()["error"]["code"] == unknown.json()["error"]["code"]
