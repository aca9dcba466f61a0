from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

import msgspec
from msgspec import UNSET, UnsetType

from intervals_server.kit.pagination import PageQuery
from intervals_server.kit.schemas import Input, LocalTime, Name, ObjectId, Struct

RecurrenceStatus = Literal["active", "paused", "archived"]
Frequency = Literal["weekly", "monthly"]
DayOfWeek = Annotated[int, msgspec.Meta(ge=0, le=6, description="0 = Sunday ... 6 = Saturday")]
HorizonWeeks = Annotated[int, msgspec.Meta(ge=1, le=52)]


class Schedule(
    msgspec.Struct, kw_only=True, rename="camel", omit_defaults=True, forbid_unknown_fields=True
):
    """When a recurrence happens, in its event's local time."""

    # The rules in words only: stated as JSON Schema (if/then/else, anyOf of required sets),
    # they make Schemathesis 4.32's coverage phase send `0` as the whole body.
    __json_schema_extra__: ClassVar[dict[str, Any]] = {
        "description": "When a recurrence happens, in its event's local time. `weekly`: "
        "`daysOfWeek`, without `dayOfMonth` or `weekOfMonth`. `monthly`: either `dayOfMonth` "
        "(without `daysOfWeek`) or `weekOfMonth` with `daysOfWeek`. `endsOn` is on or after "
        "`startsOn`, and the schedule must have at least one occurrence.",
    }

    frequency: Frequency
    days_of_week: (
        Annotated[
            list[DayOfWeek],
            msgspec.Meta(min_length=1, max_length=7, extra_json_schema={"uniqueItems": True}),
        ]
        | None
    ) = None
    start_time: LocalTime
    duration_minutes: Annotated[int, msgspec.Meta(ge=1, le=1440)]
    interval: Annotated[int, msgspec.Meta(ge=1, le=52)] = 1
    day_of_month: Annotated[int, msgspec.Meta(ge=1, le=31)] | None = None
    week_of_month: Literal[1, 2, 3, 4, 5, -1] | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    except_dates: Annotated[list[dt.date], msgspec.Meta(max_length=366)] | None = None


class Recurrence(Struct, kw_only=True):
    id: str = msgspec.field(name="_id")
    event_id: str
    label: str | None = None
    schedule: Schedule
    default_course_id: str | None = None
    status: RecurrenceStatus
    auto_publish_horizon_weeks: int | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


class RecurrenceCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    label: Name | None = None
    schedule: Schedule
    default_course_id: ObjectId | None = None
    status: RecurrenceStatus = "active"
    auto_publish_horizon_weeks: HorizonWeeks = 8


class RecurrenceListQuery(PageQuery, kw_only=True, rename="camel"):
    status: RecurrenceStatus | None = None
    event_id: ObjectId | None = None


class RecurrenceNew(RecurrenceCreate, kw_only=True):
    """``POST /recurrences``: a recurrence for an existing event."""

    event_id: ObjectId


class RecurrenceCreated(msgspec.Struct):
    recurrenceId: str


class RecurrenceUpdate(Input, kw_only=True):
    """Fields to change; ``null`` clears an optional field, omitted fields stay."""

    label: Name | UnsetType | None = UNSET
    schedule: Schedule | UnsetType = UNSET
    default_course_id: ObjectId | UnsetType | None = UNSET
    status: RecurrenceStatus | UnsetType = UNSET
    auto_publish_horizon_weeks: HorizonWeeks | UnsetType = UNSET


class OccurrenceQuery(Input, kw_only=True):
    from_: Annotated[dt.date, msgspec.Meta(description="First local date, YYYY-MM-DD")] = (
        msgspec.field(name="from")
    )
    to: Annotated[dt.date, msgspec.Meta(description="Last local date, YYYY-MM-DD (inclusive)")]


class Occurrence(Struct, kw_only=True):
    date: dt.date
    start_time: str
    starts_at: dt.datetime
    ends_at: dt.datetime
