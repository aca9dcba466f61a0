"""GET /registration/{id}: one registration, exactly as the list and its creation show it."""

from __future__ import annotations

from tests.conftest import Client, Tenant
from tests.registrations.support import by_id, cancel, registration_id
from tests.support import create_event_with_run, register


async def test_a_registration_reads_back_as_the_list_shows_it(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    participant_id = await registration_id(
        client, tenant.headers, run_id, name="Alex Johnson", paceGroup="5:00/km"
    )

    response = await client.get(f"/registration/{participant_id}", headers=tenant.headers)

    assert response.status_code == 200, response.text
    listed = await by_id(client, tenant.headers, event_id)
    assert response.json() == {"data": listed[participant_id]}


async def test_creation_list_and_single_read_agree_on_status_and_waitlist_position(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=1)
    created = [(await register(client, tenant.headers, run_id)).json()["data"] for _ in range(4)]

    listed = await by_id(client, tenant.headers, event_id)
    for answer in created:
        single = await client.get(
            f"/registration/{answer['participantId']}", headers=tenant.headers
        )
        item = listed[answer["participantId"]]
        assert single.json()["data"] == item
        assert (answer["registrationStatus"], answer.get("waitlistPosition")) == (
            item["registrationStatus"],
            item.get("waitlistPosition"),
        )
    assert [answer.get("waitlistPosition") for answer in created] == [None, 1, 2, 3]


async def test_a_waitlisted_registration_moves_up_when_one_ahead_cancels(
    client: Client, tenant: Tenant
) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=0)
    first = await registration_id(client, tenant.headers, run_id)
    second = await registration_id(client, tenant.headers, run_id)
    await cancel(client, tenant.headers, first)

    response = await client.get(f"/registration/{second}", headers=tenant.headers)

    assert response.json()["data"]["waitlistPosition"] == 1


async def test_an_unknown_registration_is_not_found(client: Client, tenant: Tenant) -> None:
    response = await client.get("/registration/pnosuchparticip", headers=tenant.headers)

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Registration not found"


async def test_another_tenants_registration_is_not_found(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    _, run_id = await create_event_with_run(client, other_tenant.headers)
    theirs = await registration_id(client, other_tenant.headers, run_id)

    response = await client.get(f"/registration/{theirs}", headers=tenant.headers)

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Registration not found"
