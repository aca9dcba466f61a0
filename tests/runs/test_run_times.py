from __future__ import annotations

from tests.conftest import Client, Tenant
from tests.recurrences.support import create_recurring_event, runs_of


async def test_a_new_event_time_zone_moves_a_published_runs_start_and_end(
    client: Client, tenant: Tenant
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers)
    event_id = (await client.get(f"/recurrences/{recurrence_id}", headers=tenant.headers)).json()[
        "data"
    ]["eventId"]

    response = await client.patch(
        f"/events/{event_id}", json={"timezone": "Asia/Tokyo"}, headers=tenant.headers
    )

    assert response.status_code == 200
    run = (await runs_of(client, tenant.headers, recurrence_id))[0]
    assert (run["startsAt"], run["endsAt"]) == (
        f"{run['date']}T09:30:00Z",
        f"{run['date']}T10:30:00Z",
    )
