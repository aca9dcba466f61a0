"""The errors only runs raise."""

from __future__ import annotations

from intervals_server.kit.errors import NotFound


class RunNotFound(NotFound):
    default_message = "Event run not found"
