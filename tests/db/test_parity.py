"""One object, whichever path reads it: the write's answer (through the ORM), the list
item (a keyset listing of prepared queries on the raw driver) and the single GET agree
field for field, absent optional fields and instants given with an offset included."""

from __future__ import annotations

from typing import Any

from intervals_server.db import Database
from tests.conftest import Client, Tenant
from tests.recurrences.support import recurrence_body
from tests.support import create_event, create_group, create_run, register

Row = dict[str, Any]


async def _data(client: Client, path: str, headers: dict[str, str], **params: Any) -> Any:
    response = await client.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def _only(items: list[Row], object_id: str) -> Row:
    found = [item for item in items if item["_id"] == object_id]
    assert len(found) == 1, items
    return found[0]


async def test_an_event_reads_the_same_from_its_update_its_list_and_its_get(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers, lat=51.5, lng=-0.12)
    response = await client.patch(
        f"/events/{event_id}",
        json={"description": "Along the harbour", "lat": None},
        headers=tenant.headers,
    )
    assert response.status_code == 200, response.text
    written = response.json()["data"]

    listed = _only(await _data(client, "/events", tenant.headers, limit=100), event_id)
    single = (await _data(client, f"/events/{event_id}", tenant.headers))["event"]

    assert written == listed == single
    assert "lat" not in written and written["lng"] == -0.12


async def test_a_run_reads_the_same_from_its_update_its_events_runs_and_its_event(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers)
    run_id = await create_run(
        client, tenant.headers, event_id, registrationOpensAt="2020-05-01T10:00:00+02:00"
    )
    assert (await register(client, tenant.headers, run_id)).status_code == 201
    response = await client.patch(
        f"/runs/{run_id}", json={"maxParticipants": 10}, headers=tenant.headers
    )
    assert response.status_code == 200, response.text
    written = response.json()["data"]

    listed = _only(await _data(client, f"/events/{event_id}/runs", tenant.headers), run_id)
    single = _only((await _data(client, f"/events/{event_id}", tenant.headers))["runs"], run_id)

    assert written == listed == single
    assert written["registrationOpensAt"] == "2020-05-01T08:00:00Z"
    assert written["confirmedCount"] == 1


async def test_a_registration_reads_the_same_from_its_answer_its_list_and_its_get(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers)
    run_id = await create_run(client, tenant.headers, event_id)
    response = await register(client, tenant.headers, run_id, name="Ada")
    assert response.status_code == 201, response.text
    written = response.json()["data"]
    registration_id = written["participantId"]

    listed = _only(
        await _data(client, "/registration", tenant.headers, eventId=event_id), registration_id
    )
    single = await _data(client, f"/registration/{registration_id}", tenant.headers)

    assert listed == single
    assert written["registrationStatus"] == single["registrationStatus"] == "confirmed"
    assert single["name"] == "Ada"


async def test_a_recurrence_reads_the_same_from_its_update_its_list_and_its_get(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers, type="runClub")
    created = await client.post(
        "/recurrences", json={"eventId": event_id, **recurrence_body()}, headers=tenant.headers
    )
    assert created.status_code == 201, created.text
    recurrence_id = created.json()["data"]["recurrenceId"]
    response = await client.patch(
        f"/recurrences/{recurrence_id}", json={"label": None}, headers=tenant.headers
    )
    assert response.status_code == 200, response.text
    written = response.json()["data"]

    listed = _only(
        await _data(client, "/recurrences", tenant.headers, eventId=event_id), recurrence_id
    )
    single = await _data(client, f"/recurrences/{recurrence_id}", tenant.headers)

    assert written == listed == single
    assert "label" not in written


async def test_a_group_reads_the_same_from_its_list_and_its_get(
    client: Client, tenant: Tenant, database: Database
) -> None:
    group = await create_group(database, tenant.organization_id)

    listed = _only(await _data(client, "/groups", tenant.headers), group.id)
    single = await _data(client, f"/groups/{group.slug}", tenant.headers)

    assert listed == single
    assert single["slug"] == group.slug
