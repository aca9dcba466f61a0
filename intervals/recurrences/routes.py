from __future__ import annotations

from intervals.auth.scopes import Scope
from intervals.kit.schemas import Page
from intervals.recurrences import service
from intervals.recurrences.schemas import Recurrence, RecurrenceListQuery
from intervals.routing import Context, Endpoint, endpoint

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
    return await service.list_recurrences(ctx.session, ctx.organization_id, query)


handlers = [list_recurrences]
