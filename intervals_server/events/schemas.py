from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, UnsetType

from intervals_server.kit.pagination import PageQuery
from intervals_server.kit.schemas import (
    Input,
    LocalTime,
    Name,
    ObjectId,
    Slug,
    Struct,
    Text,
    Timezone,
    Url,
)
from intervals_server.recurrences.schemas import RecurrenceCreate
from intervals_server.runs.schemas import Run, RunCreate

EventType = Literal["race", "runClub", "timeTrial", "other"]
Latitude = Annotated[float, msgspec.Meta(ge=-90, le=90)]
Longitude = Annotated[float, msgspec.Meta(ge=-180, le=180)]
AddressLine = Annotated[str, msgspec.Meta(max_length=200)]


class Address(
    msgspec.Struct, kw_only=True, omit_defaults=True, forbid_unknown_fields=True, rename="camel"
):
    line1: AddressLine | None = None
    city: AddressLine | None = None
    region: AddressLine | None = None
    postal_code: AddressLine | None = None
    country: AddressLine | None = None


class Event(Struct, kw_only=True):
    id: str = msgspec.field(name="_id")
    name: str
    slug: str
    type: EventType
    date: dt.date
    organization_id: str
    start_time: str | None = None
    end_date: dt.date | None = None
    end_time: str | None = None
    address: Address | None = None
    lat: float | None = None
    lng: float | None = None
    description: str | None = None
    website_url: str | None = None
    registration_url: str | None = None
    group_id: str | None = None
    timezone: str | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


class EventWithRuns(msgspec.Struct):
    event: Event
    runs: list[Run]


class EventCreate(Input, kw_only=True):
    name: Name
    slug: Slug
    type: EventType
    date: dt.date
    start_time: LocalTime | None = None
    end_date: dt.date | None = None
    end_time: LocalTime | None = None
    address: Address | None = None
    lat: Latitude | None = None
    lng: Longitude | None = None
    description: Text | None = None
    website_url: Url | None = None
    registration_url: Url | None = None
    group_id: ObjectId | None = None
    timezone: Timezone | None = None
    runs: Annotated[list[RunCreate], msgspec.Meta(max_length=50)] | None = None
    recurrence: RecurrenceCreate | None = None


class EventUpdate(Input, kw_only=True):
    """Fields to change; ``null`` clears an optional field, omitted fields stay."""

    name: Name | UnsetType = UNSET
    slug: Slug | UnsetType = UNSET
    type: EventType | UnsetType = UNSET
    date: dt.date | UnsetType = UNSET
    start_time: LocalTime | UnsetType | None = UNSET
    end_date: dt.date | UnsetType | None = UNSET
    end_time: LocalTime | UnsetType | None = UNSET
    address: Address | UnsetType | None = UNSET
    lat: Latitude | UnsetType | None = UNSET
    lng: Longitude | UnsetType | None = UNSET
    description: Text | UnsetType | None = UNSET
    website_url: Url | UnsetType | None = UNSET
    registration_url: Url | UnsetType | None = UNSET
    group_id: ObjectId | UnsetType | None = UNSET
    timezone: Timezone | UnsetType = UNSET


class EventCreated(msgspec.Struct):
    eventId: str


class EventListQuery(PageQuery, kw_only=True, rename="camel"):
    type: EventType | None = None
    date_from: (
        Annotated[dt.date, msgspec.Meta(description="Events on or after this date")] | None
    ) = None
    date_to: (
        Annotated[dt.date, msgspec.Meta(description="Events on or before this date")] | None
    ) = None
    group_id: ObjectId | None = None


class EventQuery(Input, kw_only=True):
    """Optional bounds on the runs that come with the event (all of them without)."""

    runs_from: (
        Annotated[dt.date, msgspec.Meta(description="Only runs on or after this date")] | None
    ) = None
    runs_to: (
        Annotated[dt.date, msgspec.Meta(description="Only runs on or before this date")] | None
    ) = None


class EventRunsQuery(PageQuery, kw_only=True):
    from_: Annotated[dt.date, msgspec.Meta(description="Runs on or after this date")] | None = (
        msgspec.field(default=None, name="from")
    )
    to: Annotated[dt.date, msgspec.Meta(description="Runs on or before this date")] | None = None
