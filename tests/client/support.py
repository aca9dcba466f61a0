"""Bodies for the SDK tests, typed as the SDK types them."""

from __future__ import annotations

from intervals_client.types import EventNew, RecurrenceCreate, Schedule
from intervals_server.kit.ids import new_id

TUESDAYS: Schedule = {
    "frequency": "weekly",
    "daysOfWeek": [2],
    "startTime": "18:30",
    "durationMinutes": 60,
}


def event(date: str = "2030-06-14", recurrence: RecurrenceCreate | None = None) -> EventNew:
    body: EventNew = {
        "name": "Lakefront 5K",
        "slug": f"lakefront-5k-{new_id('')}",
        "type": "race",
        "date": date,
        "runs": [{"distanceMeters": 5000, "distanceStandard": "5K", "maxParticipants": 1}],
    }
    if recurrence is not None:
        body["recurrence"] = recurrence
    return body
