"""GET /events: the organization's events by date, start time and _id, filtered."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from intervals_server.db import Database
from tests.conftest import Client, Tenant
from tests.support import create_event, create_group, error_fields


async def list_ids(client: Client, tenant: Tenant, **params: Any) -> list[str]:
    response = await client.get("/events", params=params, headers=tenant.headers)
    assert response.status_code == 200, response.text
    return [event["_id"] for event in response.json()["data"]]


async def test_events_are_listed_in_the_envelope_with_has_more(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers)

    body = (await client.get("/events", headers=tenant.headers)).json()

    assert body["hasMore"] is False
    (event,) = body["data"]
    assert event["_id"] == event_id
    assert event["organizationId"] == tenant.organization_id


async def test_events_are_ordered_by_date_then_start_time(client: Client, tenant: Tenant) -> None:
    late = await create_event(client, tenant.headers, date="2030-06-14", startTime="18:00")
    next_day = await create_event(client, tenant.headers, date="2030-06-15", startTime="06:00")
    early = await create_event(client, tenant.headers, date="2030-06-14", startTime="07:00")
    day_before = await create_event(client, tenant.headers, date="2030-06-13", startTime="23:00")

    assert await list_ids(client, tenant) == [day_before, early, late, next_day]


async def test_an_event_without_start_time_comes_first_on_its_day(
    client: Client, tenant: Tenant
) -> None:
    timed = await create_event(client, tenant.headers, startTime="00:00")
    all_day = await create_event(client, tenant.headers, startTime=None)

    assert await list_ids(client, tenant) == [all_day, timed]


async def test_events_at_the_same_time_are_ordered_by_id(client: Client, tenant: Tenant) -> None:
    ids = [await create_event(client, tenant.headers) for _ in range(4)]

    assert await list_ids(client, tenant) == sorted(ids)


async def test_type_filters_events(client: Client, tenant: Tenant) -> None:
    race = await create_event(client, tenant.headers, type="race")
    await create_event(client, tenant.headers, type="runClub")

    assert await list_ids(client, tenant, type="race") == [race]


async def test_date_range_includes_both_ends(client: Client, tenant: Tenant) -> None:
    dates = ["2030-06-01", "2030-06-02", "2030-06-03", "2030-06-04", "2030-06-05"]
    ids = [await create_event(client, tenant.headers, date=date) for date in dates]

    assert await list_ids(client, tenant, dateFrom="2030-06-02", dateTo="2030-06-04") == ids[1:4]


async def test_date_from_alone_keeps_later_events(client: Client, tenant: Tenant) -> None:
    await create_event(client, tenant.headers, date="2030-05-31")
    june = await create_event(client, tenant.headers, date="2030-06-01")

    assert await list_ids(client, tenant, dateFrom="2030-06-01") == [june]


async def test_date_to_alone_keeps_earlier_events(client: Client, tenant: Tenant) -> None:
    may = await create_event(client, tenant.headers, date="2030-05-31")
    await create_event(client, tenant.headers, date="2030-06-01")

    assert await list_ids(client, tenant, dateTo="2030-05-31") == [may]


async def test_a_single_day_range_is_allowed(client: Client, tenant: Tenant) -> None:
    day = await create_event(client, tenant.headers, date="2030-06-01")

    assert await list_ids(client, tenant, dateFrom="2030-06-01", dateTo="2030-06-01") == [day]


async def test_group_id_filters_events(client: Client, tenant: Tenant, database: Database) -> None:
    group = await create_group(database, tenant.organization_id)
    in_group = await create_event(client, tenant.headers, groupId=group.id)
    await create_event(client, tenant.headers)

    assert await list_ids(client, tenant, groupId=group.id) == [in_group]


async def test_an_instant_stored_with_another_offset_is_listed_in_utc(
    client: Client, tenant: Tenant, database: Database
) -> None:
    event_id = await create_event(client, tenant.headers)
    # As another tool might write it: SQLite keeps the text, offset and all.
    async with database.writer.connect() as connection:
        await connection.execute(
            text("UPDATE events SET created_at = '2030-06-14 10:00:00+02:00' WHERE id = :id"),
            {"id": event_id},
        )
        await connection.commit()

    (event,) = (await client.get("/events", headers=tenant.headers)).json()["data"]

    assert event["createdAt"] == "2030-06-14T08:00:00Z"


async def test_filters_combine(client: Client, tenant: Tenant) -> None:
    match = await create_event(client, tenant.headers, type="race", date="2030-06-02")
    await create_event(client, tenant.headers, type="runClub", date="2030-06-02")
    await create_event(client, tenant.headers, type="race", date="2030-07-02")

    assert await list_ids(client, tenant, type="race", dateTo="2030-06-30") == [match]


async def test_date_to_before_date_from_is_a_validation_error(
    client: Client, tenant: Tenant
) -> None:
    response = await client.get(
        "/events", params={"dateFrom": "2030-06-02", "dateTo": "2030-06-01"}, headers=tenant.headers
    )

    assert list(error_fields(response)) == ["dateTo"]
    assert response.json()["error"]["message"] == "Invalid query parameters"


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("type", "marathon"),
        ("dateFrom", "2030-13-01"),
        ("dateTo", "tomorrow"),
        ("limit", "0"),
        ("limit", "101"),
    ],
)
async def test_an_invalid_parameter_is_reported_by_name(
    client: Client, tenant: Tenant, parameter: str, value: str
) -> None:
    response = await client.get("/events", params={parameter: value}, headers=tenant.headers)

    assert list(error_fields(response)) == [parameter]


async def test_another_tenants_events_are_never_listed(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = await create_event(client, tenant.headers)
    await create_event(client, other_tenant.headers)

    assert await list_ids(client, tenant) == [mine]


async def test_a_forward_walk_with_limit_visits_every_event_once(
    client: Client, tenant: Tenant
) -> None:
    ids = [
        await create_event(client, tenant.headers, date=f"2030-06-0{day}") for day in range(1, 6)
    ]

    walked: list[str] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = (await client.get("/events", params=params, headers=tenant.headers)).json()
        walked += [event["_id"] for event in page["data"]]
        if not page["hasMore"]:
            break
        params["after"] = walked[-1]

    assert walked == ids
