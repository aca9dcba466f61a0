"""POST /events: an event, optionally with its runs, a recurrence, a group and a zone."""

from __future__ import annotations

import pytest

from intervals_server.db import Database
from tests.conftest import Client, Tenant, make_tenant
from tests.support import (
    create_course,
    create_event,
    create_group,
    error_fields,
    event_body,
    read_event,
)

TUESDAY_TEMPO = {
    "label": "Tuesday tempo",
    "schedule": {
        "frequency": "weekly",
        "daysOfWeek": [2],
        "startTime": "18:30",
        "durationMinutes": 60,
    },
    "autoPublishHorizonWeeks": 8,
}


async def test_create_event_returns_its_id(client: Client, tenant: Tenant) -> None:
    response = await client.post("/events", json=event_body(), headers=tenant.headers)

    assert response.status_code == 201
    assert set(response.json()["data"]) == {"eventId"}
    event_id = response.json()["data"]["eventId"]
    assert event_id.startswith("e") and len(event_id) == 15


async def test_created_event_reads_back_with_the_required_fields(
    client: Client, tenant: Tenant
) -> None:
    body = event_body()
    event_id = await create_event(client, tenant.headers, **body)

    data = await read_event(client, tenant.headers, event_id)

    event = data["event"]
    assert event["_id"] == event_id
    assert event["name"] == body["name"]
    assert event["slug"] == body["slug"]
    assert event["type"] == "race"
    assert event["date"] == "2030-06-14"
    assert event["startTime"] == "08:00"
    assert event["organizationId"] == tenant.organization_id
    assert data["runs"] == []


async def test_every_optional_field_reads_back(client: Client, tenant: Tenant) -> None:
    address = {
        "line1": "1 Lakeshore Dr",
        "city": "Chicago",
        "region": "IL",
        "postalCode": "60611",
        "country": "US",
    }
    event_id = await create_event(
        client,
        tenant.headers,
        type="runClub",
        endDate="2030-06-15",
        endTime="11:00",
        address=address,
        lat=41.8917,
        lng=-87.6086,
        description="Scenic shore path",
        websiteUrl="https://example.com/5k",
        registrationUrl="https://example.com/5k/register",
    )

    event = (await read_event(client, tenant.headers, event_id))["event"]

    assert event["type"] == "runClub"
    assert event["endDate"] == "2030-06-15"
    assert event["endTime"] == "11:00"
    assert event["address"] == address
    assert event["lat"] == 41.8917
    assert event["lng"] == -87.6086
    assert event["description"] == "Scenic shore path"
    assert event["websiteUrl"] == "https://example.com/5k"
    assert event["registrationUrl"] == "https://example.com/5k/register"


async def test_a_partial_address_keeps_only_the_given_lines(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers, address={"city": "Chicago"})

    event = (await read_event(client, tenant.headers, event_id))["event"]

    assert event["address"] == {"city": "Chicago"}


async def test_optional_fields_not_given_are_left_out(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    event = (await read_event(client, tenant.headers, event_id))["event"]

    for absent in ("endDate", "endTime", "address", "lat", "lng", "description", "groupId"):
        assert absent not in event


async def test_times_with_seconds_are_kept_as_hours_and_minutes(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers, startTime="07:30:45", endTime="10:15:00")

    event = (await read_event(client, tenant.headers, event_id))["event"]

    assert (event["startTime"], event["endTime"]) == ("07:30", "10:15")


async def test_runs_given_by_distance_are_created_with_the_event(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(
        client,
        tenant.headers,
        runs=[
            {"distanceMeters": 5000, "distanceStandard": "5K"},
            {"distanceMeters": 1609.34, "distanceStandard": "Other", "distanceLabel": "Mile"},
        ],
    )

    runs = (await read_event(client, tenant.headers, event_id))["runs"]

    assert [
        (run["distanceMeters"], run["distanceStandard"], run["distanceLabel"]) for run in runs
    ] == [
        (5000, "5K", "5K"),
        (1609.34, "Other", "Mile"),
    ]
    assert all(run["eventId"] == event_id for run in runs)
    assert all((run["date"], run["startTime"]) == ("2030-06-14", "08:00") for run in runs)


async def test_a_run_given_by_course_takes_the_course_distance(
    client: Client, tenant: Tenant, database: Database
) -> None:
    course = await create_course(database, tenant.organization_id, distance_label="10K loop")

    event_id = await create_event(client, tenant.headers, runs=[{"courseId": course.id}])

    (run,) = (await read_event(client, tenant.headers, event_id))["runs"]
    assert run["courseId"] == course.id
    assert run["distanceMeters"] == 10000
    assert run["distanceStandard"] == "10K"
    assert run["distanceLabel"] == "10K loop"


async def test_another_tenants_course_is_unknown(
    client: Client, tenant: Tenant, other_tenant: Tenant, database: Database
) -> None:
    course = await create_course(database, other_tenant.organization_id)

    response = await client.post(
        "/events", json=event_body(runs=[{"courseId": course.id}]), headers=tenant.headers
    )

    assert error_fields(response) == {"runs.0.courseId": ["No course with this ID"]}


async def test_a_recurrence_given_with_the_event_is_listed_in_the_seed_shape(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers, recurrence=TUESDAY_TEMPO)

    response = await client.get(
        "/recurrences", params={"eventId": event_id}, headers=tenant.headers
    )

    (recurrence,) = response.json()["data"]
    assert recurrence["_id"].startswith("rc") and len(recurrence["_id"]) == 16
    assert {
        key: value for key, value in recurrence.items() if key not in ("createdAt", "updatedAt")
    } == {
        "_id": recurrence["_id"],
        "eventId": event_id,
        "status": "active",
        **TUESDAY_TEMPO,
    }


async def test_event_in_a_group_reads_back_its_group_id(
    client: Client, tenant: Tenant, database: Database
) -> None:
    group = await create_group(database, tenant.organization_id)

    event_id = await create_event(client, tenant.headers, groupId=group.id)

    event = (await read_event(client, tenant.headers, event_id))["event"]
    assert event["groupId"] == group.id


async def test_an_unknown_group_is_a_validation_error_naming_group_id(
    client: Client, tenant: Tenant
) -> None:
    response = await client.post(
        "/events", json=event_body(groupId="g00000000000000"), headers=tenant.headers
    )

    assert list(error_fields(response)) == ["groupId"]


async def test_another_tenants_group_is_unknown(
    client: Client, tenant: Tenant, other_tenant: Tenant, database: Database
) -> None:
    group = await create_group(database, other_tenant.organization_id)

    response = await client.post(
        "/events", json=event_body(groupId=group.id), headers=tenant.headers
    )

    assert list(error_fields(response)) == ["groupId"]


async def test_event_keeps_the_time_zone_it_is_given(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers, timezone="Europe/London")

    event = (await read_event(client, tenant.headers, event_id))["event"]

    assert event["timezone"] == "Europe/London"


async def test_event_time_zone_defaults_to_the_organizations(
    client: Client, database: Database
) -> None:
    chicago = await make_tenant(database, timezone="America/Chicago")

    event_id = await create_event(client, chicago.headers)

    event = (await read_event(client, chicago.headers, event_id))["event"]
    assert event["timezone"] == "America/Chicago"


async def test_an_unknown_time_zone_is_a_validation_error(client: Client, tenant: Tenant) -> None:
    response = await client.post(
        "/events", json=event_body(timezone="Mars/Olympus_Mons"), headers=tenant.headers
    )

    assert list(error_fields(response)) == ["timezone"]


async def test_a_duplicate_slug_is_a_conflict(client: Client, tenant: Tenant) -> None:
    body = event_body()
    await create_event(client, tenant.headers, **body)

    response = await client.post("/events", json=body, headers=tenant.headers)

    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["reason"]) == ("CONFLICT", "slug_taken")


async def test_the_same_slug_is_free_in_another_organization(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    body = event_body()
    await create_event(client, tenant.headers, **body)

    response = await client.post("/events", json=body, headers=other_tenant.headers)

    assert response.status_code == 201


async def test_an_invalid_run_leaves_no_event_behind(client: Client, tenant: Tenant) -> None:
    body = event_body(runs=[{"distanceMeters": 5000, "distanceStandard": "5K"}, {}])

    failed = await client.post("/events", json=body, headers=tenant.headers)
    retried = await client.post(
        "/events", json={**body, "runs": body["runs"][:1]}, headers=tenant.headers
    )

    assert failed.status_code == 422
    assert retried.status_code == 201
    listed = (await client.get("/events", headers=tenant.headers)).json()["data"]
    assert [event["_id"] for event in listed] == [retried.json()["data"]["eventId"]]


async def test_an_invalid_recurrence_course_leaves_no_event_behind(
    client: Client, tenant: Tenant
) -> None:
    recurrence = {**TUESDAY_TEMPO, "defaultCourseId": "c00000000000000"}

    response = await client.post(
        "/events", json=event_body(recurrence=recurrence), headers=tenant.headers
    )

    assert error_fields(response) == {"recurrence.defaultCourseId": ["No course with this ID"]}
    assert (await client.get("/events", headers=tenant.headers)).json()["data"] == []


@pytest.mark.parametrize(
    "timezone", ["America", "Europe", "Etc", "US", "posix", "right", "localtime", "Factory"]
)
async def test_a_time_zone_folder_or_pseudo_zone_is_a_validation_error(
    client: Client, tenant: Tenant, timezone: str
) -> None:
    response = await client.post(
        "/events", json=event_body(timezone=timezone), headers=tenant.headers
    )

    assert response.status_code == 422
    assert list(error_fields(response)) == ["timezone"]
