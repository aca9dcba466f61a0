"""The errors only events raise."""

from __future__ import annotations

from intervals_server.kit.errors import Conflict, NotFound


class EventNotFound(NotFound):
    default_message = "Event not found"


class SlugTaken(Conflict):
    def __init__(self, slug: str) -> None:
        super().__init__(f"An event with slug {slug!r} already exists", reason="slug_taken")
