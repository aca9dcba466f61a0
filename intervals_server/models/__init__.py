"""ORM models: one table each, no business logic."""

from intervals_server.models.api_key import ApiKey
from intervals_server.models.base import Base
from intervals_server.models.course import Course
from intervals_server.models.event import Event
from intervals_server.models.group import Group
from intervals_server.models.idempotency_key import IdempotencyKey
from intervals_server.models.organization import Organization
from intervals_server.models.recurrence import Recurrence
from intervals_server.models.registration import Registration
from intervals_server.models.run import Run

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
