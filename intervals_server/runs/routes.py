from __future__ import annotations

from intervals_server.auth.scopes import Scope
from intervals_server.events import quotas
from intervals_server.events.errors import EventNotFound
from intervals_server.events.service import event_timezone, lock_event
from intervals_server.http.routing import Context, Endpoint, endpoint
from intervals_server.kit.schemas import Data
from intervals_server.registrations.service import promote_waitlist
from intervals_server.runs import service
from intervals_server.runs.errors import RunNotFound
from intervals_server.runs.schemas import Run, RunCreate, RunCreated, RunUpdate


@endpoint(
    Endpoint(
        "POST",
        "/events/{event_id:str}/runs",
        operation_id="createRun",
        summary="Add a run to an event",
        description="Adds a distance or dated occurrence. Give `distanceMeters` and "
        "`distanceStandard`, or a `courseId` to copy them from. An event holds at most "
        f"{quotas.MAX_RUNS_PER_EVENT} runs: beyond, 409 `quota_exceeded`.",
        tag="Events",
        scope=Scope.WRITE_EVENTS,
        body=RunCreate,
        response=Data[RunCreated],
        status=201,
        errors=(404, 409, 422),
        not_found=EventNotFound.default_message,
        examples={"data": {"runId": "r41abc567def890"}},
        body_example={
            "distanceMeters": 5000,
            "distanceStandard": "5K",
            "date": "2027-06-21",
            "startTime": "07:30",
            "maxParticipants": 250,
        },
    )
)
async def create_run(ctx: Context, event_id: str, body: RunCreate) -> Data[RunCreated]:
    # Events sit above runs: the route finds (and locks) the event runs are added to.
    return await service.add_run(ctx, await lock_event(ctx, event_id), body)


@endpoint(
    Endpoint(
        "PATCH",
        "/runs/{run_id:str}",
        operation_id="updateRun",
        summary="Update a run",
        description='Changes the given fields. `{"eventStatus": "cancelled"}` cancels the run; '
        "raising `maxParticipants` confirms waitlisted registrations in order.",
        tag="Events",
        scope=Scope.WRITE_EVENTS,
        body=RunUpdate,
        response=Data[Run],
        errors=(404, 422),
        not_found=RunNotFound.default_message,
        body_example={"maxParticipants": 300, "startTime": "07:45"},
    )
)
async def update_run(ctx: Context, run_id: str, body: RunUpdate) -> Data[Run]:
    # Events and registrations sit above runs: the route hands their parts to the service.
    return await service.update_run(
        ctx, run_id, body, event_timezone=event_timezone, fill_seats=promote_waitlist
    )


# createRun first: app.py lists these right after events' handlers, so the OpenAPI
# document keeps the order it had when events served it.
handlers = [create_run, update_run]
