"""Keyset pagination with ``_id`` cursors, through the lists partners walk most."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from intervals_server.db import Database, Listing
from intervals_server.groups.service import create_group
from intervals_server.models import Event, EventRow
from tests.conftest import Client, Tenant
from tests.support import acting_for, create_event, create_event_with_run, register

Row = dict[str, Any]
BetweenPages = Callable[[], Awaitable[None]]


def _event_key(event: Row) -> tuple[str, str, str]:
    return (event["date"], event.get("startTime") or "", event["_id"])


async def _page(client: Client, path: str, headers: dict[str, str], **params: Any) -> Any:
    response = await client.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def walk(
    client: Client,
    path: str,
    headers: dict[str, str],
    *,
    backwards: bool = False,
    start: str | None = None,
    between: BetweenPages | None = None,
    **params: Any,
) -> list[Row]:
    """Every row from ``start`` on (or back), in list order, calling ``between`` between pages."""
    direction = "before" if backwards else "after"
    pages: list[list[Row]] = []
    cursor = start
    while True:
        if cursor is not None:
            params[direction] = cursor
        body = await _page(client, path, headers, **params)
        pages.append(body["data"])
        if not body["hasMore"]:
            break
        assert body["data"], "hasMore with an empty page"
        cursor = body["data"][0 if backwards else -1]["_id"]
        if between is not None:
            await between()
    if backwards:
        pages.reverse()
    return list(itertools.chain.from_iterable(pages))


def _dates(count: int) -> list[str]:
    """Dates spread out of creation order, several of them shared."""
    base = dt.date(2031, 1, 1)
    return [(base + dt.timedelta(days=(index * 7) % 11)).isoformat() for index in range(count)]


async def _events(client: Client, tenant: Tenant, count: int) -> list[str]:
    times = ["07:00", "18:30", None]
    return [
        await create_event(client, tenant.headers, date=date, startTime=times[index % 3])
        for index, date in enumerate(_dates(count))
    ]


def _inserter(client: Client, tenant: Tenant) -> BetweenPages:
    """Creates one event per call, on dates before, inside and after the walked range."""
    counter = itertools.count()

    async def insert() -> None:
        n = next(counter)
        date = (dt.date(2030, 12, 30) + dt.timedelta(days=(n * 5) % 14)).isoformat()
        await create_event(client, tenant.headers, date=date, startTime="12:00")

    return insert


async def test_default_page_holds_fifty_and_says_there_is_more(
    client: Client, tenant: Tenant
) -> None:
    for _ in range(51):
        await create_event(client, tenant.headers)

    first = await _page(client, "/events", tenant.headers)
    rest = await _page(client, "/events", tenant.headers, after=first["data"][-1]["_id"])

    assert len(first["data"]) == 50 and first["hasMore"] is True
    assert len(rest["data"]) == 1 and rest["hasMore"] is False


async def test_last_page_says_there_is_no_more(client: Client, tenant: Tenant) -> None:
    await _events(client, tenant, 3)

    body = await _page(client, "/events", tenant.headers, limit=3)

    assert len(body["data"]) == 3 and body["hasMore"] is False


async def test_cursor_object_is_left_out_of_its_page(client: Client, tenant: Tenant) -> None:
    await _events(client, tenant, 4)
    everything = (await _page(client, "/events", tenant.headers))["data"]

    after = await _page(client, "/events", tenant.headers, after=everything[1]["_id"])
    before = await _page(client, "/events", tenant.headers, before=everything[2]["_id"])

    assert [e["_id"] for e in after["data"]] == [e["_id"] for e in everything[2:]]
    assert [e["_id"] for e in before["data"]] == [e["_id"] for e in everything[:2]]


async def test_walk_forwards_sees_every_existing_event_once_in_order_while_rows_arrive(
    client: Client, tenant: Tenant
) -> None:
    existing = set(await _events(client, tenant, 23))

    rows = await walk(client, "/events", tenant.headers, between=_inserter(client, tenant), limit=4)

    seen = [row["_id"] for row in rows]
    assert len(seen) == len(set(seen))
    assert existing <= set(seen)
    assert [_event_key(row) for row in rows] == sorted(_event_key(row) for row in rows)


async def test_walk_backwards_sees_every_existing_event_once_in_order_while_rows_arrive(
    client: Client, tenant: Tenant
) -> None:
    existing = set(await _events(client, tenant, 23))
    end = await create_event(client, tenant.headers, date="2040-01-01")

    rows = await walk(
        client,
        "/events",
        tenant.headers,
        backwards=True,
        start=end,
        between=_inserter(client, tenant),
        limit=4,
    )

    seen = [row["_id"] for row in rows]
    assert len(seen) == len(set(seen))
    assert existing <= set(seen)
    assert end not in seen
    assert [_event_key(row) for row in rows] == sorted(_event_key(row) for row in rows)


async def test_events_on_the_same_date_and_time_are_ordered_by_id_across_pages(
    client: Client, tenant: Tenant
) -> None:
    ids = [
        await create_event(client, tenant.headers, date="2031-05-05", startTime="09:00")
        for _ in range(7)
    ]

    rows = await walk(client, "/events", tenant.headers, limit=2)

    assert [row["_id"] for row in rows] == sorted(ids)


async def test_walk_through_registrations_sees_each_once_while_more_arrive(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    existing = [
        (await register(client, tenant.headers, run_id)).json()["data"]["participantId"]
        for _ in range(13)
    ]

    async def insert() -> None:
        assert (await register(client, tenant.headers, run_id)).status_code == 201

    rows = await walk(
        client, "/registration", tenant.headers, between=insert, eventId=event_id, limit=3
    )

    seen = [row["_id"] for row in rows]
    assert len(seen) == len(set(seen))
    assert seen[: len(existing)] == existing


async def test_walk_backwards_through_registrations_sees_each_once_in_order(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    existing = [
        (await register(client, tenant.headers, run_id)).json()["data"]["participantId"]
        for _ in range(11)
    ]

    async def insert() -> None:
        assert (await register(client, tenant.headers, run_id)).status_code == 201

    rows = await walk(
        client,
        "/registration",
        tenant.headers,
        backwards=True,
        start=existing[-1],
        between=insert,
        eventId=event_id,
        limit=3,
    )

    assert [row["_id"] for row in rows] == existing[:-1]


def _cursor_errors(response: httpx.Response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    errors: dict[str, list[str]] = error["errors"]
    return errors


async def test_after_and_before_together_are_refused(client: Client, tenant: Tenant) -> None:
    first, second = await _events(client, tenant, 2)

    response = await client.get(
        "/events", params={"after": first, "before": second}, headers=tenant.headers
    )

    assert set(_cursor_errors(response)) == {"after", "before"}


async def test_unknown_cursor_is_refused(client: Client, tenant: Tenant) -> None:
    for direction in ("after", "before"):
        response = await client.get(
            "/events", params={direction: "e00000000000000"}, headers=tenant.headers
        )

        assert direction in _cursor_errors(response)


async def test_id_from_another_list_is_not_a_cursor(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await client.get("/recurrences", params={"after": event_id}, headers=tenant.headers)

    assert "after" in _cursor_errors(response)


async def test_other_tenants_id_is_not_a_cursor(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    theirs = await create_event(client, other_tenant.headers)

    response = await client.get("/events", params={"after": theirs}, headers=tenant.headers)

    assert "after" in _cursor_errors(response)


async def test_registration_of_another_event_is_not_a_cursor(
    client: Client, tenant: Tenant
) -> None:
    _, other_run = await create_event_with_run(client, tenant.headers)
    elsewhere = (await register(client, tenant.headers, other_run)).json()["data"]["participantId"]
    event_id, _ = await create_event_with_run(client, tenant.headers)

    response = await client.get(
        "/registration", params={"eventId": event_id, "after": elsewhere}, headers=tenant.headers
    )

    assert "after" in _cursor_errors(response)


async def test_event_outside_the_group_is_not_a_cursor_for_its_events(
    client: Client, database: Database, tenant: Tenant
) -> None:
    async with acting_for(database, tenant.organization_id) as ctx:
        group = await create_group(ctx, name="Track", slug="track")
    await create_event(client, tenant.headers, groupId=group.id)
    outside = await create_event(client, tenant.headers)

    response = await client.get(
        "/groups/track/events", params={"after": outside}, headers=tenant.headers
    )

    assert "after" in _cursor_errors(response)


async def test_limit_bounds_are_accepted(client: Client, tenant: Tenant) -> None:
    await _events(client, tenant, 2)

    one = await _page(client, "/events", tenant.headers, limit=1)
    hundred = await _page(client, "/events", tenant.headers, limit=100)

    assert (len(one["data"]), one["hasMore"]) == (1, True)
    assert (len(hundred["data"]), hundred["hasMore"]) == (2, False)


def test_a_listing_with_an_in_list_filter_is_refused_when_declared() -> None:
    with pytest.raises(TypeError, match=r"list parameter \(IN\): ids"):
        Listing(
            EventRow,
            [Event.id],
            scope={"organization_id": Event.organization_id},
            order=[Event.id],
            filters={"ids": Event.id.in_},
        )
