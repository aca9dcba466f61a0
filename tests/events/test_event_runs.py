"""An event's runs bounded by date (GET /events/{id}?runsFrom&runsTo) and a page at a
time (GET /events/{id}/runs)."""

from __future__ import annotations

from typing import Any

from intervals_server.auth.scopes import Scope
from tests.conftest import Client, Tenant
from tests.support import create_event, create_event_with_run, create_run, read_event


async def _event_with_dated_runs(client: Client, tenant: Tenant) -> tuple[str, list[str]]:
    event_id = await create_event(client, tenant.headers, date="2030-06-01")
    made = []
    for day, start in (("01", "09:00"), ("01", "07:00"), ("02", "08:00"), ("03", "08:00")):
        made.append(
            await create_run(
                client, tenant.headers, event_id, date=f"2030-06-{day}", startTime=start
            )
        )
    return event_id, made


async def _all_pages(client: Client, tenant: Tenant, path: str, **params: str) -> list[Any]:
    items: list[Any] = []
    while True:
        response = await client.get(path, params=params, headers=tenant.headers)
        assert response.status_code == 200, response.text
        items.extend(response.json()["data"])
        if not response.json()["hasMore"]:
            return items
        params = {**params, "after": items[-1]["_id"]}


async def test_runs_from_and_to_bound_the_runs_of_an_event(client: Client, tenant: Tenant) -> None:
    event_id, made = await _event_with_dated_runs(client, tenant)

    response = await client.get(
        f"/events/{event_id}",
        params={"runsFrom": "2030-06-02", "runsTo": "2030-06-02"},
        headers=tenant.headers,
    )

    assert response.status_code == 200, response.text
    assert [run["_id"] for run in response.json()["data"]["runs"]] == [made[2]]


async def test_without_bounds_an_event_comes_with_every_run(client: Client, tenant: Tenant) -> None:
    event_id, made = await _event_with_dated_runs(client, tenant)

    data = await read_event(client, tenant.headers, event_id)

    assert [run["_id"] for run in data["runs"]] == [made[1], made[0], made[2], made[3]]


async def test_runs_to_before_runs_from_is_refused(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await client.get(
        f"/events/{event_id}",
        params={"runsFrom": "2030-06-02", "runsTo": "2030-06-01"},
        headers=tenant.headers,
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["errors"]) == ["runsTo"]


async def test_a_bad_runs_bound_is_reported_by_name(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await client.get(
        f"/events/{event_id}", params={"runsFrom": "June"}, headers=tenant.headers
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["errors"]) == ["runsFrom"]


async def test_the_runs_list_pages_through_the_runs_as_the_event_shows_them(
    client: Client, tenant: Tenant
) -> None:
    event_id, _ = await _event_with_dated_runs(client, tenant)

    paged = await _all_pages(client, tenant, f"/events/{event_id}/runs", limit="1")

    assert paged == (await read_event(client, tenant.headers, event_id))["runs"]


async def test_the_runs_list_pages_backwards(client: Client, tenant: Tenant) -> None:
    event_id, made = await _event_with_dated_runs(client, tenant)

    response = await client.get(
        f"/events/{event_id}/runs",
        params={"before": made[3], "limit": "2"},
        headers=tenant.headers,
    )

    assert [run["_id"] for run in response.json()["data"]] == [made[0], made[2]]
    assert response.json()["hasMore"] is True


async def test_the_runs_list_is_bounded_by_from_and_to(client: Client, tenant: Tenant) -> None:
    event_id, _ = await _event_with_dated_runs(client, tenant)

    response = await client.get(
        f"/events/{event_id}/runs",
        params={"from": "2030-06-02", "to": "2030-06-03"},
        headers=tenant.headers,
    )

    assert response.json() == {
        "data": (await read_event(client, tenant.headers, event_id))["runs"][2:],
        "hasMore": False,
    }


async def test_the_runs_list_of_an_event_without_runs_is_empty(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await client.get(f"/events/{event_id}/runs", headers=tenant.headers)

    assert response.json() == {"data": [], "hasMore": False}


async def test_the_runs_list_of_an_unknown_event_is_not_found(
    client: Client, tenant: Tenant
) -> None:
    response = await client.get("/events/enosuchevent000/runs", headers=tenant.headers)

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Event not found"


async def test_the_runs_list_of_another_tenants_event_is_not_found(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, other_tenant.headers)

    for params in ({}, {"after": run_id}):
        response = await client.get(
            f"/events/{event_id}/runs", params=params, headers=tenant.headers
        )

        assert response.status_code == 404
        assert response.json()["error"]["message"] == "Event not found"


async def test_a_cursor_from_another_events_runs_is_refused(client: Client, tenant: Tenant) -> None:
    event_id, _ = await create_event_with_run(client, tenant.headers)
    _, other_run = await create_event_with_run(client, tenant.headers)

    response = await client.get(
        f"/events/{event_id}/runs", params={"after": other_run}, headers=tenant.headers
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["errors"]) == ["after"]


async def test_the_runs_list_needs_read_events(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)
    headers = await tenant.headers_with(Scope.READ_PARTICIPANTS)

    response = await client.get(f"/events/{event_id}/runs", headers=headers)

    assert response.status_code == 403
