from __future__ import annotations

from intervals_server.auth.scopes import Scope
from intervals_server.events import quotas, service
from intervals_server.events.errors import EventNotFound
from intervals_server.events.schemas import (
    Event,
    EventCreate,
    EventCreated,
    EventListQuery,
    EventQuery,
    EventRunsQuery,
    EventUpdate,
    EventWithRuns,
)
from intervals_server.http.routing import MAX_BODY_BYTES, Context, Endpoint, endpoint
from intervals_server.kit.schemas import Data, Page
from intervals_server.runs.schemas import Run

_EVENT = {
    "_id": "e72tuv901wxy234",
    "name": "Lakefront 5K - June 14",
    "slug": "lakefront-5k-june-14",
    "type": "race",
    "date": "2025-06-14",
    "organizationId": "k57abc123def456",
    "startTime": "08:00",
    "description": "Weekly lakefront 5K race along the scenic shore path.",
    "websiteUrl": "https://northshorerace.com/lakefront-5k",
}
_RUN = {
    "_id": "r41abc567def890",
    "eventId": "e72tuv901wxy234",
    "distanceMeters": 5000,
    "distanceStandard": "5K",
    "distanceLabel": "5K",
    "date": "2025-06-14",
    "startTime": "08:00",
    "eventStatus": "scheduled",
}


@endpoint(
    Endpoint(
        "GET",
        "/events",
        operation_id="listEvents",
        summary="All events",
        description="Events of your organization ordered by date and start time. "
        "Filter by type, group or date range.",
        tag="Events",
        scope=Scope.READ_EVENTS,
        query=EventListQuery,
        response=Page[Event],
        errors=(422,),
        examples={"data": [_EVENT], "hasMore": False},
    )
)
async def list_events(ctx: Context, query: EventListQuery) -> Page[Event]:
    return await service.list_events(ctx, query)


@endpoint(
    Endpoint(
        "GET",
        "/events/{event_id:str}",
        operation_id="getEvent",
        summary="Retrieve an event",
        description="One event and its runs (distances and dated occurrences), every run "
        "unless `runsFrom` / `runsTo` bound their dates. An event holds at most "
        f"{quotas.MAX_RUNS_PER_EVENT} runs; page through them with `GET /events/{{id}}/runs`.",
        tag="Events",
        scope=Scope.READ_EVENTS,
        query=EventQuery,
        response=Data[EventWithRuns],
        errors=(404, 422),
        not_found=EventNotFound.default_message,
        examples={"data": {"event": _EVENT, "runs": [_RUN]}},
    )
)
async def get_event(ctx: Context, event_id: str, query: EventQuery) -> Data[EventWithRuns]:
    return await service.get_event(ctx, event_id, query)


@endpoint(
    Endpoint(
        "GET",
        "/events/{event_id:str}/runs",
        operation_id="listEventRuns",
        summary="An event's runs",
        description="The event's runs a page at a time, in the order `GET /events/{id}` shows "
        "them (date, start time, then creation); `from` / `to` bound their dates.",
        tag="Events",
        scope=Scope.READ_EVENTS,
        query=EventRunsQuery,
        response=Page[Run],
        errors=(404, 422),
        not_found=EventNotFound.default_message,
        examples={"data": [_RUN], "hasMore": False},
    )
)
async def list_event_runs(ctx: Context, event_id: str, query: EventRunsQuery) -> Page[Run]:
    return await service.list_event_runs(ctx, event_id, query)


@endpoint(
    Endpoint(
        "POST",
        "/events",
        operation_id="createEvent",
        summary="Create an event",
        description="Creates an event, optionally with its runs and a recurrence, in one "
        "transaction.",
        tag="Events",
        scope=Scope.WRITE_EVENTS,
        body=EventCreate,
        max_body_bytes=MAX_BODY_BYTES,  # up to 50 runs
        response=Data[EventCreated],
        status=201,
        errors=(409, 422),
        examples={"data": {"eventId": "e83ghi012jkl345"}},
        body_example={
            "name": "Summer Solstice 10K",
            "slug": "summer-solstice-10k",
            "type": "race",
            "date": "2025-06-21",
            "startTime": "07:30",
            "description": "Celebrate the longest day with a scenic 10K.",
            "websiteUrl": "https://northshorerace.com/solstice-10k",
            "registrationUrl": "https://runsignup.com/solstice-10k",
        },
    )
)
async def create_event(ctx: Context, body: EventCreate) -> Data[EventCreated]:
    return await service.create_event(ctx, body)


@endpoint(
    Endpoint(
        "PATCH",
        "/events/{event_id:str}",
        operation_id="updateEvent",
        summary="Update an event",
        description="Changes the given fields; `null` clears an optional field.",
        tag="Events",
        scope=Scope.WRITE_EVENTS,
        body=EventUpdate,
        response=Data[Event],
        errors=(404, 409, 422),
        not_found=EventNotFound.default_message,
        examples={"data": _EVENT},
        body_example={"name": "Summer Solstice 10K", "startTime": "08:00"},
    )
)
async def update_event(ctx: Context, event_id: str, body: EventUpdate) -> Data[Event]:
    return await service.update_event(ctx, event_id, body)


handlers = [list_events, get_event, list_event_runs, create_event, update_event]
