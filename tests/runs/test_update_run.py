"""PATCH /runs/{id}: change a run; its UTC start follows its local date and time."""

from __future__ import annotations

from typing import Any

import pytest

from intervals_server.db import Database
from tests.conftest import Client, Tenant
from tests.support import (
    create_course,
    create_event,
    create_event_with_run,
    create_run,
    error_fields,
)


async def patch_run(client: Client, tenant: Tenant, run_id: str, **changes: Any) -> Any:
    return await client.patch(f"/runs/{run_id}", json=changes, headers=tenant.headers)


async def run_in_zone(client: Client, tenant: Tenant, timezone: str, **run: Any) -> str:
    event_id = await create_event(client, tenant.headers, timezone=timezone)
    return await create_run(client, tenant.headers, event_id, **run)


async def test_patch_returns_the_changed_run(client: Client, tenant: Tenant) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers)

    response = await patch_run(
        client,
        tenant,
        run_id,
        distanceMeters=10000,
        distanceStandard="10K",
        distanceLabel="10K",
        maxParticipants=100,
        isVirtual=True,
        registrationOverride="paused",
    )

    assert response.status_code == 200
    run = response.json()["data"]
    assert run["_id"] == run_id
    assert (run["distanceMeters"], run["distanceStandard"], run["distanceLabel"]) == (
        10000,
        "10K",
        "10K",
    )
    assert (run["maxParticipants"], run["isVirtual"], run["registrationOverride"]) == (
        100,
        True,
        "paused",
    )


async def test_patched_fields_read_back_with_the_event(client: Client, tenant: Tenant) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)

    await patch_run(client, tenant, run_id, distanceLabel="Lakefront 5K")

    event = (await client.get(f"/events/{event_id}", headers=tenant.headers)).json()["data"]
    assert event["runs"][0]["distanceLabel"] == "Lakefront 5K"


async def test_cancelling_a_run(client: Client, tenant: Tenant) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers)

    response = await patch_run(client, tenant, run_id, eventStatus="cancelled")

    assert response.json()["data"]["eventStatus"] == "cancelled"


async def test_null_clears_optional_fields(client: Client, tenant: Tenant) -> None:
    _, run_id = await create_event_with_run(
        client, tenant.headers, maxParticipants=10, registrationOverride="closed"
    )

    run = (
        await patch_run(client, tenant, run_id, maxParticipants=None, registrationOverride=None)
    ).json()["data"]

    assert "maxParticipants" not in run and "registrationOverride" not in run


async def test_clearing_the_start_time_clears_the_instant(client: Client, tenant: Tenant) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers)

    run = (await patch_run(client, tenant, run_id, startTime=None)).json()["data"]

    assert "startTime" not in run and "startsAt" not in run


async def test_a_new_start_time_moves_the_instant(client: Client, tenant: Tenant) -> None:
    run_id = await run_in_zone(client, tenant, "America/New_York", date="2030-07-04")

    run = (await patch_run(client, tenant, run_id, startTime="18:30:00")).json()["data"]

    # New York keeps daylight time in July: UTC-4.
    assert (run["startTime"], run["startsAt"]) == ("18:30", "2030-07-04T22:30:00Z")


async def test_a_new_date_moves_the_instant_across_a_dst_change(
    client: Client, tenant: Tenant
) -> None:
    run_id = await run_in_zone(
        client, tenant, "America/New_York", date="2030-07-04", startTime="18:30"
    )

    run = (await patch_run(client, tenant, run_id, date="2030-12-05")).json()["data"]

    # 18:30 stays 18:30 local; in December that is UTC-5.
    assert (run["startTime"], run["startsAt"]) == ("18:30", "2030-12-05T23:30:00Z")


async def test_a_time_in_the_spring_forward_gap_moves_forward_by_the_gap(
    client: Client, tenant: Tenant
) -> None:
    run_id = await run_in_zone(client, tenant, "America/New_York", date="2030-03-09")

    run = (await patch_run(client, tenant, run_id, date="2030-03-10", startTime="02:30")).json()[
        "data"
    ]

    # 02:30 does not exist on 2030-03-10 in New York; it is 03:30 EDT, 07:30Z.
    assert run["startsAt"] == "2030-03-10T07:30:00Z"


async def test_a_course_change_is_checked(client: Client, tenant: Tenant) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers)

    response = await patch_run(client, tenant, run_id, courseId="c00000000000000")

    assert error_fields(response) == {"courseId": ["No course with this ID"]}


async def test_linking_a_course_copies_its_distance(
    client: Client, tenant: Tenant, database: Database
) -> None:
    course = await create_course(
        database, tenant.organization_id, distance_meters=10000, distance_standard="10K"
    )
    _, run_id = await create_event_with_run(client, tenant.headers)

    run = (await patch_run(client, tenant, run_id, courseId=course.id)).json()["data"]

    assert (run["courseId"], run["distanceMeters"], run["distanceStandard"]) == (
        course.id,
        10000,
        "10K",
    )


async def test_a_distance_given_with_the_course_wins(
    client: Client, tenant: Tenant, database: Database
) -> None:
    course = await create_course(database, tenant.organization_id, distance_meters=10000)
    _, run_id = await create_event_with_run(client, tenant.headers)

    run = (
        await patch_run(client, tenant, run_id, courseId=course.id, distanceMeters=10100)
    ).json()["data"]

    assert (run["distanceMeters"], run["distanceStandard"]) == (10100, "10K")


async def test_unlinking_the_course_keeps_the_distance(
    client: Client, tenant: Tenant, database: Database
) -> None:
    course = await create_course(database, tenant.organization_id, distance_meters=10000)
    _, run_id = await create_event_with_run(client, tenant.headers)
    await patch_run(client, tenant, run_id, courseId=course.id)

    run = (await patch_run(client, tenant, run_id, courseId=None)).json()["data"]

    assert "courseId" not in run
    assert run["distanceMeters"] == 10000


async def test_a_window_closing_before_it_opens_is_refused(client: Client, tenant: Tenant) -> None:
    _, run_id = await create_event_with_run(
        client, tenant.headers, registrationOpensAt="2030-06-01T00:00:00Z"
    )

    response = await patch_run(client, tenant, run_id, registrationClosesAt="2030-05-01T00:00:00Z")

    assert list(error_fields(response)) == ["registrationClosesAt"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("eventStatus", "done"),
        ("date", None),
        ("distanceMeters", 0),
        ("distanceStandard", None),
        ("maxParticipants", -1),
        ("startTime", "7pm"),
        ("eventId", "e00000000000000"),
    ],
)
async def test_an_invalid_change_is_reported_by_name(
    client: Client, tenant: Tenant, field: str, value: Any
) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers)

    response = await patch_run(client, tenant, run_id, **{field: value})

    assert list(error_fields(response)) == [field]


async def test_an_unknown_run_is_not_found(client: Client, tenant: Tenant) -> None:
    response = await patch_run(client, tenant, "r00000000000000", eventStatus="cancelled")

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Event run not found"


async def test_another_tenants_run_is_not_found(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    _, theirs = await create_event_with_run(client, other_tenant.headers)

    response = await patch_run(client, tenant, theirs, eventStatus="cancelled")

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Event run not found"


async def test_a_date_whose_start_is_beyond_the_calendar_in_utc_is_refused(
    client: Client, tenant: Tenant
) -> None:
    run_id = await run_in_zone(client, tenant, "America/New_York", startTime="23:00")

    response = await patch_run(client, tenant, run_id, date="9999-12-31")

    assert list(error_fields(response)) == ["date"]
