from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import Client, Tenant
from tests.registrations.support import registrations
from tests.support import create_event_with_run, register


def _instant(days_from_now: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days_from_now)).isoformat()


CLOSED_RUNS: dict[str, dict[str, Any]] = {
    "paused": {"registrationOverride": "paused"},
    "closed": {"registrationOverride": "closed"},
    "not yet open": {"registrationOpensAt": _instant(1)},
    "window over": {"registrationOpensAt": _instant(-7), "registrationClosesAt": _instant(-1)},
}


async def _assert_registration_closed(
    client: Client, tenant: Tenant, event_id: str, run_id: str, status: str | None
) -> None:
    body = {} if status is None else {"status": status}
    response = await register(client, tenant.headers, run_id, **body)

    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert (error["code"], error["reason"]) == ("CONFLICT", "registration_closed")
    assert await registrations(client, tenant.headers, event_id) == []


@pytest.mark.parametrize("status", [None, "confirmed", "waitlist"])
async def test_a_cancelled_run_refuses_registrations(
    client: Client, tenant: Tenant, status: str | None
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    cancelled = await client.patch(
        f"/runs/{run_id}", json={"eventStatus": "cancelled"}, headers=tenant.headers
    )
    assert cancelled.status_code == 200, cancelled.text

    await _assert_registration_closed(client, tenant, event_id, run_id, status)


@pytest.mark.parametrize("run", CLOSED_RUNS.values(), ids=CLOSED_RUNS.keys())
async def test_a_run_outside_its_registration_window_or_overridden_refuses_registrations(
    client: Client, tenant: Tenant, run: dict[str, Any]
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers, **run)

    await _assert_registration_closed(client, tenant, event_id, run_id, None)


async def test_a_run_inside_its_registration_window_takes_registrations(
    client: Client, tenant: Tenant
) -> None:
    _, run_id = await create_event_with_run(
        client,
        tenant.headers,
        registrationOpensAt=_instant(-1),
        registrationClosesAt=_instant(1),
    )

    response = await register(client, tenant.headers, run_id)

    assert response.status_code == 201


async def test_lifting_the_override_reopens_registration(client: Client, tenant: Tenant) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers, registrationOverride="paused")
    reopened = await client.patch(
        f"/runs/{run_id}", json={"registrationOverride": None}, headers=tenant.headers
    )
    assert reopened.status_code == 200, reopened.text

    response = await register(client, tenant.headers, run_id)

    assert response.status_code == 201
