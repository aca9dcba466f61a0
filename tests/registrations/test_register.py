from __future__ import annotations

from tests.conftest import Client, Tenant
from tests.registrations.support import registration_id, registrations, run_of, statuses
from tests.support import create_event_with_run, register


async def test_registering_returns_the_participant_id_and_its_status(
    client: Client, tenant: Tenant
) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers)

    response = await register(client, tenant.headers, run_id)

    assert response.status_code == 201
    participant_id = response.json()["data"]["participantId"]
    assert participant_id.startswith("p") and len(participant_id) == 15
    assert response.json() == {
        "data": {"participantId": participant_id, "registrationStatus": "confirmed"}
    }


async def test_a_waitlisted_registration_answers_its_waitlist_position(
    client: Client, tenant: Tenant
) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=1)
    await register(client, tenant.headers, run_id)
    await register(client, tenant.headers, run_id)

    response = await register(client, tenant.headers, run_id)

    assert response.status_code == 201
    assert {key: value for key, value in response.json()["data"].items()} == {
        "participantId": response.json()["data"]["participantId"],
        "registrationStatus": "waitlist",
        "waitlistPosition": 2,
    }


async def test_a_registration_recorded_as_cancelled_answers_its_status(
    client: Client, tenant: Tenant
) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers)

    response = await register(client, tenant.headers, run_id, status="cancelled")

    assert response.json()["data"]["registrationStatus"] == "cancelled"
    assert "waitlistPosition" not in response.json()["data"]


async def test_a_registration_reads_back_in_the_reference_shape(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    participant_id = await registration_id(
        client,
        tenant.headers,
        run_id,
        email="Alex.Johnson@Example.com",
        name="Alex Johnson",
        registrationType="paid",
    )

    (item,) = await registrations(client, tenant.headers, event_id)

    assert {key: item[key] for key in item if key not in ("createdAt", "updatedAt")} == {
        "_id": participant_id,
        "eventId": event_id,
        "eventRunId": run_id,
        "email": "Alex.Johnson@Example.com",
        "name": "Alex Johnson",
        "registrationType": "paid",
        "registrationStatus": "confirmed",
        "checkedIn": False,
    }
    assert item["createdAt"].endswith("Z") or item["createdAt"].endswith("+00:00")


async def test_pace_group_and_notes_are_kept(client: Client, tenant: Tenant) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    await registration_id(client, tenant.headers, run_id, paceGroup="5:00/km", notes="Gate B")

    (item,) = await registrations(client, tenant.headers, event_id)

    assert (item["paceGroup"], item["notes"]) == ("5:00/km", "Gate B")


async def test_omitted_status_confirms_while_seats_remain_then_waitlists_in_order(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=2)
    for _ in range(5):
        await registration_id(client, tenant.headers, run_id)

    items = await registrations(client, tenant.headers, event_id)

    assert statuses(items) == [
        ("confirmed", None),
        ("confirmed", None),
        ("waitlist", 1),
        ("waitlist", 2),
        ("waitlist", 3),
    ]


async def test_explicit_confirmed_on_a_full_run_is_sold_out(client: Client, tenant: Tenant) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=1)
    await registration_id(client, tenant.headers, run_id, status="confirmed")

    response = await register(client, tenant.headers, run_id, status="confirmed")

    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["reason"]) == ("CONFLICT", "sold_out")
    assert len(await registrations(client, tenant.headers, event_id)) == 1


async def test_explicit_confirmed_is_accepted_while_seats_remain(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=1)

    await registration_id(client, tenant.headers, run_id, status="confirmed")

    assert statuses(await registrations(client, tenant.headers, event_id)) == [("confirmed", None)]


async def test_explicit_waitlist_is_honoured_while_seats_remain(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=5)

    await registration_id(client, tenant.headers, run_id, status="waitlist")

    assert statuses(await registrations(client, tenant.headers, event_id)) == [("waitlist", 1)]
    run = await run_of(client, tenant.headers, event_id, run_id)
    assert (run["confirmedCount"], run["waitlistCount"]) == (0, 1)


async def test_the_run_counts_its_seats_and_is_sold_out_when_full(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=2)
    await registration_id(client, tenant.headers, run_id)
    before = await run_of(client, tenant.headers, event_id, run_id)
    await registration_id(client, tenant.headers, run_id)
    await registration_id(client, tenant.headers, run_id)

    after = await run_of(client, tenant.headers, event_id, run_id)

    assert (before["soldOut"], before["confirmedCount"], before["waitlistCount"]) == (False, 1, 0)
    assert (after["soldOut"], after["confirmedCount"], after["waitlistCount"]) == (True, 2, 1)


async def test_a_run_without_max_participants_confirms_everyone(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    for _ in range(4):
        await registration_id(client, tenant.headers, run_id)

    items = await registrations(client, tenant.headers, event_id)
    run = await run_of(client, tenant.headers, event_id, run_id)

    assert statuses(items) == [("confirmed", None)] * 4
    assert (run["soldOut"], run["confirmedCount"], run["waitlistCount"]) == (False, 4, 0)
    assert "maxParticipants" not in run


async def test_a_run_with_no_seats_waitlists_from_the_first(client: Client, tenant: Tenant) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=0)

    await registration_id(client, tenant.headers, run_id)

    assert statuses(await registrations(client, tenant.headers, event_id)) == [("waitlist", 1)]
