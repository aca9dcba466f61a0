"""POST /events refuses bad input with a 422 naming each field, dotted when nested."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Client, Tenant
from tests.support import error_fields, event_body


async def post_event(client: Client, tenant: Tenant, **overrides: Any) -> dict[str, list[str]]:
    return error_fields(
        await client.post("/events", json=event_body(**overrides), headers=tenant.headers)
    )


async def test_missing_required_fields_are_each_reported(client: Client, tenant: Tenant) -> None:
    response = await client.post("/events", json={}, headers=tenant.headers)

    assert response.json()["error"]["message"] == "Invalid request body"
    assert error_fields(response) == {
        "name": ["Required"],
        "slug": ["Required"],
        "type": ["Required"],
        "date": ["Required"],
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("type", "marathon"),
        ("date", "2030-02-30"),
        ("date", "14/06/2030"),
        ("endDate", "2030-6-15"),
        ("startTime", "24:00"),
        ("endTime", "8am"),
        ("slug", "Lakefront 5K"),
        ("slug", "double--hyphen"),
        ("slug", "-leading"),
        ("name", ""),
        ("lat", 90.5),
        ("lat", -91),
        ("lng", 180.1),
        ("websiteUrl", "northshorerace.com"),
        ("registrationUrl", "ftp://example.com/register"),
        ("address", "1 Lakeshore Dr"),
    ],
)
async def test_an_invalid_field_is_reported_by_name(
    client: Client, tenant: Tenant, field: str, value: Any
) -> None:
    assert list(await post_event(client, tenant, **{field: value})) == [field]


async def test_an_end_date_before_the_date_is_refused(client: Client, tenant: Tenant) -> None:
    errors = await post_event(client, tenant, date="2030-06-14", endDate="2030-06-13")

    assert errors == {"endDate": ["Must be on or after date"]}


async def test_an_end_date_on_the_date_is_accepted(client: Client, tenant: Tenant) -> None:
    response = await client.post(
        "/events", json=event_body(endDate="2030-06-14"), headers=tenant.headers
    )

    assert response.status_code == 201


async def test_an_unknown_field_is_reported_by_name(client: Client, tenant: Tenant) -> None:
    assert await post_event(client, tenant, seriesId="s93mno456pqr789") == {
        "seriesId": ["Unknown field"]
    }


async def test_an_unknown_address_field_is_reported_dotted(client: Client, tenant: Tenant) -> None:
    errors = await post_event(client, tenant, address={"city": "Chicago", "zip": "60611"})

    assert errors == {"address.zip": ["Unknown field"]}


async def test_an_invalid_run_is_reported_with_its_index(client: Client, tenant: Tenant) -> None:
    runs = [
        {"distanceMeters": 5000, "distanceStandard": "5K"},
        {"distanceMeters": -1, "distanceStandard": "5K"},
    ]

    assert list(await post_event(client, tenant, runs=runs)) == ["runs.1.distanceMeters"]


async def test_a_run_without_distance_or_course_reports_both_fields(
    client: Client, tenant: Tenant
) -> None:
    errors = await post_event(client, tenant, runs=[{"startTime": "09:00"}])

    assert errors == {
        "runs.0.distanceMeters": ["Required unless courseId is given"],
        "runs.0.distanceStandard": ["Required unless courseId is given"],
    }


async def test_an_unknown_run_field_is_reported_with_its_index(
    client: Client, tenant: Tenant
) -> None:
    runs = [{"distanceMeters": 5000, "distanceStandard": "5K", "distance": 5}]

    assert await post_event(client, tenant, runs=runs) == {"runs.0.distance": ["Unknown field"]}


async def test_an_invalid_schedule_field_is_reported_dotted(client: Client, tenant: Tenant) -> None:
    recurrence = {
        "schedule": {
            "frequency": "weekly",
            "daysOfWeek": [7],
            "startTime": "18:30",
            "durationMinutes": 60,
        }
    }

    errors = await post_event(client, tenant, recurrence=recurrence)

    assert list(errors) == ["recurrence.schedule.daysOfWeek"]


async def test_a_recurrence_without_schedule_reports_it_dotted(
    client: Client, tenant: Tenant
) -> None:
    errors = await post_event(client, tenant, recurrence={"label": "Tuesday tempo"})

    assert errors == {"recurrence.schedule": ["Required"]}


async def test_a_horizon_over_a_year_is_refused(client: Client, tenant: Tenant) -> None:
    recurrence = {
        "schedule": {
            "frequency": "weekly",
            "daysOfWeek": [2],
            "startTime": "18:30",
            "durationMinutes": 60,
        },
        "autoPublishHorizonWeeks": 53,
    }

    errors = await post_event(client, tenant, recurrence=recurrence)

    assert list(errors) == ["recurrence.autoPublishHorizonWeeks"]


async def test_every_invalid_field_is_reported_at_once(client: Client, tenant: Tenant) -> None:
    errors = await post_event(client, tenant, type="marathon", lat=100, websiteUrl="nope")

    assert set(errors) == {"type", "lat", "websiteUrl"}


@pytest.mark.parametrize("space", ["\ufeff", "\u0085"])
async def test_a_url_with_white_space_in_python_or_ecmascript_terms_is_refused(
    client: Client, tenant: Tenant, space: str
) -> None:
    errors = await post_event(client, tenant, websiteUrl=f"https://example.com/{space}5k")

    assert set(errors) == {"websiteUrl"}
