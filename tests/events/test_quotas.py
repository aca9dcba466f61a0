"""What one event may hold: runs and live recurrences, refused beyond with 409
``quota_exceeded``; the publisher stops at the runs quota instead of failing."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

import httpx
import pytest
from sqlalchemy import func, select

from intervals_server.db import Database
from intervals_server.events.quotas import MAX_RECURRENCES_PER_EVENT, MAX_RUNS_PER_EVENT
from intervals_server.models import Run
from intervals_server.recurrences.publisher import publish_all
from tests.conftest import Client, Tenant
from tests.events.support import runs_in_bulk
from tests.recurrences.support import recurrence_body, runs_of, schedule
from tests.support import create_event, create_run

WEEKLY = schedule(daysOfWeek=[2])


def _quota_exceeded(response: httpx.Response) -> None:
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert (error["code"], error["reason"]) == ("CONFLICT", "quota_exceeded")


async def _create_recurrence(
    client: Client, tenant: Tenant, event_id: str, **body: object
) -> httpx.Response:
    return await client.post(
        "/recurrences",
        json={"eventId": event_id, **recurrence_body(schedule=WEEKLY), **body},
        headers=tenant.headers,
    )


async def test_a_run_beyond_the_events_runs_quota_is_refused(
    client: Client, database: Database, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers)
    await runs_in_bulk(database, tenant.organization_id, event_id, MAX_RUNS_PER_EVENT - 1)
    await create_run(client, tenant.headers, event_id)

    response = await client.post(
        f"/events/{event_id}/runs",
        json={"distanceMeters": 5000, "distanceStandard": "5K"},
        headers=tenant.headers,
    )

    _quota_exceeded(response)
    assert str(MAX_RUNS_PER_EVENT) in response.json()["error"]["message"]


async def test_runs_added_at_once_stop_at_the_quota(
    client: Client, database: Database, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers)
    await runs_in_bulk(database, tenant.organization_id, event_id, MAX_RUNS_PER_EVENT - 1)

    responses = await asyncio.gather(
        *(
            client.post(
                f"/events/{event_id}/runs",
                json={"distanceMeters": 5000, "distanceStandard": "5K"},
                headers=tenant.headers,
            )
            for _ in range(6)
        )
    )

    assert sorted(response.status_code for response in responses) == [201, *[409] * 5]
    async with database.read() as session:
        statement = select(func.count()).select_from(Run).where(Run.event_id == event_id)
        assert await session.scalar(statement) == MAX_RUNS_PER_EVENT


async def test_a_recurrence_beyond_the_events_recurrences_quota_is_refused(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers)
    for _ in range(MAX_RECURRENCES_PER_EVENT):
        assert (await _create_recurrence(client, tenant, event_id)).status_code == 201

    response = await _create_recurrence(client, tenant, event_id, status="paused")

    _quota_exceeded(response)
    listed = await client.get(f"/recurrences?eventId={event_id}&limit=100", headers=tenant.headers)
    assert len(listed.json()["data"]) == MAX_RECURRENCES_PER_EVENT


async def test_archived_recurrences_leave_room_for_new_ones(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)
    made = [
        (await _create_recurrence(client, tenant, event_id)).json()["data"]["recurrenceId"]
        for _ in range(MAX_RECURRENCES_PER_EVENT)
    ]
    await client.patch(
        f"/recurrences/{made[0]}", json={"status": "archived"}, headers=tenant.headers
    )

    response = await _create_recurrence(client, tenant, event_id)

    assert response.status_code == 201


async def test_a_recurrence_whose_first_horizon_does_not_fit_is_refused_whole(
    client: Client, database: Database, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers)
    await runs_in_bulk(database, tenant.organization_id, event_id, MAX_RUNS_PER_EVENT - 3)

    response = await _create_recurrence(client, tenant, event_id, autoPublishHorizonWeeks=4)

    _quota_exceeded(response)
    listed = await client.get(f"/recurrences?eventId={event_id}", headers=tenant.headers)
    assert listed.json()["data"] == []


async def test_the_publisher_fills_an_event_up_to_its_runs_quota_and_warns(
    client: Client, database: Database, tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    event_id = await create_event(client, tenant.headers)
    response = await _create_recurrence(client, tenant, event_id, autoPublishHorizonWeeks=2)
    recurrence_id = response.json()["data"]["recurrenceId"]
    await runs_in_bulk(database, tenant.organization_id, event_id, MAX_RUNS_PER_EVENT - 3)
    # Four weeks on, the horizon holds two new Tuesdays, and room is left for one.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(weeks=4)

    with caplog.at_level(logging.WARNING, logger="intervals.publisher"):
        await publish_all(database, later)
        await publish_all(database, later)  # at the quota: nothing, and no failure

    assert len(await runs_of(client, tenant.headers, recurrence_id)) == 3
    event = await client.get(f"/events/{event_id}/runs?limit=1", headers=tenant.headers)
    assert event.status_code == 200
    assert any(
        event_id in record.getMessage() and "quota" in record.getMessage()
        for record in caplog.records
    )


async def test_resuming_a_recurrence_at_the_runs_quota_publishes_what_fits(
    client: Client, database: Database, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers)
    response = await _create_recurrence(
        client, tenant, event_id, status="paused", autoPublishHorizonWeeks=4
    )
    recurrence_id = response.json()["data"]["recurrenceId"]
    await runs_in_bulk(database, tenant.organization_id, event_id, MAX_RUNS_PER_EVENT - 2)

    resumed = await client.patch(
        f"/recurrences/{recurrence_id}", json={"status": "active"}, headers=tenant.headers
    )

    assert resumed.status_code == 200, resumed.text
    assert len(await runs_of(client, tenant.headers, recurrence_id)) == 2
