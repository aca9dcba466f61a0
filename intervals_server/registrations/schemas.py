from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from intervals_server.kit.pagination import PageQuery
from intervals_server.kit.schemas import MESSAGE, SPACE, Input, Name, ObjectId, Struct, Text

RegistrationType = Literal["free", "paid"]
RegistrationStatus = Literal["confirmed", "cancelled", "waitlist", "refunded"]
EMAIL_MAX_LENGTH = 320
Email = Annotated[
    str,
    msgspec.Meta(
        pattern=rf"^[^@{SPACE}]+@[^@{SPACE}]+\.[^@{SPACE}]+$",
        max_length=EMAIL_MAX_LENGTH,
        examples=["runner@example.com"],
        extra={MESSAGE: "must be an email address"},
    ),
]
ShortText = Annotated[str, msgspec.Meta(max_length=100)]


class Registration(Struct, kw_only=True):
    id: str = msgspec.field(name="_id")
    event_id: str
    event_run_id: str
    email: str
    name: str | None = None
    registration_type: RegistrationType
    registration_status: RegistrationStatus
    pace_group: str | None = None
    bib_identifier: str | None = None
    checked_in: bool
    notes: str | None = None
    waitlist_position: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class RegistrationCreate(Input, kw_only=True):
    event_run_id: ObjectId
    email: Email
    name: Name | None = None
    registration_type: RegistrationType
    status: (
        Annotated[
            RegistrationStatus,
            msgspec.Meta(
                description="Omit it and the server confirms while seats remain, else waitlists"
            ),
        ]
        | None
    ) = None
    pace_group: ShortText | None = None
    notes: Text | None = None


class ParticipantCreated(Struct, kw_only=True):
    """The new registration's ID, and the place the server gave it."""

    participant_id: str
    registration_status: RegistrationStatus
    waitlist_position: (
        Annotated[int, msgspec.Meta(description="Its place in the waitlist (1 is next)")] | None
    ) = None


class RegistrationListQuery(PageQuery, kw_only=True, rename="camel"):
    event_id: ObjectId
    event_run_id: ObjectId | None = None
    registration_status: RegistrationStatus | None = None
    email: (
        Annotated[Email, msgspec.Meta(description="Only registrations with this email")] | None
    ) = None
