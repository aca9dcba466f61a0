from __future__ import annotations

from tests.conftest import Client, Tenant
from tests.registrations.support import cancel, fullwidth, registration_id, registrations
from tests.support import create_event, create_event_with_run, create_run


async def test_event_id_is_required(client: Client, tenant: Tenant) -> None:
    response = await client.get("/registration", headers=tenant.headers)

    assert response.status_code == 422
    assert response.json()["error"]["errors"] == {"eventId": ["Required"]}


async def test_an_unknown_event_is_not_found(client: Client, tenant: Tenant) -> None:
    response = await client.get(
        "/registration", params={"eventId": "enosuchevent000"}, headers=tenant.headers
    )

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Event not found"


async def test_another_tenants_event_is_not_found(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, other_tenant.headers)
    await registration_id(client, other_tenant.headers, run_id)

    response = await client.get(
        "/registration", params={"eventId": event_id}, headers=tenant.headers
    )

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Event not found"


async def test_an_event_without_registrations_lists_none(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await client.get(
        "/registration", params={"eventId": event_id}, headers=tenant.headers
    )

    assert response.json() == {"data": [], "hasMore": False}


async def test_lists_only_the_given_events_registrations(client: Client, tenant: Tenant) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    _, other_run_id = await create_event_with_run(client, tenant.headers)
    mine = await registration_id(client, tenant.headers, run_id)
    await registration_id(client, tenant.headers, other_run_id)

    items = await registrations(client, tenant.headers, event_id)

    assert [item["_id"] for item in items] == [mine]


async def test_filters_by_run(client: Client, tenant: Tenant) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    other_run_id = await create_run(client, tenant.headers, event_id, distanceMeters=10000)
    await registration_id(client, tenant.headers, run_id)
    on_other_run = await registration_id(client, tenant.headers, other_run_id)

    items = await registrations(client, tenant.headers, event_id, eventRunId=other_run_id)

    assert [item["_id"] for item in items] == [on_other_run]


async def test_filters_by_status(client: Client, tenant: Tenant) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=1)
    cancelled = await registration_id(client, tenant.headers, run_id)
    promoted = await registration_id(client, tenant.headers, run_id)
    waiting = await registration_id(client, tenant.headers, run_id)
    await registration_id(client, tenant.headers, run_id)
    await cancel(client, tenant.headers, cancelled)

    by_status = {
        status: [
            item["_id"]
            for item in await registrations(
                client, tenant.headers, event_id, registrationStatus=status
            )
        ]
        for status in ("confirmed", "cancelled", "waitlist")
    }

    assert by_status["confirmed"] == [promoted]
    assert by_status["cancelled"] == [cancelled]
    assert by_status["waitlist"][0] == waiting and len(by_status["waitlist"]) == 2


async def test_filters_by_email_ignoring_case(client: Client, tenant: Tenant) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    wanted = await registration_id(client, tenant.headers, run_id, email="Jo.Smith@Example.com")
    await registration_id(client, tenant.headers, run_id, email="someone.else@example.com")

    items = await registrations(client, tenant.headers, event_id, email="JO.SMITH@example.COM")

    assert [item["_id"] for item in items] == [wanted]


async def test_waitlist_positions_hold_when_filtered(client: Client, tenant: Tenant) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=0)
    await registration_id(client, tenant.headers, run_id)
    await registration_id(client, tenant.headers, run_id, email="second@example.com")

    (item,) = await registrations(client, tenant.headers, event_id, email="second@example.com")

    assert item["waitlistPosition"] == 2


async def test_an_invalid_filter_is_reported(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await client.get(
        "/registration",
        params={"eventId": event_id, "registrationStatus": "pending"},
        headers=tenant.headers,
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["errors"]) == ["registrationStatus"]


async def test_pages_follow_registration_order(client: Client, tenant: Tenant) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    made = [await registration_id(client, tenant.headers, run_id) for _ in range(3)]

    first = await client.get(
        "/registration", params={"eventId": event_id, "limit": "2"}, headers=tenant.headers
    )
    rest = await client.get(
        "/registration",
        params={"eventId": event_id, "limit": "2", "after": made[1]},
        headers=tenant.headers,
    )

    assert [item["_id"] for item in first.json()["data"]] == made[:2]
    assert first.json()["hasMore"] is True
    assert [item["_id"] for item in rest.json()["data"]] == made[2:]
    assert rest.json()["hasMore"] is False


async def test_filters_by_email_matching_any_spelling_of_it(client: Client, tenant: Tenant) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    wanted = await registration_id(client, tenant.headers, run_id, email="jo@example.com")

    items = await registrations(
        client, tenant.headers, event_id, email=fullwidth("JO") + "@example.com."
    )

    assert [item["_id"] for item in items] == [wanted]


async def test_an_email_filter_with_an_invisible_character_is_refused(
    client: Client, tenant: Tenant
) -> None:
    event_id, _ = await create_event_with_run(client, tenant.headers)

    response = await client.get(
        "/registration",
        params={"eventId": event_id, "email": "jo\u200b@example.com"},
        headers=tenant.headers,
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["errors"]) == ["email"]
