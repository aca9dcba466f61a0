"""Publisher throughput against a raw bulk insert of the same rows, on SQLite and PostgreSQL.

    python bench/publish.py [--recurrences 10000] [--weeks 8] [--backends sqlite,postgresql]

Each backend gets a throwaway database (a SQLite file in a temporary folder, a PostgreSQL
database created through INTERVALS_TEST_POSTGRES_URL and dropped afterwards). It seeds
active weekly recurrences never published (336 distinct schedules:
seven days times 48 half-hours), times one ``publish_all`` pass, reads back
the runs it made, deletes them and times a plain multi-row INSERT of exactly those rows
in one transaction (SQLAlchemy Core executemany, the layer the publisher uses). A second
publisher pass over the published horizon (every row a conflict) is timed as well.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select

from intervals_server.db import Database
from intervals_server.kit.ids import new_id, new_ids
from intervals_server.models import Event, Recurrence, Run
from intervals_server.organizations.service import create_organization
from intervals_server.recurrences.publisher import publish_all
from intervals_server.testing import temporary_database

NOW = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)
RUNS = cast(Table, Run.__table__)


async def seed(database: Database, recurrences: int, weeks: int) -> None:
    async with database.write() as session:
        organization = await create_organization(
            session, name="Bench club", slug="bench-club", plan="enterprise", timezone="UTC"
        )
        event = Event(
            id=new_id("e"),
            organization_id=organization.id,
            name="Club runs",
            slug="club-runs",
            type="runClub",
            date=NOW.date(),
            timezone="Europe/London",
        )
        session.add(event)
        await session.flush()
        rows = [
            {
                "id": recurrence_id,
                "organization_id": organization.id,
                "event_id": event.id,
                "schedule": {
                    "frequency": "weekly",
                    "daysOfWeek": [index % 7],
                    "startTime": f"{index // 7 % 24:02}:{index // 168 % 2 * 30:02}",
                    "durationMinutes": 60,
                },
                "status": "active",
                "auto_publish_horizon_weeks": weeks,
                "created_at": NOW,
                "updated_at": NOW,
            }
            for index, recurrence_id in enumerate(new_ids("rc", recurrences))
        ]
        await session.execute(insert(Recurrence), rows)


async def timed_publish(database: Database) -> tuple[int, float]:
    started = time.perf_counter()
    created = await publish_all(database, NOW)
    return created, time.perf_counter() - started


async def timed_raw_insert(database: Database) -> tuple[int, float]:
    """Read back the published rows, delete them, and time inserting them again."""
    async with database.read() as session:
        rows = [dict(row._mapping) for row in await session.execute(select(RUNS))]
    async with database.write() as session:
        await session.execute(delete(RUNS))
    started = time.perf_counter()
    async with database.write() as session:
        await session.execute(insert(RUNS), rows)
    return len(rows), time.perf_counter() - started


async def bench(backend: str, recurrences: int, weeks: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        async with temporary_database(backend, Path(folder)) as url:
            database = Database(url)
            try:
                await seed(database, recurrences, weeks)
                published, publish_seconds = await timed_publish(database)
                _, again_seconds = await timed_publish(database)
                inserted, raw_seconds = await timed_raw_insert(database)
            finally:
                await database.dispose()
    assert published == inserted == recurrences * weeks, (published, inserted)
    return {
        "backend": backend,
        "runs": published,
        "publisher": published / publish_seconds,
        "raw": inserted / raw_seconds,
        "again": again_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recurrences", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=8, choices=range(1, 53), metavar="1-52")
    parser.add_argument("--backends", default="sqlite,postgresql")
    arguments = parser.parse_args()
    print(f"{arguments.recurrences} weekly recurrences x {arguments.weeks} weeks")
    print(
        f"{'backend':<11}{'runs':>8}{'publisher runs/s':>18}{'raw insert runs/s':>19}"
        f"{'ratio':>8}{'re-run s':>10}"
    )
    for backend in arguments.backends.split(","):
        result = asyncio.run(bench(backend, arguments.recurrences, arguments.weeks))
        print(
            f"{result['backend']:<11}{result['runs']:>8}{result['publisher']:>18,.0f}"
            f"{result['raw']:>19,.0f}{result['publisher'] / result['raw']:>8.0%}"
            f"{result['again']:>10.2f}"
        )


if __name__ == "__main__":
    main()
