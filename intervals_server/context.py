"""What every service is handed: whose data the call is about, and the way to it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from intervals_server.db.store import Store


@dataclass(slots=True)
class RequestContext:
    """A partner request's, or an operator command's on one organization's behalf.

    Services pass it to repositories (``Repository.of(ctx)``), which scope every query to
    ``organization_id``: no service handles a session or a connection itself.
    """

    organization_id: str
    store: Store


# The time zone of the organization's event with the given ID: what runs and recurrences,
# which sit below events, are handed (events' ``event_timezone``) instead of importing it.
EventTimezone = Callable[[RequestContext, str], Awaitable[str]]
