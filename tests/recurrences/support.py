"""Recurrences made through the API, and the publisher run at a chosen instant."""

from __future__ import annotations

import datetime as dt
from typing import Any

from intervals_server.db import Database, Store
from intervals_server.recurrences.publisher import publish_recurrence
from tests.support import Client, create_event

EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]


def schedule(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "frequency": "weekly",
        "daysOfWeek": EVERY_DAY,
        "startTime": "18:30",
        "durationMinutes": 60,
    }
    body.update(overrides)
    return body


def recurrence_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "label": "Daily miles",
        "schedule": schedule(),
        "autoPublishHorizonWeeks": 1,
    }
    body.update(overrides)
    return body


async def create_recurring_event(
    client: Client,
    headers: dict[str, str],
    *,
    event: dict[str, Any] | None = None,
    **overrides: Any,
) -> str:
    """An event created with a recurrence; returns the recurrence's ID."""
    event_id = await create_event(
        client, headers, type="runClub", recurrence=recurrence_body(**overrides), **(event or {})
    )
    response = await client.get(f"/recurrences?eventId={event_id}", headers=headers)
    recurrence_id: str = response.json()["data"][0]["_id"]
    return recurrence_id


async def runs_of(
    client: Client, headers: dict[str, str], recurrence_id: str
) -> list[dict[str, Any]]:
    """The recurrence's runs, in date order, read through the event."""
    recurrence = (await client.get(f"/recurrences/{recurrence_id}", headers=headers)).json()["data"]
    event = (await client.get(f"/events/{recurrence['eventId']}", headers=headers)).json()["data"]
    return [run for run in event["runs"] if run.get("recurrenceId") == recurrence_id]


async def publish_at(database: Database, recurrence_id: str, now: dt.datetime) -> int:
    async with database.write() as session:
        return await publish_recurrence(Store(database, session), recurrence_id, now)


def today() -> dt.date:
    """Today in UTC, the time zone of the tests' organizations."""
    return dt.datetime.now(dt.UTC).date()


def days_from_today(count: int) -> list[str]:
    return [(today() + dt.timedelta(days=offset)).isoformat() for offset in range(count)]
