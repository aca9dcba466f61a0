from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from intervals_server.auth.scopes import Scope
from intervals_server.db import Database
from tests.conftest import Client, Tenant
from tests.recurrences.support import (
    create_recurring_event,
    days_from_today,
    publish_at,
    recurrence_body,
    runs_of,
    schedule,
    today,
)
from tests.support import create_event, register


async def _patch(client: Client, tenant: Tenant, recurrence_id: str, **body: Any) -> dict[str, Any]:
    response = await client.patch(
        f"/recurrences/{recurrence_id}", json=body, headers=tenant.headers
    )
    assert response.status_code == 200, response.text
    recurrence: dict[str, Any] = response.json()["data"]
    return recurrence


async def _register_on_day(
    client: Client, tenant: Tenant, recurrence_id: str, offset: int
) -> dict[str, Any]:
    runs = await runs_of(client, tenant.headers, recurrence_id)
    run = runs[offset]
    assert (await register(client, tenant.headers, run["_id"])).status_code == 201
    return run


def _weekday_in(days: int) -> int:
    """The schedule's day of the week (0 = Sunday) ``days`` from today."""
    return (today() + dt.timedelta(days=days)).isoweekday() % 7


async def test_post_recurrences_attaches_one_to_an_event_and_publishes_it(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await client.post(
        "/recurrences", json={"eventId": event_id, **recurrence_body()}, headers=tenant.headers
    )

    assert response.status_code == 201
    recurrence_id = response.json()["data"]["recurrenceId"]
    assert recurrence_id.startswith("rc") and len(recurrence_id) == 16
    runs = await runs_of(client, tenant.headers, recurrence_id)
    assert [run["date"] for run in runs] == days_from_today(7)


async def test_post_recurrences_for_an_unknown_event_is_a_validation_error(
    client: Client, tenant: Tenant
) -> None:
    response = await client.post(
        "/recurrences",
        json={"eventId": "e00000000000000", **recurrence_body()},
        headers=tenant.headers,
    )

    assert response.status_code == 422
    assert response.json()["error"]["errors"] == {"eventId": ["No event with this ID"]}


async def test_post_recurrences_needs_the_write_scope(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)
    headers = await tenant.headers_with(Scope.READ_RECURRENCES)

    response = await client.post(
        "/recurrences", json={"eventId": event_id, **recurrence_body()}, headers=headers
    )

    assert response.status_code == 403
    assert "write:recurrences" in response.json()["error"]["message"]


async def test_get_recurrence_returns_it(client: Client, tenant: Tenant) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)

    response = await client.get(f"/recurrences/{recurrence_id}", headers=tenant.headers)

    assert response.status_code == 200
    recurrence = response.json()["data"]
    assert (recurrence["_id"], recurrence["status"], recurrence["label"]) == (
        recurrence_id,
        "active",
        "Daily miles",
    )


async def test_another_organizations_recurrence_is_not_found(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    recurrence_id = await create_recurring_event(client, other_tenant.headers)

    for response in (
        await client.get(f"/recurrences/{recurrence_id}", headers=tenant.headers),
        await client.patch(
            f"/recurrences/{recurrence_id}", json={"status": "paused"}, headers=tenant.headers
        ),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "NOT_FOUND"


async def test_patch_changes_label_and_horizon(client: Client, tenant: Tenant) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)

    recurrence = await _patch(
        client, tenant, recurrence_id, label="Evening miles", autoPublishHorizonWeeks=2
    )

    assert (recurrence["label"], recurrence["autoPublishHorizonWeeks"]) == ("Evening miles", 2)
    runs = await runs_of(client, tenant.headers, recurrence_id)
    assert [run["date"] for run in runs] == days_from_today(14)


async def test_patch_with_an_unknown_course_is_a_validation_error(
    client: Client, tenant: Tenant
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)

    response = await client.patch(
        f"/recurrences/{recurrence_id}",
        json={"defaultCourseId": "c00000000000000"},
        headers=tenant.headers,
    )

    assert response.status_code == 422
    assert response.json()["error"]["errors"] == {"defaultCourseId": ["No course with this ID"]}


async def test_pausing_keeps_existing_runs_and_publishes_nothing_new(
    client: Client, tenant: Tenant, database: Database
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)

    await _patch(client, tenant, recurrence_id, status="paused")
    created = await publish_at(
        database, recurrence_id, dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    )

    assert created == 0
    runs = await runs_of(client, tenant.headers, recurrence_id)
    assert [run["date"] for run in runs] == days_from_today(7)
    assert {run["eventStatus"] for run in runs} == {"scheduled"}


async def test_resuming_publishes_the_horizon_at_once(client: Client, tenant: Tenant) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers, status="paused")
    assert await runs_of(client, tenant.headers, recurrence_id) == []

    await _patch(client, tenant, recurrence_id, status="active")

    runs = await runs_of(client, tenant.headers, recurrence_id)
    assert [run["date"] for run in runs] == days_from_today(7)


async def test_archiving_cancels_future_runs_without_registrations(
    client: Client, tenant: Tenant
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)
    registered = await _register_on_day(client, tenant, recurrence_id, 2)

    await _patch(client, tenant, recurrence_id, status="archived")

    statuses = {
        run["_id"]: run["eventStatus"]
        for run in await runs_of(client, tenant.headers, recurrence_id)
    }
    assert statuses.pop(registered["_id"]) == "scheduled"
    assert set(statuses.values()) == {"cancelled"}


async def test_an_archived_recurrence_cannot_be_resumed(client: Client, tenant: Tenant) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)
    await _patch(client, tenant, recurrence_id, status="archived")

    response = await client.patch(
        f"/recurrences/{recurrence_id}", json={"status": "active"}, headers=tenant.headers
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["errors"]) == ["status"]


@pytest.mark.parametrize(
    "change",
    [
        {"schedule": schedule(daysOfWeek=[0], startTime="07:00")},
        {"label": "Sunday long run"},
        {"autoPublishHorizonWeeks": 2},
        {"defaultCourseId": None, "label": None},
        {"status": "paused"},
    ],
    ids=["schedule", "label", "horizon", "clearing", "status"],
)
async def test_an_archived_recurrence_refuses_any_change(
    client: Client, tenant: Tenant, change: dict[str, Any]
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers, label="Tuesday tempo")
    await _patch(client, tenant, recurrence_id, status="archived")

    response = await client.patch(
        f"/recurrences/{recurrence_id}", json=change, headers=tenant.headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert response.json()["error"]["errors"] == {
        field: ["An archived recurrence cannot be changed"]
        for field in change
        if field != "defaultCourseId"  # already null: not a change
    }


async def test_an_archived_recurrences_runs_stay_where_they_were_after_a_refused_change(
    client: Client, tenant: Tenant
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)
    await _patch(client, tenant, recurrence_id, status="archived")
    before = await runs_of(client, tenant.headers, recurrence_id)

    await client.patch(
        f"/recurrences/{recurrence_id}",
        json={"schedule": schedule(daysOfWeek=[0], startTime="07:00")},
        headers=tenant.headers,
    )

    assert await runs_of(client, tenant.headers, recurrence_id) == before


async def test_a_patch_that_changes_nothing_on_an_archived_recurrence_is_a_200(
    client: Client, tenant: Tenant
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)
    archived = await _patch(client, tenant, recurrence_id, status="archived")

    again = await _patch(
        client,
        tenant,
        recurrence_id,
        status="archived",
        schedule=archived["schedule"],
        autoPublishHorizonWeeks=archived["autoPublishHorizonWeeks"],
    )

    assert again == archived


async def test_a_schedule_change_moves_runs_that_remain_and_deletes_the_others(
    client: Client, tenant: Tenant
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)
    before = await runs_of(client, tenant.headers, recurrence_id)
    kept_days = [_weekday_in(1), _weekday_in(4)]

    await _patch(
        client, tenant, recurrence_id, schedule=schedule(daysOfWeek=kept_days, startTime="07:00")
    )

    after = await runs_of(client, tenant.headers, recurrence_id)
    assert [run["_id"] for run in after] == [before[1]["_id"], before[4]["_id"]]
    assert [(run["startTime"], run["startsAt"][11:16]) for run in after] == [("07:00", "07:00")] * 2


async def test_a_schedule_change_never_touches_a_run_with_registrations(
    client: Client, tenant: Tenant
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)
    registered = await _register_on_day(client, tenant, recurrence_id, 2)

    await _patch(
        client,
        tenant,
        recurrence_id,
        schedule=schedule(daysOfWeek=[_weekday_in(1)], startTime="07:00"),
    )

    after = {run["_id"]: run for run in await runs_of(client, tenant.headers, recurrence_id)}
    assert after[registered["_id"]]["startTime"] == "18:30"
    assert after[registered["_id"]]["date"] == registered["date"]
    assert len(after) == 2


async def test_a_schedule_change_publishes_the_new_days(client: Client, tenant: Tenant) -> None:
    recurrence_id = await create_recurring_event(
        client, tenant.headers, schedule=schedule(daysOfWeek=[_weekday_in(1)])
    )

    await _patch(client, tenant, recurrence_id, schedule=schedule(daysOfWeek=[_weekday_in(3)]))

    runs = await runs_of(client, tenant.headers, recurrence_id)
    assert [run["date"] for run in runs] == [days_from_today(4)[3]]


async def test_a_paused_recurrences_schedule_change_replans_without_publishing(
    client: Client, tenant: Tenant
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)
    await _patch(client, tenant, recurrence_id, status="paused")

    await _patch(client, tenant, recurrence_id, schedule=schedule(daysOfWeek=[_weekday_in(2)]))

    runs = await runs_of(client, tenant.headers, recurrence_id)
    assert [run["date"] for run in runs] == [days_from_today(3)[2]]


async def test_patch_with_an_impossible_schedule_is_a_validation_error(
    client: Client, tenant: Tenant
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)

    response = await client.patch(
        f"/recurrences/{recurrence_id}",
        json={"schedule": schedule(daysOfWeek=None)},
        headers=tenant.headers,
    )

    assert response.status_code == 422
    assert list(response.json()["error"]["errors"]) == ["schedule.daysOfWeek"]
