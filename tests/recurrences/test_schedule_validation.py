"""A schedule that cannot work is a 422 naming its field, through POST /events."""

from __future__ import annotations

from typing import Any

from tests.conftest import Client, Tenant
from tests.support import event_body


def with_schedule(**schedule: Any) -> dict[str, Any]:
    return event_body(
        recurrence={"schedule": {"startTime": "18:30", "durationMinutes": 60, **schedule}}
    )


async def refused(client: Client, tenant: Tenant, **schedule: Any) -> list[str]:
    """The fields the 422 names."""
    response = await client.post("/events", json=with_schedule(**schedule), headers=tenant.headers)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    return sorted(error["errors"])


async def test_a_weekly_schedule_without_days_of_week_is_refused(
    client: Client, tenant: Tenant
) -> None:
    fields = await refused(client, tenant, frequency="weekly")

    assert fields == ["recurrence.schedule.daysOfWeek"]


async def test_a_weekly_schedule_with_day_of_month_is_refused(
    client: Client, tenant: Tenant
) -> None:
    fields = await refused(client, tenant, frequency="weekly", daysOfWeek=[2], dayOfMonth=3)

    assert fields == ["recurrence.schedule.dayOfMonth"]


async def test_a_weekly_schedule_with_week_of_month_is_refused(
    client: Client, tenant: Tenant
) -> None:
    fields = await refused(client, tenant, frequency="weekly", daysOfWeek=[2], weekOfMonth=1)

    assert fields == ["recurrence.schedule.weekOfMonth"]


async def test_a_monthly_schedule_with_neither_day_of_month_nor_week_of_month_is_refused(
    client: Client, tenant: Tenant
) -> None:
    fields = await refused(client, tenant, frequency="monthly")

    assert fields == ["recurrence.schedule.dayOfMonth", "recurrence.schedule.weekOfMonth"]


async def test_a_monthly_schedule_with_both_day_of_month_and_week_of_month_is_refused(
    client: Client, tenant: Tenant
) -> None:
    fields = await refused(
        client, tenant, frequency="monthly", dayOfMonth=3, weekOfMonth=1, daysOfWeek=[2]
    )

    assert "recurrence.schedule.dayOfMonth" in fields
    assert "recurrence.schedule.weekOfMonth" in fields


async def test_week_of_month_without_days_of_week_is_refused(
    client: Client, tenant: Tenant
) -> None:
    fields = await refused(client, tenant, frequency="monthly", weekOfMonth=2)

    assert fields == ["recurrence.schedule.daysOfWeek"]


async def test_day_of_month_with_days_of_week_is_refused(client: Client, tenant: Tenant) -> None:
    fields = await refused(client, tenant, frequency="monthly", dayOfMonth=3, daysOfWeek=[2])

    assert fields == ["recurrence.schedule.daysOfWeek"]


async def test_a_day_of_week_given_twice_is_refused(client: Client, tenant: Tenant) -> None:
    fields = await refused(client, tenant, frequency="weekly", daysOfWeek=[2, 4, 2])

    assert fields == ["recurrence.schedule.daysOfWeek"]


async def test_ends_on_before_starts_on_is_refused(client: Client, tenant: Tenant) -> None:
    fields = await refused(
        client,
        tenant,
        frequency="weekly",
        daysOfWeek=[2],
        startsOn="2030-06-01",
        endsOn="2030-05-31",
    )

    assert fields == ["recurrence.schedule.endsOn"]


async def test_starts_on_outside_the_supported_calendar_is_refused(
    client: Client, tenant: Tenant
) -> None:
    fields = await refused(
        client, tenant, frequency="weekly", daysOfWeek=[2], startsOn="0999-06-01"
    )

    assert fields == ["recurrence.schedule.startsOn"]


async def test_a_day_of_month_no_month_on_the_interval_has_is_refused(
    client: Client, tenant: Tenant
) -> None:
    # Every twelve months from April: always April, which has no 31st.
    fields = await refused(
        client, tenant, frequency="monthly", dayOfMonth=31, interval=12, startsOn="2030-04-01"
    )

    assert fields == ["recurrence.schedule.dayOfMonth"]


async def test_a_fifth_weekday_no_month_on_the_interval_has_is_refused(
    client: Client, tenant: Tenant
) -> None:
    # Every 24 months from February 2031: always a February of an odd, so common, year.
    fields = await refused(
        client,
        tenant,
        frequency="monthly",
        weekOfMonth=5,
        daysOfWeek=[1],
        interval=24,
        startsOn="2031-02-01",
    )

    assert fields == ["recurrence.schedule.weekOfMonth"]


async def test_a_range_without_any_occurrence_is_refused(client: Client, tenant: Tenant) -> None:
    # 2030-06-05 is a Wednesday and 2030-06-10 a Monday: no Tuesday between them.
    fields = await refused(
        client,
        tenant,
        frequency="weekly",
        daysOfWeek=[2],
        startsOn="2030-06-05",
        endsOn="2030-06-10",
    )

    assert fields == ["recurrence.schedule.endsOn"]


async def test_except_dates_that_remove_every_occurrence_are_refused(
    client: Client, tenant: Tenant
) -> None:
    fields = await refused(
        client,
        tenant,
        frequency="weekly",
        daysOfWeek=[2],
        startsOn="2030-06-01",
        endsOn="2030-06-14",
        exceptDates=["2030-06-04", "2030-06-11"],
    )

    assert fields == ["recurrence.schedule.exceptDates"]


async def test_every_broken_rule_is_reported_at_once(client: Client, tenant: Tenant) -> None:
    fields = await refused(
        client,
        tenant,
        frequency="weekly",
        daysOfWeek=[2, 2],
        dayOfMonth=3,
        startsOn="2030-06-01",
        endsOn="2030-05-01",
    )

    assert fields == [
        "recurrence.schedule.dayOfMonth",
        "recurrence.schedule.daysOfWeek",
        "recurrence.schedule.endsOn",
    ]


async def test_a_refused_schedule_leaves_no_event_behind(client: Client, tenant: Tenant) -> None:
    body = with_schedule(frequency="weekly")
    first = await client.post("/events", json=body, headers=tenant.headers)
    assert first.status_code == 422
    body["recurrence"]["schedule"]["daysOfWeek"] = [2]

    response = await client.post("/events", json=body, headers=tenant.headers)

    assert response.status_code == 201, response.text


async def test_a_schedule_with_except_dates_outside_its_range_is_accepted(
    client: Client, tenant: Tenant
) -> None:
    body = with_schedule(
        frequency="monthly",
        weekOfMonth=-1,
        daysOfWeek=[6],
        interval=2,
        startsOn="2030-06-01",
        endsOn="2030-12-31",
        exceptDates=["2029-12-29", "2031-01-25"],
    )

    response = await client.post("/events", json=body, headers=tenant.headers)

    assert response.status_code == 201, response.text
