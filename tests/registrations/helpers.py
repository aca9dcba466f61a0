"""Reading registrations and seat counts back the way a partner would."""

from __future__ import annotations

from typing import Any

from tests.conftest import Client
from tests.factories import register


async def registration_id(client: Client, headers: dict[str, str], run_id: str, **body: Any) -> str:
    """Register and return the participant id; any answer but 201 fails the test."""
    response = await register(client, headers, run_id, **body)
    assert response.status_code == 201, response.text
    participant_id: str = response.json()["data"]["participantId"]
    return participant_id


async def registrations(
    client: Client, headers: dict[str, str], event_id: str, **params: str
) -> list[dict[str, Any]]:
    """Every registration of the event (one page of 100), in the order they were made."""
    response = await client.get(
        "/registration", params={"eventId": event_id, "limit": "100", **params}, headers=headers
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["data"]
    return items


async def by_id(client: Client, headers: dict[str, str], event_id: str) -> dict[str, Any]:
    """The event's registrations keyed by ``_id``."""
    return {item["_id"]: item for item in await registrations(client, headers, event_id)}


async def run_of(
    client: Client, headers: dict[str, str], event_id: str, run_id: str
) -> dict[str, Any]:
    """The run as GET /events/{id} shows it, seat counts included."""
    response = await client.get(f"/events/{event_id}", headers=headers)
    assert response.status_code == 200, response.text
    runs: list[dict[str, Any]] = response.json()["data"]["runs"]
    (run,) = [run for run in runs if run["_id"] == run_id]
    return run


async def cancel(client: Client, headers: dict[str, str], participant_id: str) -> Any:
    return await client.post(f"/registration/{participant_id}/cancel", headers=headers)


def statuses(items: list[dict[str, Any]]) -> list[tuple[str, int | None]]:
    """``(registrationStatus, waitlistPosition)`` of each item, in order."""
    return [(item["registrationStatus"], item.get("waitlistPosition")) for item in items]


def fullwidth(text: str) -> str:
    """``text`` with its ASCII letters and digits in their fullwidth forms (U+FF01…U+FF5E)."""
    return "".join(
        chr(ord(char) + 0xFEE0) if char.isascii() and char.isalnum() else char for char in text
    )
