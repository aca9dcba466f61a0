"""``AsyncClient`` against a live server: the same resources, awaited."""

from __future__ import annotations

import pytest

from intervals_client import AsyncClient, NotFoundError
from tests.client.conftest import api_key
from tests.client.support import event
from tests.conftest import Tenant


async def test_async_list_follows_the_cursors_through_every_page(
    live_url: str, tenant: Tenant
) -> None:
    async with AsyncClient(api_key(tenant), base_url=live_url) as client:
        created = [await client.events.create(event(f"2030-06-{day:02}")) for day in range(10, 15)]

        listed = [item["_id"] async for item in client.events.list(limit=2)]

    assert listed == created


async def test_async_create_then_get(live_url: str, tenant: Tenant) -> None:
    async with AsyncClient(api_key(tenant), base_url=live_url) as client:
        event_id = await client.events.create(event())

        detail = await client.events.get(event_id)

    assert detail["event"]["_id"] == event_id


async def test_async_registration_and_runs_are_read(live_url: str, tenant: Tenant) -> None:
    async with AsyncClient(api_key(tenant), base_url=live_url) as client:
        event_id = await client.events.create(event())
        runs = [run async for run in client.events.runs(event_id)]
        registration_id = await client.registrations.create(
            {"eventRunId": runs[0]["_id"], "email": "a@example.com", "registrationType": "free"}
        )

        registration = await client.registrations.get(registration_id)
        bounded = await client.events.get(event_id, runsTo="2030-06-13")

    assert registration["registrationStatus"] == "confirmed"
    assert bounded["runs"] == []


async def test_async_unknown_id_raises_not_found(live_url: str, tenant: Tenant) -> None:
    async with AsyncClient(api_key(tenant), base_url=live_url) as client:
        with pytest.raises(NotFoundError):
            await client.recurrences.get("rc000000000000000")
