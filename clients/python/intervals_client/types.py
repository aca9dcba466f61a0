"""The API's objects as typed dicts: what the server sends, what a request may carry.

Typed dicts rather than classes: a response is used as the JSON it is, at no cost, and a
type checker still knows every field. Fields the server may add later are simply extra keys.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

EventType = Literal["race", "runClub", "timeTrial", "other"]
DistanceStandard = Literal[
    "5K", "10K", "15K", "Half Marathon", "Marathon", "50K", "50M", "100K", "100M", "Ultra", "Other"
]
EventStatus = Literal["scheduled", "cancelled", "postponed", "rescheduled"]
RegistrationOverride = Literal["paused", "closed"]
RegistrationType = Literal["free", "paid"]
RegistrationStatus = Literal["confirmed", "cancelled", "waitlist", "refunded"]
RecurrenceStatus = Literal["active", "paused", "archived"]
GroupStatus = Literal["active", "paused", "archived"]


class Organization(TypedDict):
    _id: str
    name: str
    slug: str
    roles: list[Literal["organizer", "sponsor", "federation"]]
    plan: Literal["free", "local", "elite", "enterprise"]
    timezone: str


class Address(TypedDict, total=False):
    line1: str | None
    city: str | None
    region: str | None
    postalCode: str | None
    country: str | None


class _EventFields(TypedDict, total=False):
    startTime: str | None
    endDate: str | None
    endTime: str | None
    address: Address | None
    lat: float | None
    lng: float | None
    description: str | None
    websiteUrl: str | None
    registrationUrl: str | None
    groupId: str | None


class Event(_EventFields):
    _id: str
    name: str
    slug: str
    type: EventType
    date: str
    organizationId: str
    timezone: NotRequired[str | None]
    createdAt: NotRequired[str | None]
    updatedAt: NotRequired[str | None]


class _RunOptions(TypedDict, total=False):
    courseId: str | None
    startTime: str | None
    eventStatus: EventStatus
    registrationUrl: str | None
    registrationOpensAt: str | None
    registrationClosesAt: str | None
    registrationOverride: RegistrationOverride | None
    maxParticipants: int | None
    isVirtual: bool | None
    isRelay: bool | None
    isWalking: bool | None


class _RunFields(_RunOptions, total=False):
    distanceMeters: float | None
    distanceStandard: DistanceStandard | None
    distanceLabel: str | None
    date: str | None


class Run(_RunOptions):
    _id: str
    eventId: str
    distanceMeters: float
    distanceStandard: DistanceStandard
    distanceLabel: str
    date: str
    soldOut: NotRequired[bool | None]
    recurrenceId: NotRequired[str | None]
    startsAt: NotRequired[str | None]
    endsAt: NotRequired[str | None]
    confirmedCount: int
    waitlistCount: int


class EventWithRuns(TypedDict):
    event: Event
    runs: list[Run]


class Registration(TypedDict):
    _id: str
    eventId: str
    eventRunId: str
    email: str
    name: NotRequired[str | None]
    registrationType: RegistrationType
    registrationStatus: RegistrationStatus
    paceGroup: NotRequired[str | None]
    bibIdentifier: NotRequired[str | None]
    checkedIn: bool
    notes: NotRequired[str | None]
    waitlistPosition: NotRequired[int | None]
    createdAt: NotRequired[str | None]
    updatedAt: NotRequired[str | None]


class Schedule(TypedDict):
    frequency: Literal["weekly", "monthly"]
    startTime: str
    durationMinutes: int
    daysOfWeek: NotRequired[list[int] | None]
    interval: NotRequired[int]
    dayOfMonth: NotRequired[int | None]
    weekOfMonth: NotRequired[int | None]
    startsOn: NotRequired[str | None]
    endsOn: NotRequired[str | None]
    exceptDates: NotRequired[list[str] | None]


class _RecurrenceOptions(TypedDict, total=False):
    label: str | None
    defaultCourseId: str | None
    autoPublishHorizonWeeks: int


class _RecurrenceFields(_RecurrenceOptions, total=False):
    status: RecurrenceStatus


class Recurrence(_RecurrenceOptions):
    _id: str
    eventId: str
    schedule: Schedule
    status: RecurrenceStatus
    createdAt: NotRequired[str | None]
    updatedAt: NotRequired[str | None]


class Occurrence(TypedDict):
    date: str
    startTime: str
    startsAt: str
    endsAt: str


class Group(TypedDict):
    _id: str
    organizationId: str
    name: str
    slug: str
    status: GroupStatus
    description: NotRequired[str | None]
    cardImageId: NotRequired[str | None]
    coverImageId: NotRequired[str | None]
    createdAt: NotRequired[str | None]
    updatedAt: NotRequired[str | None]


# --- Request bodies ---


class RunNew(_RunFields):
    pass


class RunUpdate(_RunFields):
    pass


class RecurrenceCreate(_RecurrenceFields):
    schedule: Schedule


class EventNew(_EventFields):
    name: str
    slug: str
    type: EventType
    date: str
    timezone: NotRequired[str | None]
    runs: NotRequired[list[RunNew] | None]
    recurrence: NotRequired[RecurrenceCreate | None]


class EventUpdate(_EventFields, total=False):
    name: str
    slug: str
    type: EventType
    date: str
    timezone: str


class RegistrationNew(TypedDict):
    eventRunId: str
    email: str
    registrationType: RegistrationType
    name: NotRequired[str | None]
    status: NotRequired[RegistrationStatus | None]
    paceGroup: NotRequired[str | None]
    notes: NotRequired[str | None]


class RecurrenceNew(RecurrenceCreate):
    eventId: str


class RecurrenceUpdate(_RecurrenceFields, total=False):
    schedule: Schedule
