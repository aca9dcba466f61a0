"""Events holding many runs, written in bulk (the API would take a request for each)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert

from intervals_server.db import Database
from intervals_server.kit.ids import RUN, new_ids
from intervals_server.models import Run


async def runs_in_bulk(
    database: Database, organization_id: str, event_id: str, count: int
) -> list[str]:
    """``count`` 5K runs of the event, one a day from 2030-01-01; their IDs, in date order."""
    made = new_ids(RUN, count)
    rows = [
        {
            "id": run_id,
            "organization_id": organization_id,
            "event_id": event_id,
            "distance_meters": 5000.0,
            "distance_standard": "5K",
            "distance_label": "5K",
            "date": dt.date(2030, 1, 1) + dt.timedelta(days=index),
            "confirmed_count": 0,
            "waitlist_count": 0,
        }
        for index, run_id in enumerate(made)
    ]
    async with database.write() as session:
        await session.execute(insert(Run), rows)
    return made
