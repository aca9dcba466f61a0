from __future__ import annotations

from tests.conftest import Client, Tenant
from tests.recurrences.support import create_recurring_event, schedule


async def test_occurrences_list_local_and_utc_times_in_a_past_window(
    client: Client, tenant: Tenant
) -> None:
    recurrence_id = await create_recurring_event(
        client,
        tenant.headers,
        event={"timezone": "America/New_York"},
        schedule=schedule(daysOfWeek=[2]),
    )

    response = await client.get(
        f"/recurrences/{recurrence_id}/occurrences?from=2020-03-01&to=2020-03-14",
        headers=tenant.headers,
    )

    assert response.status_code == 200
    # New York moved to daylight time on 2020-03-08: the local time stays 18:30.
    assert response.json() == {
        "data": [
            {
                "date": "2020-03-03",
                "startTime": "18:30",
                "startsAt": "2020-03-03T23:30:00Z",
                "endsAt": "2020-03-04T00:30:00Z",
            },
            {
                "date": "2020-03-10",
                "startTime": "18:30",
                "startsAt": "2020-03-10T22:30:00Z",
                "endsAt": "2020-03-10T23:30:00Z",
            },
        ],
        "hasMore": False,
    }


async def test_occurrences_stop_at_a_thousand_with_has_more(client: Client, tenant: Tenant) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)

    response = await client.get(
        f"/recurrences/{recurrence_id}/occurrences?from=2030-01-01&to=2039-12-31",
        headers=tenant.headers,
    )

    body = response.json()
    assert len(body["data"]) == 1000
    assert body["hasMore"] is True
    assert body["data"][-1]["date"] == "2032-09-26"


async def test_occurrences_need_from_and_to(client: Client, tenant: Tenant) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)

    response = await client.get(f"/recurrences/{recurrence_id}/occurrences", headers=tenant.headers)

    assert response.status_code == 422
    assert response.json()["error"]["errors"] == {"from": ["Required"], "to": ["Required"]}


async def test_occurrences_refuse_to_before_from(client: Client, tenant: Tenant) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)

    response = await client.get(
        f"/recurrences/{recurrence_id}/occurrences?from=2030-02-01&to=2030-01-31",
        headers=tenant.headers,
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["errors"]) == ["to"]


async def test_occurrences_refuse_a_malformed_date(client: Client, tenant: Tenant) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)

    response = await client.get(
        f"/recurrences/{recurrence_id}/occurrences?from=2030-02-30&to=2030-03-01",
        headers=tenant.headers,
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["errors"]) == ["from"]


async def test_occurrences_of_an_unknown_recurrence_are_not_found(
    client: Client, tenant: Tenant
) -> None:
    response = await client.get(
        "/recurrences/rc00000000000000/occurrences?from=2030-01-01&to=2030-01-31",
        headers=tenant.headers,
    )

    assert response.status_code == 404


async def test_occurrences_accept_the_widest_window(client: Client, tenant: Tenant) -> None:
    recurrence_id = await create_recurring_event(
        client, tenant.headers, schedule=schedule(daysOfWeek=[1], startsOn="2031-01-01")
    )

    response = await client.get(
        f"/recurrences/{recurrence_id}/occurrences?from=0001-01-01&to=9999-12-31",
        headers=tenant.headers,
    )

    body = response.json()
    assert (len(body["data"]), body["hasMore"]) == (1000, True)
    assert body["data"][0]["date"] == "2031-01-06"


async def test_occurrences_filling_the_window_exactly_have_no_more(
    client: Client, tenant: Tenant
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)

    response = await client.get(
        f"/recurrences/{recurrence_id}/occurrences?from=2030-01-01&to=2032-09-26",
        headers=tenant.headers,
    )

    body = response.json()
    assert (len(body["data"]), body["hasMore"]) == (1000, False)
