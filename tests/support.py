"""Objects made through the API, the way a partner makes them; overrides win."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from intervals_server.context import RequestContext
from intervals_server.courses import service as courses
from intervals_server.db import Database, Store
from intervals_server.groups import service as groups
from intervals_server.kit.ids import new_id
from intervals_server.models import Course as CourseModel
from intervals_server.models import Group as GroupModel

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


async def read_event(client: Client, headers: dict[str, str], event_id: str) -> dict[str, Any]:
    """``{"event", "runs"}`` of GET /events/{id}, after checking it answered 200."""
    response = await client.get(f"/events/{event_id}", headers=headers)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


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


# No route creates groups or courses yet: these go through the services, in the tenant's
# own organization, the way the operator's tooling would.


@asynccontextmanager
async def acting_for(database: Database, organization_id: str) -> AsyncIterator[RequestContext]:
    """A write transaction on the organization's behalf, as the operator's commands run."""
    async with database.write() as session:
        yield RequestContext(organization_id, Store(database, session))


async def create_group(database: Database, organization_id: str, **overrides: Any) -> GroupModel:
    values: dict[str, Any] = {"name": "Friday Night Lights", "slug": f"fnl-{new_id('')}"}
    values.update(overrides)
    async with acting_for(database, organization_id) as ctx:
        return await groups.create_group(ctx, **values)


async def create_course(database: Database, organization_id: str, **overrides: Any) -> CourseModel:
    values: dict[str, Any] = {
        "name": "Lakefront loop",
        "distance_meters": 10000,
        "distance_standard": "10K",
    }
    values.update(overrides)
    async with acting_for(database, organization_id) as ctx:
        return await courses.create_course(ctx, **values)


def error_fields(response: httpx.Response) -> dict[str, list[str]]:
    """The ``errors`` of a 422, after checking that it is one."""
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    fields: dict[str, list[str]] = error["errors"]
    return fields
