"""Reading registrations and seat counts back the way a partner would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, update

from intervals_server.db import Database
from intervals_server.kit.ids import REGISTRATION, new_ids
from intervals_server.models import Registration, Run
from tests.conftest import Client
from tests.support import register


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


async def waitlist_in_bulk(
    database: Database, organization_id: str, event_id: str, run_id: str, count: int
) -> list[str]:
    """``count`` waitlisted registrations on the run, written in bulk (a long waitlist in
    a moment; the API would take one request each), a millisecond apart; their IDs."""
    start = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    made = new_ids(REGISTRATION, count)
    rows = [
        {
            "id": participant_id,
            "organization_id": organization_id,
            "event_id": event_id,
            "run_id": run_id,
            "email": f"runner{index}@example.com",
            "email_key": f"runner{index}@example.com",
            "registration_type": "free",
            "status": "waitlist",
            "created_at": start + dt.timedelta(milliseconds=index),
            "updated_at": start + dt.timedelta(milliseconds=index),
        }
        for index, participant_id in enumerate(made)
    ]
    async with database.write() as session:
        await session.execute(insert(Registration), rows)
        await session.execute(
            update(Run).where(Run.id == run_id).values(waitlist_count=Run.waitlist_count + count)
        )
    return made
