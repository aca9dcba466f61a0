"""Objects made through the API, the way a partner makes them; overrides win."""

from __future__ import annotations

from typing import Any

import httpx

from intervals.kit.ids import new_id

Client = httpx.AsyncClient


def event_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Lakefront 5K",
        "slug": f"lakefront-5k-{new_id('')}",
        "type": "race",
        "date": "2030-06-14",
        "startTime": "08:00",
    }
    body.update(overrides)
    return body


async def create_event(client: Client, headers: dict[str, str], **overrides: Any) -> str:
    response = await client.post("/events", json=event_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    event_id: str = response.json()["data"]["eventId"]
    return event_id


async def create_run(
    client: Client, headers: dict[str, str], event_id: str, **overrides: Any
) -> str:
    body: dict[str, Any] = {"distanceMeters": 5000, "distanceStandard": "5K"}
    body.update(overrides)
    response = await client.post(f"/events/{event_id}/runs", json=body, headers=headers)
    assert response.status_code == 201, response.text
    run_id: str = response.json()["data"]["runId"]
    return run_id


async def create_event_with_run(
    client: Client, headers: dict[str, str], **run_overrides: Any
) -> tuple[str, str]:
    event_id = await create_event(client, headers)
    return event_id, await create_run(client, headers, event_id, **run_overrides)


async def register(client: Client, headers: dict[str, str], run_id: str, **overrides: Any) -> Any:
    body: dict[str, Any] = {
        "eventRunId": run_id,
        "email": f"runner-{new_id('')}@example.com",
        "registrationType": "free",
    }
    body.update(overrides)
    return await client.post("/registration", json=body, headers=headers)
