from __future__ import annotations

from intervals_server.auth.scopes import Scope
from intervals_server.events import quotas
from intervals_server.events.service import event_timezone, referenced_event
from intervals_server.http.routing import Context, Endpoint, endpoint
from intervals_server.kit.schemas import Data, Page
from intervals_server.recurrences import service
from intervals_server.recurrences.errors import RecurrenceNotFound
from intervals_server.recurrences.schedule import MAX_OCCURRENCES
from intervals_server.recurrences.schemas import (
    Occurrence,
    OccurrenceQuery,
    Recurrence,
    RecurrenceCreated,
    RecurrenceListQuery,
    RecurrenceNew,
    RecurrenceUpdate,
)

_RECURRENCE = {
    "_id": "rc91abc234def567",
    "eventId": "e72tuv901wxy234",
    "label": "Tuesday tempo",
    "schedule": {
        "frequency": "weekly",
        "daysOfWeek": [2],
        "startTime": "18:30",
        "durationMinutes": 60,
    },
    "status": "active",
    "autoPublishHorizonWeeks": 8,
}


@endpoint(
    Endpoint(
        "GET",
        "/recurrences",
        operation_id="listRecurrences",
        summary="All recurrences",
        description="Recurrence schedules attached to your organization's events. A recurrence "
        "describes how a parent event repeats (weekly tempo, monthly long run, etc.) and is the "
        "source of truth for auto-publishing future event runs.",
        tag="Recurrences",
        scope=Scope.READ_RECURRENCES,
        query=RecurrenceListQuery,
        response=Page[Recurrence],
        errors=(422,),
        examples={"data": [_RECURRENCE], "hasMore": False},
    )
)
async def list_recurrences(ctx: Context, query: RecurrenceListQuery) -> Page[Recurrence]:
    return await service.list_recurrences(ctx, query)


handlers = [list_recurrences]


# --- Lifecycle: read one, create for an existing event, change, preview occurrences ---

_RECURRENCE_EXAMPLE = {"data": _RECURRENCE}


@endpoint(
    Endpoint(
        "GET",
        "/recurrences/{recurrence_id:str}",
        operation_id="getRecurrence",
        summary="Retrieve a recurrence",
        description="One recurrence schedule by its `_id`.",
        tag="Recurrences",
        scope=Scope.READ_RECURRENCES,
        response=Data[Recurrence],
        errors=(404,),
        not_found=RecurrenceNotFound.default_message,
        examples=_RECURRENCE_EXAMPLE,
    )
)
async def get_recurrence(ctx: Context, recurrence_id: str) -> Data[Recurrence]:
    return await service.get_recurrence(ctx, recurrence_id)


@endpoint(
    Endpoint(
        "POST",
        "/recurrences",
        operation_id="createRecurrence",
        summary="Create a recurrence",
        description="Attaches a recurrence to an existing event. An `active` recurrence "
        "publishes the runs of its first horizon in the same request. An event has at most "
        f"{quotas.MAX_RECURRENCES_PER_EVENT} active or paused recurrences and "
        f"{quotas.MAX_RUNS_PER_EVENT} runs: a recurrence beyond either, or whose first "
        "horizon does not fit, is a 409 `quota_exceeded`.",
        tag="Recurrences",
        scope=Scope.WRITE_RECURRENCES,
        body=RecurrenceNew,
        response=Data[RecurrenceCreated],
        status=201,
        errors=(409, 422),
        examples={"data": {"recurrenceId": _RECURRENCE["_id"]}},
        body_example={
            "eventId": "e83ghi012jkl345",
            "label": "Thursday sunrise",
            "schedule": {
                "frequency": "weekly",
                "daysOfWeek": [4],
                "startTime": "06:30",
                "durationMinutes": 45,
            },
            "autoPublishHorizonWeeks": 8,
        },
    )
)
async def create_recurrence(ctx: Context, body: RecurrenceNew) -> Data[RecurrenceCreated]:
    # Events sit above recurrences: the route finds the event the body names.
    event = await referenced_event(ctx, body.event_id, field="eventId")
    return await service.create_for_event(ctx, event, body)


@endpoint(
    Endpoint(
        "PATCH",
        "/recurrences/{recurrence_id:str}",
        operation_id="updateRecurrence",
        summary="Update a recurrence",
        description="Changes the given fields. `paused` publishes nothing new and keeps the "
        "runs that exist; `active` resumes and publishes at once; `archived` is final: "
        "nothing new, future runs without registrations are cancelled, and any later change "
        "to it is a 422 (a body that repeats its values changes nothing). A new `schedule` "
        "or `defaultCourseId` re-plans future runs without registrations: those whose date "
        "remains take the new time and course, the others are deleted and the new dates "
        "published. Runs with any registration are never changed.",
        tag="Recurrences",
        scope=Scope.WRITE_RECURRENCES,
        body=RecurrenceUpdate,
        response=Data[Recurrence],
        errors=(404, 422),
        not_found=RecurrenceNotFound.default_message,
        examples=_RECURRENCE_EXAMPLE,
        body_example={"status": "paused"},
    )
)
async def update_recurrence(
    ctx: Context, recurrence_id: str, body: RecurrenceUpdate
) -> Data[Recurrence]:
    return await service.update_recurrence(ctx, recurrence_id, body, event_timezone=event_timezone)


@endpoint(
    Endpoint(
        "GET",
        "/recurrences/{recurrence_id:str}/occurrences",
        operation_id="listRecurrenceOccurrences",
        summary="Preview occurrences",
        description="The occurrences the schedule computes between `from` and `to` "
        "(inclusive local dates, past or future; published or not), in order: local `date` "
        f"and `startTime`, UTC `startsAt` and `endsAt`. At most {MAX_OCCURRENCES} "
        "per call: when the window holds more, `hasMore` is true and the next call starts "
        "the day after the last `date`.",
        tag="Recurrences",
        scope=Scope.READ_RECURRENCES,
        query=OccurrenceQuery,
        response=Page[Occurrence],
        errors=(404, 422),
        not_found=RecurrenceNotFound.default_message,
        examples={
            "data": [
                {
                    "date": "2026-12-01",
                    "startTime": "18:30",
                    "startsAt": "2026-12-01T18:30:00Z",
                    "endsAt": "2026-12-01T19:30:00Z",
                }
            ],
            "hasMore": False,
        },
    )
)
async def list_occurrences(
    ctx: Context, recurrence_id: str, query: OccurrenceQuery
) -> Page[Occurrence]:
    return await service.list_occurrences(ctx, recurrence_id, query, event_timezone=event_timezone)


handlers += [get_recurrence, create_recurrence, update_recurrence, list_occurrences]
