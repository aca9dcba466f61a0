"""Two ``intervals publish --once`` processes at once against one database."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from intervals_server.db import Database
from intervals_server.events.quotas import MAX_RECURRENCES_PER_EVENT
from intervals_server.kit.ids import new_id
from intervals_server.models import Event, Recurrence, Run
from intervals_server.organizations.service import create_organization
from intervals_server.testing import temporary_database
from tests.conftest import BACKENDS
from tests.recurrences.support import schedule

RECURRENCES = 1200
HORIZON_WEEKS = 2
PROCESS_TIMEOUT_SECONDS = 180


async def _seed(database: Database) -> None:
    """Many active recurrences that were never published (inserted below the API), as
    many to an event as its quota allows."""
    async with database.write() as session:
        organization = await create_organization(
            session, name="Busy club", slug="busy-club", plan="enterprise", timezone="UTC"
        )
        events = [
            Event(
                id=new_id("e"),
                organization_id=organization.id,
                name=f"Club runs {index}",
                slug=f"club-runs-{index}",
                type="runClub",
                date=dt.date.today(),
                timezone="UTC",
            )
            for index in range(RECURRENCES // MAX_RECURRENCES_PER_EVENT)
        ]
        session.add_all(events)
        await session.flush()
        session.add_all(
            Recurrence(
                id=new_id("rc"),
                organization_id=organization.id,
                event_id=events[index % len(events)].id,
                schedule=schedule(),
                status="active",
                auto_publish_horizon_weeks=HORIZON_WEEKS,
            )
            for index in range(RECURRENCES)
        )


async def _publish_once(database_url: str) -> asyncio.subprocess.Process:
    command = Path(sys.executable).parent / "intervals"
    environment = {**os.environ, "INTERVALS_DATABASE_URL": database_url}
    return await asyncio.create_subprocess_exec(
        str(command),
        "publish",
        "--once",
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.mark.parametrize("backend", BACKENDS)
async def test_two_publisher_processes_at_once_make_each_run_exactly_once(
    backend: str, tmp_path: Path
) -> None:
    async with temporary_database(backend, tmp_path) as url:
        database = Database(url)
        try:
            await _seed(database)
            processes = [await _publish_once(url), await _publish_once(url)]
            try:
                outputs = await asyncio.wait_for(
                    asyncio.gather(*(process.communicate() for process in processes)),
                    PROCESS_TIMEOUT_SECONDS,
                )
            finally:
                for process in processes:
                    if process.returncode is None:
                        process.kill()
                        await process.wait()
            assert [process.returncode for process in processes] == [0, 0], outputs

            async with database.read() as session:
                total = await session.scalar(select(func.count()).select_from(Run))
                duplicates = (
                    await session.execute(
                        select(Run.recurrence_id, Run.occurrence_date)
                        .group_by(Run.recurrence_id, Run.occurrence_date)
                        .having(func.count() > 1)
                    )
                ).all()
        finally:
            await database.dispose()

    assert duplicates == []
    assert total == RECURRENCES * HORIZON_WEEKS * 7
    reported = sum(int(out.split()[1]) for out, _ in outputs)
    assert reported == total
