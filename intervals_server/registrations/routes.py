from __future__ import annotations

from intervals_server.auth.scopes import Scope
from intervals_server.events.errors import EventNotFound
from intervals_server.http.routing import Context, Endpoint, endpoint
from intervals_server.kit.schemas import Data, Page
from intervals_server.registrations import service
from intervals_server.registrations.errors import RegistrationNotFound
from intervals_server.registrations.schemas import (
    ParticipantCreated,
    Registration,
    RegistrationCreate,
    RegistrationListQuery,
)
from intervals_server.runs.errors import RunNotFound

_REGISTRATION = {
    "_id": "p89xyz345uvw678",
    "eventId": "e72tuv901wxy234",
    "eventRunId": "r41abc567def890",
    "email": "runner@example.com",
    "name": "Alex Johnson",
    "registrationType": "free",
    "registrationStatus": "confirmed",
    "checkedIn": False,
}


@endpoint(
    Endpoint(
        "GET",
        "/registration",
        operation_id="listRegistrations",
        summary="All registrations",
        description="Registrations for one event, in the order they were made; `email` "
        "matches every spelling of the address that registration compares as one.",
        tag="Registrations",
        scope=Scope.READ_PARTICIPANTS,
        query=RegistrationListQuery,
        response=Page[Registration],
        errors=(404, 422),
        not_found=EventNotFound.default_message,
        examples={"data": [_REGISTRATION], "hasMore": False},
    )
)
async def list_registrations(ctx: Context, query: RegistrationListQuery) -> Page[Registration]:
    return await service.list_registrations(ctx, query)


@endpoint(
    Endpoint(
        "POST",
        "/registration",
        operation_id="createRegistration",
        summary="Register a participant",
        description="Registers a participant on a run. Without `status` the server confirms "
        "while seats remain and waitlists after; `maxParticipants` is never exceeded. One "
        "live registration per email per run, emails compared once normalized (Unicode NFKC, "
        "case folded, a trailing dot of the domain dropped); an email with invisible or "
        "control characters is a 422. The answer says which: `registrationStatus`, and "
        "`waitlistPosition` when waitlisted.",
        tag="Registrations",
        scope=Scope.WRITE_PARTICIPANTS,
        body=RegistrationCreate,
        response=Data[ParticipantCreated],
        status=201,
        errors=(404, 409, 422),
        not_found=RunNotFound.default_message,
        examples={"data": {"participantId": "p89xyz345uvw678", "registrationStatus": "confirmed"}},
        body_example={
            "eventRunId": "r41abc567def890",
            "email": "runner@example.com",
            "name": "Alex Johnson",
            "registrationType": "free",
            "status": "confirmed",
        },
    )
)
async def create_registration(ctx: Context, body: RegistrationCreate) -> Data[ParticipantCreated]:
    return await service.register(ctx, body)


@endpoint(
    Endpoint(
        "GET",
        "/registration/{registration_id:str}",
        operation_id="getRegistration",
        summary="Retrieve a registration",
        description="One registration by its `_id` (the `participantId` its creation answered), "
        "as the list shows it: `waitlistPosition` while it is waitlisted.",
        tag="Registrations",
        scope=Scope.READ_PARTICIPANTS,
        response=Data[Registration],
        errors=(404,),
        not_found=RegistrationNotFound.default_message,
        examples={"data": _REGISTRATION},
    )
)
async def get_registration(ctx: Context, registration_id: str) -> Data[Registration]:
    return await service.get_registration(ctx, registration_id)


@endpoint(
    Endpoint(
        "POST",
        "/registration/{registration_id:str}/cancel",
        operation_id="cancelRegistration",
        summary="Cancel a registration",
        description="Cancels a live registration; a confirmed one frees its seat for the first "
        "waitlisted registration in the same transaction. Cancelling again changes nothing.",
        tag="Registrations",
        scope=Scope.WRITE_PARTICIPANTS,
        response=Data[Registration],
        errors=(404,),
        not_found=RegistrationNotFound.default_message,
        examples={"data": {**_REGISTRATION, "registrationStatus": "cancelled"}},
    )
)
async def cancel_registration(ctx: Context, registration_id: str) -> Data[Registration]:
    return await service.cancel(ctx, registration_id)


handlers = [list_registrations, create_registration, get_registration, cancel_registration]
