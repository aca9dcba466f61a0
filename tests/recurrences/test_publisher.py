from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from pathlib import Path

import pytest
from sqlalchemy import distinct, func, select

from intervals_server.courses.service import create_course
from intervals_server.db import Database
from intervals_server.models import Run
from intervals_server.recurrences.publisher import publish_all, publish_periodically
from tests.conftest import Client, Tenant
from tests.recurrences.support import (
    create_recurring_event,
    days_from_today,
    publish_at,
    runs_of,
    schedule,
)
from tests.support import acting_for

LATER = dt.datetime(2031, 3, 10, 12, 0, tzinfo=dt.UTC)


def _dates(runs: list[dict[str, object]], since: str = "") -> list[object]:
    return [run["date"] for run in runs if str(run["date"]) >= since]


async def test_creating_an_event_with_a_recurrence_publishes_its_first_horizon(
    client: Client, tenant: Tenant
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)

    runs = await runs_of(client, tenant.headers, recurrence_id)

    assert _dates(runs) == days_from_today(7)
    first = runs[0]
    assert first["startTime"] == "18:30"
    assert first["startsAt"] == f"{first['date']}T18:30:00Z"
    assert first["endsAt"] == f"{first['date']}T19:30:00Z"
    assert first["eventStatus"] == "scheduled"


async def test_a_weekly_recurrence_gets_one_run_per_week_of_its_horizon(
    client: Client, tenant: Tenant
) -> None:
    recurrence_id = await create_recurring_event(
        client, tenant.headers, schedule=schedule(daysOfWeek=[2]), autoPublishHorizonWeeks=8
    )

    runs = await runs_of(client, tenant.headers, recurrence_id)

    assert len(runs) == 8
    assert all(dt.date.fromisoformat(run["date"]).isoweekday() == 2 for run in runs)


async def test_published_runs_take_the_default_courses_distance(
    client: Client, tenant: Tenant, database: Database
) -> None:
    async with acting_for(database, tenant.organization_id) as ctx:
        course = await create_course(
            ctx,
            name="River loop",
            distance_meters=10_000,
            distance_standard="10K",
            distance_label="River 10K",
        )
    recurrence_id = await create_recurring_event(client, tenant.headers, defaultCourseId=course.id)

    run = (await runs_of(client, tenant.headers, recurrence_id))[0]

    assert (run["courseId"], run["distanceMeters"], run["distanceStandard"]) == (
        course.id,
        10_000,
        "10K",
    )
    assert run["distanceLabel"] == "River 10K"


async def test_published_runs_without_a_course_copy_the_events_first_run(
    client: Client, tenant: Tenant
) -> None:
    manual_run = {"distanceMeters": 5000, "distanceStandard": "5K", "distanceLabel": "Park 5K"}
    recurrence_id = await create_recurring_event(
        client, tenant.headers, event={"runs": [manual_run]}
    )

    run = (await runs_of(client, tenant.headers, recurrence_id))[0]

    assert (run["distanceMeters"], run["distanceStandard"], run["distanceLabel"]) == (
        5000,
        "5K",
        "Park 5K",
    )


async def test_published_runs_without_course_or_run_are_other_with_no_distance(
    client: Client, tenant: Tenant
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)

    run = (await runs_of(client, tenant.headers, recurrence_id))[0]

    assert (run["distanceMeters"], run["distanceStandard"]) == (0, "Other")
    assert "courseId" not in run


async def test_publishing_again_creates_no_duplicate_run(
    client: Client, tenant: Tenant, database: Database
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)

    created = await publish_at(database, recurrence_id, dt.datetime.now(dt.UTC))

    assert created == 0
    assert _dates(await runs_of(client, tenant.headers, recurrence_id)) == days_from_today(7)


async def test_publishing_days_later_adds_only_the_new_days(
    client: Client, tenant: Tenant, database: Database
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)

    created = await publish_at(
        database, recurrence_id, dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    )

    assert created == 3
    assert _dates(await runs_of(client, tenant.headers, recurrence_id)) == days_from_today(10)


async def test_the_horizon_starts_today_in_the_events_time_zone(
    client: Client, tenant: Tenant, database: Database
) -> None:
    recurrence_id = await create_recurring_event(
        client, tenant.headers, event={"timezone": "Pacific/Kiritimati"}
    )

    # 12:00 UTC on March 10th is already 02:00 on March 11th at UTC+14.
    await publish_at(database, recurrence_id, LATER)

    runs = await runs_of(client, tenant.headers, recurrence_id)
    assert _dates(runs, since="2031") == [f"2031-03-{day}" for day in range(11, 18)]
    assert runs[-1]["startsAt"] == "2031-03-17T04:30:00Z"


async def test_publish_all_publishes_active_recurrences_and_skips_paused_ones(
    client: Client, tenant: Tenant, database: Database
) -> None:
    active = await create_recurring_event(client, tenant.headers)
    paused = await create_recurring_event(client, tenant.headers, status="paused")

    await publish_all(database, LATER, batch_size=2)

    assert len(_dates(await runs_of(client, tenant.headers, active), since="2031")) == 7
    assert await runs_of(client, tenant.headers, paused) == []


async def test_the_background_publisher_publishes_until_it_is_stopped(
    client: Client, tenant: Tenant, database: Database
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)
    later = dt.datetime(2033, 1, 1, tzinfo=dt.UTC)
    stop = asyncio.Event()
    task = asyncio.create_task(publish_periodically(database, 0.05, clock=lambda: later, stop=stop))
    try:
        for _ in range(200):
            if _dates(await runs_of(client, tenant.headers, recurrence_id), since="2033"):
                break
            await asyncio.sleep(0.05)
    finally:
        # As a shutdown does: between batches, so no transaction is cut off mid-way.
        stop.set()
        await asyncio.wait_for(task, 30)

    assert len(_dates(await runs_of(client, tenant.headers, recurrence_id), since="2033")) == 7
    assert task.done() and task.exception() is None


async def test_the_background_publisher_logs_a_failed_pass_and_tries_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    unreachable = Database(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'intervals.db'}")
    task = asyncio.create_task(publish_periodically(unreachable, 0.01))
    try:
        for _ in range(500):
            if len([r for r in caplog.records if r.message.startswith("publishing failed")]) >= 2:
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await unreachable.dispose()

    failures = [r for r in caplog.records if r.message.startswith("publishing failed")]
    assert len(failures) >= 2
    assert task.cancelled()


async def test_a_stopped_pass_ends_after_the_batch_in_hand_leaving_each_recurrence_whole(
    client: Client, tenant: Tenant, database: Database
) -> None:
    mine = [await create_recurring_event(client, tenant.headers) for _ in range(3)]
    later = dt.datetime(2035, 6, 1, tzinfo=dt.UTC)
    stop = asyncio.Event()
    stop.set()  # as a shutdown does, before the pass reaches its second batch

    created = await publish_all(database, later, batch_size=1, stop=stop)

    published = [len(_dates(await runs_of(client, tenant.headers, r), since="2035")) for r in mine]
    # The batch in hand may be another test's recurrence (the database is shared): what is
    # certain is that one recurrence at most got runs for 2035, and only this test asks for it.
    async with database.read() as session:
        touched = await session.scalar(
            select(func.count(distinct(Run.recurrence_id))).where(
                Run.occurrence_date >= dt.date(2035, 1, 1)
            )
        )
    assert touched == (1 if created else 0)
    assert set(published) <= {0, 7}


async def test_the_background_publisher_logs_every_pass(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    stop = asyncio.Event()

    def one_pass_only() -> dt.datetime:
        stop.set()
        return LATER

    with caplog.at_level(logging.INFO, logger="intervals.publisher"):
        await asyncio.wait_for(publish_periodically(database, 60, one_pass_only, stop=stop), 30)

    # The pass's own line (other tests' events may hold their quota and warn meanwhile).
    (line,) = [
        r.message
        for r in caplog.records
        if r.name == "intervals.publisher" and r.levelno == logging.INFO
    ]
    assert re.fullmatch(r"publishing pass: \d+ runs published in [\d.]+ s; next in 60 s", line)
