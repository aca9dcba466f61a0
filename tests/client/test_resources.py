"""Each resource of the blocking ``Client`` against a live server."""

from __future__ import annotations

import datetime as dt

from intervals_client import Client
from intervals_client._calls import EventRunParams
from intervals_server.db import Database
from tests.client.conftest import api_key
from tests.client.support import TUESDAYS, event
from tests.conftest import Tenant
from tests.support import create_group


def _client(live_url: str, tenant: Tenant) -> Client:
    return Client(api_key(tenant), base_url=live_url)


async def test_organization_is_the_keys_own(live_url: str, tenant: Tenant) -> None:
    with _client(live_url, tenant) as client:
        organization = client.organization.get()

    assert organization["_id"] == tenant.organization_id


async def test_list_follows_the_cursors_through_every_page(live_url: str, tenant: Tenant) -> None:
    with _client(live_url, tenant) as client:
        created = [client.events.create(event(f"2030-06-{day:02}")) for day in range(10, 15)]

        listed = [item["_id"] for item in client.events.list(limit=2)]

    assert listed == created


async def test_list_sends_the_filters(live_url: str, tenant: Tenant) -> None:
    with _client(live_url, tenant) as client:
        client.events.create(event("2030-06-10"))
        wanted = client.events.create(event("2030-07-10"))

        listed = [item["_id"] for item in client.events.list(dateFrom="2030-07-01")]

    assert listed == [wanted]


async def test_created_event_is_read_back_with_its_runs(live_url: str, tenant: Tenant) -> None:
    with _client(live_url, tenant) as client:
        event_id = client.events.create(event())

        detail = client.events.get(event_id)

    assert detail["event"]["_id"] == event_id
    assert [run["distanceStandard"] for run in detail["runs"]] == ["5K"]


async def test_update_returns_the_changed_event(live_url: str, tenant: Tenant) -> None:
    with _client(live_url, tenant) as client:
        event_id = client.events.create(event())

        updated = client.events.update(event_id, {"name": "Solstice 5K", "description": None})

    assert updated["name"] == "Solstice 5K"


async def test_run_is_added_and_cancelled(live_url: str, tenant: Tenant) -> None:
    with _client(live_url, tenant) as client:
        event_id = client.events.create(event())
        run_id = client.runs.create(event_id, {"distanceMeters": 10000, "distanceStandard": "10K"})

        cancelled = client.runs.update(run_id, {"eventStatus": "cancelled"})

    assert cancelled["_id"] == run_id and cancelled["eventStatus"] == "cancelled"


async def test_registration_is_made_listed_and_cancelled(live_url: str, tenant: Tenant) -> None:
    with _client(live_url, tenant) as client:
        event_id = client.events.create(event())
        run_id = client.events.get(event_id)["runs"][0]["_id"]
        registration_id = client.registrations.create(
            {"eventRunId": run_id, "email": "alex@example.com", "registrationType": "free"}
        )

        listed = list(client.registrations.list(eventId=event_id, registrationStatus="confirmed"))
        cancelled = client.registrations.cancel(registration_id)

    assert [item["_id"] for item in listed] == [registration_id]
    assert cancelled["registrationStatus"] == "cancelled"


async def test_a_registration_is_read_back_with_its_waitlist_position(
    live_url: str, tenant: Tenant
) -> None:
    with _client(live_url, tenant) as client:
        event_id = client.events.create(event())  # one run of one seat
        run_id = client.events.get(event_id)["runs"][0]["_id"]
        for email in ("first@example.com", "second@example.com"):
            registration_id = client.registrations.create(
                {"eventRunId": run_id, "email": email, "registrationType": "free"}
            )

        registration = client.registrations.get(registration_id)

    assert registration["_id"] == registration_id
    assert (registration["registrationStatus"], registration.get("waitlistPosition")) == (
        "waitlist",
        1,
    )


async def test_an_events_runs_are_paged_and_bounded_by_date(live_url: str, tenant: Tenant) -> None:
    with _client(live_url, tenant) as client:
        event_id = client.events.create(event())
        for day in ("2030-06-15", "2030-06-16"):
            client.runs.create(
                event_id, {"distanceMeters": 5000, "distanceStandard": "5K", "date": day}
            )

        paged = list(client.events.runs(event_id, limit=1))
        bounded = client.events.get(event_id, runsFrom="2030-06-15", runsTo="2030-06-15")
        since: EventRunParams = {"from": "2030-06-16"}  # a keyword in Python
        later = list(client.events.runs(event_id, **since))

    assert [run["date"] for run in paged] == ["2030-06-14", "2030-06-15", "2030-06-16"]
    assert [run["date"] for run in bounded["runs"]] == ["2030-06-15"]
    assert [run["date"] for run in later] == ["2030-06-16"]


async def test_recurrences_are_listed_by_status(live_url: str, tenant: Tenant) -> None:
    with _client(live_url, tenant) as client:
        event_id = client.events.create(event(recurrence={"schedule": TUESDAYS}))
        paused = client.recurrences.create(
            {"eventId": event_id, "schedule": TUESDAYS, "status": "paused"}
        )

        active = list(client.recurrences.list(status="active"))
        changed = client.recurrences.update(paused, {"status": "active"})

    assert [item["eventId"] for item in active] == [event_id]
    assert paused not in {item["_id"] for item in active}
    assert changed["status"] == "active"


async def test_occurrences_continue_past_one_window(live_url: str, tenant: Tenant) -> None:
    start, end = dt.date(2030, 1, 1), dt.date(2054, 12, 31)  # more than one call's 1 000
    tuesdays = [
        (start + dt.timedelta(days=n)).isoformat()
        for n in range((end - start).days + 1)
        if (start + dt.timedelta(days=n)).weekday() == 1
    ]
    with _client(live_url, tenant) as client:
        event_id = client.events.create(event(recurrence={"schedule": TUESDAYS}))
        (recurrence,) = client.recurrences.list(eventId=event_id)

        dates = [
            o["date"]
            for o in client.recurrences.occurrences(
                recurrence["_id"], from_=start.isoformat(), to=end.isoformat()
            )
        ]

    assert dates == tuesdays


async def test_groups_and_their_events_are_read(
    live_url: str, tenant: Tenant, database: Database
) -> None:
    group = await create_group(database, tenant.organization_id)
    with _client(live_url, tenant) as client:
        in_group = client.events.create({**event(), "groupId": group.id})
        client.events.create(event())

        groups = list(client.groups.list(status="active"))
        one = client.groups.get(group.slug)
        events = [item["_id"] for item in client.groups.events(group.slug)]

    assert [item["_id"] for item in groups] == [group.id]
    assert one["slug"] == group.slug
    assert events == [in_group]
