"""The errors only groups raise."""

from __future__ import annotations

from intervals_server.kit.errors import NotFound


class GroupNotFound(NotFound):
    default_message = "Group not found"
