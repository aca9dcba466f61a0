"""ORM models: one table each, no business logic."""

from intervals_server.models.api_key import ApiKey, ApiKeyRow
from intervals_server.models.base import Base, Row
from intervals_server.models.course import Course
from intervals_server.models.event import Event, EventRow
from intervals_server.models.group import Group, GroupRow
from intervals_server.models.idempotency_key import IdempotencyKey
from intervals_server.models.organization import Organization
from intervals_server.models.recurrence import Recurrence, RecurrenceRow
from intervals_server.models.registration import Registration, RegistrationRow
from intervals_server.models.run import Run, RunRow

__all__ = [
    "ApiKey",
    "ApiKeyRow",
    "Base",
    "Course",
    "Event",
    "EventRow",
    "Group",
    "GroupRow",
    "IdempotencyKey",
    "Organization",
    "Recurrence",
    "RecurrenceRow",
    "Registration",
    "RegistrationRow",
    "Row",
    "Run",
    "RunRow",
]
