"""GET /groups/{slug}/events: the events of one group, in the events' order."""

from __future__ import annotations

from intervals_server.auth.scopes import Scope
from intervals_server.db import Database
from tests.conftest import Client, Tenant
from tests.support import create_event, create_group


async def test_only_the_groups_events_are_listed_by_date(
    client: Client, tenant: Tenant, database: Database
) -> None:
    group = await create_group(database, tenant.organization_id)
    other_group = await create_group(database, tenant.organization_id)
    later = await create_event(client, tenant.headers, groupId=group.id, date="2030-06-21")
    earlier = await create_event(client, tenant.headers, groupId=group.id, date="2030-06-14")
    await create_event(client, tenant.headers, groupId=other_group.id)
    await create_event(client, tenant.headers)

    response = await client.get(f"/groups/{group.slug}/events", headers=tenant.headers)

    assert response.status_code == 200
    body = response.json()
    assert [event["_id"] for event in body["data"]] == [earlier, later]
    assert all(event["groupId"] == group.id for event in body["data"])
    assert body["hasMore"] is False


async def test_a_group_without_events_lists_none(
    client: Client, tenant: Tenant, database: Database
) -> None:
    group = await create_group(database, tenant.organization_id)

    response = await client.get(f"/groups/{group.slug}/events", headers=tenant.headers)

    assert response.json() == {"data": [], "hasMore": False}


async def test_a_page_walk_with_limit_visits_each_event_once(
    client: Client, tenant: Tenant, database: Database
) -> None:
    group = await create_group(database, tenant.organization_id)
    ids = [
        await create_event(client, tenant.headers, groupId=group.id, date=f"2030-06-0{day}")
        for day in range(1, 4)
    ]

    first = (
        await client.get(
            f"/groups/{group.slug}/events", params={"limit": 2}, headers=tenant.headers
        )
    ).json()
    second = (
        await client.get(
            f"/groups/{group.slug}/events",
            params={"limit": 2, "after": ids[1]},
            headers=tenant.headers,
        )
    ).json()

    assert ([event["_id"] for event in first["data"]], first["hasMore"]) == (ids[:2], True)
    assert ([event["_id"] for event in second["data"]], second["hasMore"]) == (ids[2:], False)


async def test_an_unknown_group_is_not_found(client: Client, tenant: Tenant) -> None:
    response = await client.get("/groups/no-such-group/events", headers=tenant.headers)

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Group not found"


async def test_another_tenants_group_is_not_found(
    client: Client, tenant: Tenant, other_tenant: Tenant, database: Database
) -> None:
    theirs = await create_group(database, other_tenant.organization_id)
    await create_event(client, other_tenant.headers, groupId=theirs.id)

    response = await client.get(f"/groups/{theirs.slug}/events", headers=tenant.headers)

    assert response.status_code == 404


async def test_a_key_with_only_read_events_can_list_a_groups_events(
    client: Client, tenant: Tenant, database: Database
) -> None:
    group = await create_group(database, tenant.organization_id)
    event_id = await create_event(client, tenant.headers, groupId=group.id)
    headers = await tenant.headers_with(Scope.READ_EVENTS)

    response = await client.get(f"/groups/{group.slug}/events", headers=headers)

    assert response.status_code == 200
    assert [event["_id"] for event in response.json()["data"]] == [event_id]
