"""POST /events/{id}/runs: add a distance or a dated occurrence to an event."""

from __future__ import annotations

from typing import Any

from intervals_server.db import Database
from tests.conftest import Client, Tenant
from tests.support import (
    create_course,
    create_event,
    create_run,
    error_fields,
    event_body,
    read_event,
)


async def post_run(client: Client, tenant: Tenant, event_id: str, **body: Any) -> Any:
    return await client.post(f"/events/{event_id}/runs", json=body, headers=tenant.headers)


async def only_run(client: Client, tenant: Tenant, event_id: str) -> dict[str, Any]:
    (run,) = (await read_event(client, tenant.headers, event_id))["runs"]
    assert isinstance(run, dict)
    return run


async def test_adding_a_run_returns_its_id(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await post_run(client, tenant, event_id, distanceMeters=5000, distanceStandard="5K")

    assert response.status_code == 201
    assert set(response.json()["data"]) == {"runId"}
    assert response.json()["data"]["runId"].startswith("r")


async def test_a_run_takes_its_date_and_start_time_from_the_event(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers, date="2030-06-14", startTime="07:45")
    await create_run(client, tenant.headers, event_id)

    run = await only_run(client, tenant, event_id)

    assert (run["date"], run["startTime"], run["eventStatus"]) == (
        "2030-06-14",
        "07:45",
        "scheduled",
    )


async def test_a_run_keeps_its_own_date_and_start_time(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers, date="2030-06-14", startTime="07:45")
    await create_run(client, tenant.headers, event_id, date="2030-06-15", startTime="09:00:00")

    run = await only_run(client, tenant, event_id)

    assert (run["date"], run["startTime"]) == ("2030-06-15", "09:00")


async def test_the_label_defaults_to_the_standard(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)
    await create_run(
        client, tenant.headers, event_id, distanceMeters=21097.5, distanceStandard="Half Marathon"
    )

    run = await only_run(client, tenant, event_id)

    assert (run["distanceMeters"], run["distanceLabel"]) == (21097.5, "Half Marathon")


async def test_an_other_distance_is_labelled_in_kilometres(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)
    await create_run(
        client, tenant.headers, event_id, distanceMeters=8000, distanceStandard="Other"
    )

    assert (await only_run(client, tenant, event_id))["distanceLabel"] == "8K"


async def test_optional_fields_read_back(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)
    await create_run(
        client,
        tenant.headers,
        event_id,
        distanceLabel="Fun run",
        registrationUrl="https://example.com/register",
        registrationOpensAt="2030-05-01T00:00:00Z",
        registrationClosesAt="2030-06-13T12:00:00-05:00",
        maxParticipants=250,
        isVirtual=False,
        isRelay=True,
        isWalking=True,
    )

    run = await only_run(client, tenant, event_id)

    assert run["distanceLabel"] == "Fun run"
    assert run["registrationUrl"] == "https://example.com/register"
    assert run["registrationOpensAt"] == "2030-05-01T00:00:00Z"
    assert run["registrationClosesAt"] == "2030-06-13T17:00:00Z"
    assert (run["maxParticipants"], run["soldOut"]) == (250, False)
    assert (run["isVirtual"], run["isRelay"], run["isWalking"]) == (False, True, True)
    assert (run["confirmedCount"], run["waitlistCount"]) == (0, 0)


async def test_a_course_gives_the_run_its_distance(
    client: Client, tenant: Tenant, database: Database
) -> None:
    course = await create_course(
        database, tenant.organization_id, distance_meters=42195, distance_standard="Marathon"
    )
    event_id = await create_event(client, tenant.headers)

    response = await post_run(client, tenant, event_id, courseId=course.id)

    assert response.status_code == 201
    run = await only_run(client, tenant, event_id)
    assert (run["courseId"], run["distanceMeters"], run["distanceStandard"]) == (
        course.id,
        42195,
        "Marathon",
    )


async def test_a_distance_without_a_course_is_required(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await post_run(client, tenant, event_id, distanceStandard="5K")

    assert error_fields(response) == {"distanceMeters": ["Required unless courseId is given"]}


async def test_an_unknown_course_is_refused(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await post_run(client, tenant, event_id, courseId="c00000000000000")

    assert error_fields(response) == {"courseId": ["No course with this ID"]}


async def test_a_window_closing_before_it_opens_is_refused(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await post_run(
        client,
        tenant,
        event_id,
        distanceMeters=5000,
        distanceStandard="5K",
        registrationOpensAt="2030-06-01T00:00:00Z",
        registrationClosesAt="2030-05-31T23:59:59Z",
    )

    assert list(error_fields(response)) == ["registrationClosesAt"]
    assert (await read_event(client, tenant.headers, event_id))["runs"] == []


async def test_a_window_instant_without_offset_is_refused(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await post_run(
        client,
        tenant,
        event_id,
        distanceMeters=5000,
        distanceStandard="5K",
        registrationOpensAt="2030-06-01T00:00:00",
    )

    assert list(error_fields(response)) == ["registrationOpensAt"]


async def test_an_invalid_standard_is_refused(client: Client, tenant: Tenant) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await post_run(client, tenant, event_id, distanceMeters=5000, distanceStandard="5k")

    assert list(error_fields(response)) == ["distanceStandard"]


async def test_an_unknown_event_is_not_found(client: Client, tenant: Tenant) -> None:
    response = await post_run(
        client, tenant, "e00000000000000", distanceMeters=5000, distanceStandard="5K"
    )

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Event not found"


async def test_another_tenants_event_is_not_found(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    theirs = await create_event(client, other_tenant.headers)

    response = await post_run(client, tenant, theirs, distanceMeters=5000, distanceStandard="5K")

    assert response.status_code == 404
    assert (await read_event(client, other_tenant.headers, theirs))["runs"] == []


async def test_a_window_instant_beyond_the_calendar_in_utc_is_refused(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers)

    response = await post_run(
        client,
        tenant,
        event_id,
        distanceMeters=5000,
        distanceStandard="5K",
        registrationClosesAt="9999-12-31T23:00:00-05:00",
    )

    assert list(error_fields(response)) == ["registrationClosesAt"]


async def test_a_date_whose_start_is_beyond_the_calendar_in_utc_is_refused(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers, timezone="America/New_York")

    response = await post_run(
        client,
        tenant,
        event_id,
        distanceMeters=5000,
        distanceStandard="5K",
        date="9999-12-31",
        startTime="23:00",
    )

    assert list(error_fields(response)) == ["date"]


async def test_a_run_given_with_the_event_names_its_index_when_out_of_range(
    client: Client, tenant: Tenant
) -> None:
    runs = [
        {
            "distanceMeters": 5000,
            "distanceStandard": "5K",
            "date": "0001-01-01",
            "startTime": "00:00",
        }
    ]

    response = await client.post(
        "/events", json=event_body(timezone="Asia/Tokyo", runs=runs), headers=tenant.headers
    )

    assert list(error_fields(response)) == ["runs.0.date"]
