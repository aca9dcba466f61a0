from __future__ import annotations

from tests.conftest import Client, Tenant
from tests.registrations.support import by_id, cancel, registration_id, run_of
from tests.support import create_event_with_run


async def _full_run_with_waitlist(
    client: Client, tenant: Tenant, *, seats: int, waiting: int
) -> tuple[str, str, list[str], list[str]]:
    """A run with ``seats`` confirmed and ``waiting`` waitlisted, in registration order."""
    event_id, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=seats)
    confirmed = [await registration_id(client, tenant.headers, run_id) for _ in range(seats)]
    waitlisted = [await registration_id(client, tenant.headers, run_id) for _ in range(waiting)]
    return event_id, run_id, confirmed, waitlisted


async def test_cancelling_returns_the_cancelled_registration(
    client: Client, tenant: Tenant
) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers)
    participant_id = await registration_id(client, tenant.headers, run_id)

    response = await cancel(client, tenant.headers, participant_id)

    assert response.status_code == 200
    registration = response.json()["data"]
    assert (registration["_id"], registration["registrationStatus"]) == (
        participant_id,
        "cancelled",
    )


async def test_cancelling_a_confirmed_registration_promotes_the_first_waitlisted(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id, confirmed, waitlisted = await _full_run_with_waitlist(
        client, tenant, seats=2, waiting=3
    )

    await cancel(client, tenant.headers, confirmed[0])

    items = await by_id(client, tenant.headers, event_id)
    assert items[waitlisted[0]]["registrationStatus"] == "confirmed"
    assert "waitlistPosition" not in items[waitlisted[0]]
    assert [items[i].get("waitlistPosition") for i in waitlisted[1:]] == [1, 2]
    run = await run_of(client, tenant.headers, event_id, run_id)
    assert (run["confirmedCount"], run["waitlistCount"], run["soldOut"]) == (2, 2, True)


async def test_cancelling_a_confirmed_registration_without_a_waitlist_frees_a_seat(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id, confirmed, _ = await _full_run_with_waitlist(
        client, tenant, seats=2, waiting=0
    )

    await cancel(client, tenant.headers, confirmed[1])

    run = await run_of(client, tenant.headers, event_id, run_id)
    assert (run["confirmedCount"], run["waitlistCount"], run["soldOut"]) == (1, 0, False)


async def test_cancelling_a_waitlisted_registration_moves_those_behind_it_up(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id, confirmed, waitlisted = await _full_run_with_waitlist(
        client, tenant, seats=1, waiting=3
    )

    await cancel(client, tenant.headers, waitlisted[1])

    items = await by_id(client, tenant.headers, event_id)
    assert items[confirmed[0]]["registrationStatus"] == "confirmed"
    assert items[waitlisted[1]]["registrationStatus"] == "cancelled"
    assert "waitlistPosition" not in items[waitlisted[1]]
    assert [items[waitlisted[0]]["waitlistPosition"], items[waitlisted[2]]["waitlistPosition"]] == [
        1,
        2,
    ]
    run = await run_of(client, tenant.headers, event_id, run_id)
    assert (run["confirmedCount"], run["waitlistCount"]) == (1, 2)


async def test_cancelling_twice_changes_nothing(client: Client, tenant: Tenant) -> None:
    event_id, run_id, confirmed, waitlisted = await _full_run_with_waitlist(
        client, tenant, seats=1, waiting=2
    )
    first = await cancel(client, tenant.headers, confirmed[0])

    again = await cancel(client, tenant.headers, confirmed[0])

    assert again.status_code == 200
    assert again.json()["data"]["registrationStatus"] == "cancelled"
    assert again.json()["data"]["updatedAt"] == first.json()["data"]["updatedAt"]
    items = await by_id(client, tenant.headers, event_id)
    assert [items[i]["registrationStatus"] for i in waitlisted] == ["confirmed", "waitlist"]
    run = await run_of(client, tenant.headers, event_id, run_id)
    assert (run["confirmedCount"], run["waitlistCount"]) == (1, 1)


async def test_cancelling_another_tenants_registration_is_not_found(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, other_tenant.headers)
    participant_id = await registration_id(client, other_tenant.headers, run_id)

    response = await cancel(client, tenant.headers, participant_id)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"
    items = await by_id(client, other_tenant.headers, event_id)
    assert items[participant_id]["registrationStatus"] == "confirmed"


async def test_cancelling_an_unknown_registration_is_not_found(
    client: Client, tenant: Tenant
) -> None:
    response = await cancel(client, tenant.headers, "pnosuchperson00")

    assert response.status_code == 404
