"""The benchmark's data, written in bulk straight through the models (no HTTP)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select

from intervals_server.auth.scopes import ALL_SCOPES
from intervals_server.auth.service import issue_key
from intervals_server.db import Database
from intervals_server.kit import ids
from intervals_server.kit.rate_limit import Window
from intervals_server.models import Event, Recurrence, Registration, Run
from intervals_server.models.event import START_TIME_SORT
from intervals_server.organizations.service import create_organization

DAY0 = dt.date(2030, 1, 1)
BATCH = 5_000
BENCH_RATE = Window(100_000_000, 60)
SCHEDULE = {"frequency": "weekly", "daysOfWeek": [2], "startTime": "18:30", "durationMinutes": 60}


@dataclass(frozen=True)
class Seeded:
    organization_id: str
    api_key: str
    detail_event_id: str  # GET /events/{id}: an event with a few runs
    listed_event_id: str  # GET /registration?eventId=: an event with registrations
    open_run_id: str  # POST /registration: a run without a participant limit
    deep_cursor: str  # the 10 000th event in listing order


def _event(organization_id: str, index: int) -> dict[str, Any]:
    return {
        "id": ids.new_id(ids.EVENT),
        "organization_id": organization_id,
        "name": f"Club run {index}",
        "slug": f"club-run-{index}",
        "type": ("race", "runClub", "timeTrial", "other")[index % 4],
        "date": DAY0 + dt.timedelta(days=index // 20),
        "start_time": f"{6 + index % 14:02}:30",
        "address": {"line1": "1 Park Road", "city": "Leeds", "country": "GB"},
        "timezone": "Europe/London",
    }


def _run(
    organization_id: str, event_id: str, index: int, max_participants: int | None
) -> dict[str, Any]:
    return {
        "id": ids.new_id(ids.RUN),
        "organization_id": organization_id,
        "event_id": event_id,
        "distance_meters": 5000.0,
        "distance_standard": "5K",
        "distance_label": "5K",
        "date": DAY0 + dt.timedelta(days=index),
        "start_time": "09:00",
        "max_participants": max_participants,
    }


async def _insert(database: Database, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        async with database.write() as session:
            await session.execute(insert(model), rows[start : start + BATCH])


async def seed(database: Database, *, events: int) -> Seeded:
    """One enterprise club: ``events`` events, 250 recurrences, 200 registrations."""
    async with database.write() as session:
        organization = await create_organization(
            session, name="Bench club", slug="bench-club", plan="enterprise", timezone="UTC"
        )
        # Rate limited like any key, at a rate (and so a burst) the load cannot reach.
        issued = await issue_key(
            session, organization.id, name="bench", scopes=ALL_SCOPES, rate_limit=BENCH_RATE
        )
    org = organization.id
    event_rows = [_event(org, index) for index in range(events)]
    await _insert(database, Event, event_rows)
    detail, listed, posted = (row["id"] for row in event_rows[:3])
    runs = [_run(org, detail, index, 100) for index in range(3)]
    listed_run, open_run = _run(org, listed, 0, None), _run(org, posted, 0, None)
    await _insert(database, Run, [*runs, listed_run, open_run])
    recurrences = [
        {
            "id": ids.new_id(ids.RECURRENCE),
            "organization_id": org,
            "event_id": detail,
            "label": f"Tuesday tempo {index}",
            "schedule": SCHEDULE,
            "status": "active" if index % 5 else "paused",
            "auto_publish_horizon_weeks": 8,
        }
        for index in range(250)
    ]
    await _insert(database, Recurrence, recurrences)
    await _insert(database, Registration, _registrations(org, listed_run, 200))
    async with database.read() as session:
        deep_cursor = await session.scalar(
            select(Event.id)
            .where(Event.organization_id == org)
            .order_by(Event.date, START_TIME_SORT, Event.id)
            .offset(min(10_000, events) - 1)
            .limit(1)
        )
    assert deep_cursor is not None
    async with database.writer.connect() as connection:
        # What autovacuum would have done by now: without statistics PostgreSQL sorts the
        # whole organization's events instead of walking the listing index.
        await connection.exec_driver_sql("ANALYZE")
        await connection.commit()
    return Seeded(org, issued.secret, detail, listed, open_run["id"], deep_cursor)


def _registrations(org: str, run: dict[str, Any], count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": ids.new_id(ids.REGISTRATION),
            "organization_id": org,
            "event_id": run["event_id"],
            "run_id": run["id"],
            "email": f"runner{index}@example.com",
            "email_key": f"runner{index}@example.com",
            "name": f"Runner {index}",
            "registration_type": "free",
            "status": "confirmed",
        }
        for index in range(count)
    ]


async def contention_runs(database: Database, seeded: Seeded, runs: int, places: int) -> list[str]:
    """A fresh event with ``runs`` runs of ``places`` places each; their IDs."""
    event = _event(seeded.organization_id, 0) | {"slug": f"contention-{ids.new_id('x')}"}
    rows = [_run(seeded.organization_id, event["id"], index, places) for index in range(runs)]
    await _insert(database, Event, [event])
    await _insert(database, Run, rows)
    return [row["id"] for row in rows]


async def registration_span(database: Database, run_ids: list[str]) -> tuple[int, float]:
    """How many registrations the runs got, and the seconds from the first to the last."""
    async with database.read() as session:
        count, first, last = (
            await session.execute(
                select(
                    func.count(),
                    func.min(Registration.created_at),
                    func.max(Registration.created_at),
                ).where(Registration.run_id.in_(run_ids))
            )
        ).one()
    if not count:
        return 0, 0.0
    return count, (_aware(last) - _aware(first)).total_seconds()


def _aware(value: dt.datetime | str) -> dt.datetime:
    """func.min/max bypass the column type: SQLite answers text, PostgreSQL a datetime."""
    instant = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)


async def capacity(database: Database, run_ids: list[str]) -> list[tuple[int, int, int]]:
    """Per run: its limit, its confirmed registrations counted, and its confirmed counter."""
    async with database.read() as session:
        counted = dict(
            (
                await session.execute(
                    select(Registration.run_id, func.count())
                    .where(Registration.run_id.in_(run_ids), Registration.status == "confirmed")
                    .group_by(Registration.run_id)
                )
            )
            .tuples()
            .all()
        )
        rows = (
            await session.execute(
                select(Run.id, Run.max_participants, Run.confirmed_count).where(Run.id.in_(run_ids))
            )
        ).tuples()
        return [(limit or 0, counted.get(run_id, 0), counter) for run_id, limit, counter in rows]
