"""The errors only recurrences raise."""

from __future__ import annotations

from intervals_server.kit.errors import NotFound


class RecurrenceNotFound(NotFound):
    default_message = "Recurrence not found"
