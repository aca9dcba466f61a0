"""The errors only registrations raise."""

from __future__ import annotations

from intervals_server.kit.errors import Conflict, NotFound


class RegistrationNotFound(NotFound):
    default_message = "Registration not found"


class DuplicateRegistration(Conflict):
    default_message = "This email already has a live registration for this run"

    def __init__(self) -> None:
        super().__init__(reason="duplicate_registration")
