"""ORM models: one table each, no business logic."""

from intervals.models.api_key import ApiKey
from intervals.models.base import Base
from intervals.models.course import Course
from intervals.models.event import Event
from intervals.models.group import Group
from intervals.models.idempotency_key import IdempotencyKey
from intervals.models.organization import Organization
from intervals.models.recurrence import Recurrence
from intervals.models.registration import Registration
from intervals.models.run import Run

__all__ = [
    "ApiKey",
    "Base",
    "Course",
    "Event",
    "Group",
    "IdempotencyKey",
    "Organization",
    "Recurrence",
    "Registration",
    "Run",
]
