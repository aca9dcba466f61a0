from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    READ_SERIES = "read:series"
    READ_EVENTS = "read:events"
    WRITE_EVENTS = "write:events"
    READ_PARTICIPANTS = "read:participants"
    WRITE_PARTICIPANTS = "write:participants"
    READ_RECURRENCES = "read:recurrences"
    WRITE_RECURRENCES = "write:recurrences"
    READ_GROUPS = "read:groups"
    WRITE_GROUPS = "write:groups"


ALL_SCOPES: tuple[Scope, ...] = tuple(Scope)
