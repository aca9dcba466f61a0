from __future__ import annotations

from intervals_server.auth.scopes import Scope
from intervals_server.events.service import event_timezone
from intervals_server.http.routing import Context, Endpoint, endpoint
from intervals_server.kit.schemas import Data
from intervals_server.registrations.service import promote_waitlist
from intervals_server.runs import service
from intervals_server.runs.errors import RunNotFound
from intervals_server.runs.schemas import Run, RunUpdate


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


handlers = [update_run]
