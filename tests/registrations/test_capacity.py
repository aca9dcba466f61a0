"""Changing a run's ``maxParticipants`` through PATCH /runs/{id}."""

from __future__ import annotations

from typing import Any

from tests.conftest import Client, Tenant
from tests.registrations.support import registration_id, registrations, run_of, statuses
from tests.support import create_event_with_run


async def _run_with(
    client: Client, tenant: Tenant, *, seats: int, registered: int
) -> tuple[str, str]:
    event_id, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=seats)
    for _ in range(registered):
        await registration_id(client, tenant.headers, run_id)
    return event_id, run_id


async def _set_capacity(client: Client, tenant: Tenant, run_id: str, seats: int | None) -> Any:
    return await client.patch(
        f"/runs/{run_id}", json={"maxParticipants": seats}, headers=tenant.headers
    )


async def test_raising_max_participants_promotes_waitlisted_in_order(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await _run_with(client, tenant, seats=1, registered=4)

    response = await _set_capacity(client, tenant, run_id, 3)

    assert response.status_code == 200, response.text
    assert (response.json()["data"]["confirmedCount"], response.json()["data"]["soldOut"]) == (
        3,
        True,
    )
    assert statuses(await registrations(client, tenant.headers, event_id)) == [
        ("confirmed", None),
        ("confirmed", None),
        ("confirmed", None),
        ("waitlist", 1),
    ]


async def test_removing_the_limit_confirms_every_waitlisted(client: Client, tenant: Tenant) -> None:
    event_id, run_id = await _run_with(client, tenant, seats=1, registered=3)

    await _set_capacity(client, tenant, run_id, None)

    assert (
        statuses(await registrations(client, tenant.headers, event_id)) == [("confirmed", None)] * 3
    )
    run = await run_of(client, tenant.headers, event_id, run_id)
    assert (run["confirmedCount"], run["waitlistCount"], run["soldOut"]) == (3, 0, False)


async def test_lowering_max_participants_below_the_confirmed_count_is_rejected(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await _run_with(client, tenant, seats=3, registered=3)

    response = await _set_capacity(client, tenant, run_id, 2)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert list(error["errors"]) == ["maxParticipants"]
    assert (await run_of(client, tenant.headers, event_id, run_id))["maxParticipants"] == 3


async def test_lowering_max_participants_to_the_confirmed_count_sells_the_run_out(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await _run_with(client, tenant, seats=5, registered=2)

    response = await _set_capacity(client, tenant, run_id, 2)

    assert response.status_code == 200, response.text
    run = await run_of(client, tenant.headers, event_id, run_id)
    assert (run["maxParticipants"], run["soldOut"]) == (2, True)


async def test_changing_other_fields_leaves_the_waitlist_alone(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=5)
    await registration_id(client, tenant.headers, run_id, status="waitlist")

    response = await client.patch(
        f"/runs/{run_id}", json={"distanceLabel": "Lake Loop"}, headers=tenant.headers
    )

    assert response.status_code == 200, response.text
    assert statuses(await registrations(client, tenant.headers, event_id)) == [("waitlist", 1)]
