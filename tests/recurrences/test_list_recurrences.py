"""GET /recurrences: the schedules attached to the organization's events."""

from __future__ import annotations

from typing import Any

import pytest

from intervals_server.db import Database
from tests.conftest import Client, Tenant
from tests.support import create_course, create_event, error_fields

# The seed's example item, less its IDs.
TUESDAY_TEMPO: dict[str, Any] = {
    "label": "Tuesday tempo",
    "schedule": {
        "frequency": "weekly",
        "daysOfWeek": [2],
        "startTime": "18:30",
        "durationMinutes": 60,
    },
    "status": "active",
    "autoPublishHorizonWeeks": 8,
}


async def event_with_recurrence(client: Client, tenant: Tenant, **overrides: Any) -> str:
    return await create_event(client, tenant.headers, recurrence={**TUESDAY_TEMPO, **overrides})


async def list_recurrences(client: Client, tenant: Tenant, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/recurrences", params=params, headers=tenant.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["data"]
    return items


async def test_a_recurrence_is_listed_exactly_in_the_seed_shape(
    client: Client, tenant: Tenant
) -> None:
    event_id = await event_with_recurrence(client, tenant)

    response = await client.get("/recurrences", headers=tenant.headers)

    body = response.json()
    assert body["hasMore"] is False
    (item,) = body["data"]
    assert set(item) == {"_id", "eventId", *TUESDAY_TEMPO, "createdAt", "updatedAt"}
    assert item["_id"].startswith("rc") and len(item["_id"]) == 16
    assert item["eventId"] == event_id
    assert {key: item[key] for key in TUESDAY_TEMPO} == TUESDAY_TEMPO


async def test_the_defaults_are_active_and_eight_weeks(client: Client, tenant: Tenant) -> None:
    await create_event(client, tenant.headers, recurrence={"schedule": TUESDAY_TEMPO["schedule"]})

    (item,) = await list_recurrences(client, tenant)

    assert (item["status"], item["autoPublishHorizonWeeks"]) == ("active", 8)
    assert "label" not in item and "defaultCourseId" not in item


async def test_a_start_time_with_seconds_is_stored_as_hours_and_minutes(
    client: Client, tenant: Tenant
) -> None:
    schedule = {**TUESDAY_TEMPO["schedule"], "startTime": "18:30:00"}
    await event_with_recurrence(client, tenant, schedule=schedule)

    (item,) = await list_recurrences(client, tenant)

    assert item["schedule"]["startTime"] == "18:30"


async def test_added_schedule_fields_read_back(client: Client, tenant: Tenant) -> None:
    schedule = {
        "frequency": "monthly",
        "daysOfWeek": [6],
        "weekOfMonth": -1,
        "interval": 2,
        "startTime": "07:00",
        "durationMinutes": 120,
        "startsOn": "2030-01-01",
        "endsOn": "2030-12-31",
        "exceptDates": ["2030-12-28"],
    }
    await event_with_recurrence(client, tenant, schedule=schedule)

    (item,) = await list_recurrences(client, tenant)

    assert item["schedule"] == schedule


async def test_a_default_course_reads_back(
    client: Client, tenant: Tenant, database: Database
) -> None:
    course = await create_course(database, tenant.organization_id)
    await event_with_recurrence(client, tenant, defaultCourseId=course.id)

    (item,) = await list_recurrences(client, tenant)

    assert item["defaultCourseId"] == course.id


async def test_recurrences_are_listed_in_creation_order(client: Client, tenant: Tenant) -> None:
    first = await event_with_recurrence(client, tenant)
    second = await event_with_recurrence(client, tenant)

    items = await list_recurrences(client, tenant)

    assert [item["eventId"] for item in items] == [first, second]


async def test_status_filters_recurrences(client: Client, tenant: Tenant) -> None:
    await event_with_recurrence(client, tenant, status="active")
    paused = await event_with_recurrence(client, tenant, status="paused")

    items = await list_recurrences(client, tenant, status="paused")

    assert [item["eventId"] for item in items] == [paused]


async def test_event_id_filters_recurrences(client: Client, tenant: Tenant) -> None:
    await event_with_recurrence(client, tenant)
    wanted = await event_with_recurrence(client, tenant)

    items = await list_recurrences(client, tenant, eventId=wanted)

    assert [item["eventId"] for item in items] == [wanted]


@pytest.mark.parametrize(("parameter", "value"), [("status", "deleted"), ("limit", "1000")])
async def test_an_invalid_parameter_is_reported_by_name(
    client: Client, tenant: Tenant, parameter: str, value: str
) -> None:
    response = await client.get("/recurrences", params={parameter: value}, headers=tenant.headers)

    assert list(error_fields(response)) == [parameter]


async def test_another_tenants_recurrences_are_never_listed(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = await event_with_recurrence(client, tenant)
    theirs = await event_with_recurrence(client, other_tenant)

    assert [item["eventId"] for item in await list_recurrences(client, tenant)] == [mine]
    assert await list_recurrences(client, tenant, eventId=theirs) == []
