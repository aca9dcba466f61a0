from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

import msgspec
from msgspec import UNSET, UnsetType

from intervals_server.kit.schemas import Input, LocalTime, Name, ObjectId, Struct, Url, present

DistanceStandard = Literal[
    "5K", "10K", "15K", "Half Marathon", "Marathon", "50K", "50M", "100K", "100M", "Ultra", "Other"
]
EventStatus = Literal["scheduled", "cancelled", "postponed", "rescheduled"]
RegistrationOverride = Literal["paused", "closed"]
Meters = Annotated[float, msgspec.Meta(gt=0, le=1_000_000, description="Distance in meters")]
Capacity = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
Instant = Annotated[dt.datetime, msgspec.Meta(tz=True, description="RFC 3339 with offset")]


class Run(Struct, kw_only=True):
    id: str = msgspec.field(name="_id")
    event_id: str
    distance_meters: int | float
    distance_standard: DistanceStandard
    distance_label: str
    date: dt.date
    start_time: str | None = None
    event_status: EventStatus | None = None
    registration_url: str | None = None
    registration_opens_at: dt.datetime | None = None
    registration_closes_at: dt.datetime | None = None
    sold_out: bool | None = None
    registration_override: RegistrationOverride | None = None
    max_participants: int | None = None
    is_virtual: bool | None = None
    is_relay: bool | None = None
    is_walking: bool | None = None
    course_id: str | None = None
    recurrence_id: str | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    # Counts are always known, so always sent: omitting a zero would read as "unknown".
    confirmed_count: int
    waitlist_count: int


class RunCreate(Input, kw_only=True):
    """A run: ``distanceMeters`` and ``distanceStandard``, or a ``courseId`` to copy them from."""

    __json_schema_extra__: ClassVar[dict[str, Any]] = {
        "description": "A run: `distanceMeters` and `distanceStandard` are required unless "
        "`courseId` names a course to copy them from. `registrationClosesAt` must be after "
        "`registrationOpensAt`.",
        "anyOf": [present("courseId"), present("distanceMeters", "distanceStandard")],
    }

    distance_meters: Meters | None = None
    distance_standard: DistanceStandard | None = None
    distance_label: Name | None = None
    course_id: ObjectId | None = None
    date: dt.date | None = None
    start_time: LocalTime | None = None
    event_status: EventStatus = "scheduled"
    registration_url: Url | None = None
    registration_opens_at: Instant | None = None
    registration_closes_at: Instant | None = None
    registration_override: RegistrationOverride | None = None
    max_participants: Capacity | None = None
    is_virtual: bool | None = None
    is_relay: bool | None = None
    is_walking: bool | None = None


class RunUpdate(Input, kw_only=True):
    """Fields to change; ``null`` clears an optional field, omitted fields stay."""

    distance_meters: Meters | UnsetType = UNSET
    distance_standard: DistanceStandard | UnsetType = UNSET
    distance_label: Name | UnsetType = UNSET
    course_id: ObjectId | UnsetType | None = UNSET
    date: dt.date | UnsetType = UNSET
    start_time: LocalTime | UnsetType | None = UNSET
    event_status: EventStatus | UnsetType = UNSET
    registration_url: Url | UnsetType | None = UNSET
    registration_opens_at: Instant | UnsetType | None = UNSET
    registration_closes_at: Instant | UnsetType | None = UNSET
    registration_override: RegistrationOverride | UnsetType | None = UNSET
    max_participants: Capacity | UnsetType | None = UNSET
    is_virtual: bool | UnsetType | None = UNSET
    is_relay: bool | UnsetType | None = UNSET
    is_walking: bool | UnsetType | None = UNSET


class RunCreated(msgspec.Struct):
    runId: str
