"""One resource per kind of object, blocking and asyncio; each call is built once, in ``_calls``.

Query parameters keep the API's names (``dateFrom``, ``eventId``), as the request and
response bodies do, so the reference reads the same in Python.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Unpack

from intervals_client import _calls as calls
from intervals_client.types import (
    Event,
    EventNew,
    EventUpdate,
    EventWithRuns,
    Group,
    Occurrence,
    Organization,
    Recurrence,
    RecurrenceNew,
    RecurrenceUpdate,
    Registration,
    RegistrationNew,
    Run,
    RunNew,
    RunUpdate,
)

if TYPE_CHECKING:
    from intervals_client._client import AsyncClient, Client


class _Resource:
    def __init__(self, client: Client) -> None:
        self._client = client


class _AsyncResource:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client


class OrganizationResource(_Resource):
    def get(self) -> Organization:
        """Your organization (``read:series``)."""
        organization: Organization = self._client._request(calls.get_organization())
        return organization


class Events(_Resource):
    def list(self, **params: Unpack[calls.EventParams]) -> Iterator[Event]:
        """Every event matching the filters, in date order (``read:events``)."""
        return self._client._iterate(calls.list_events(params))

    def get(self, event_id: str, **bounds: Unpack[calls.EventRunBounds]) -> EventWithRuns:
        """An event with its runs, those dated within ``runsFrom``/``runsTo`` if given
        (``read:events``)."""
        event: EventWithRuns = self._client._request(calls.get_event(event_id, bounds))
        return event

    def runs(self, event_id: str, **params: Unpack[calls.EventRunParams]) -> Iterator[Run]:
        """Every run of an event, a page at a time, in the event's order (``read:events``)."""
        return self._client._iterate(calls.list_event_runs(event_id, params))

    def create(self, event: EventNew, *, idempotency_key: str | None = None) -> str:
        """Create an event; its ``_id`` (``write:events``)."""
        created = self._client._request(calls.create_event(event, idempotency_key))
        return str(created["eventId"])

    def update(self, event_id: str, changes: EventUpdate) -> Event:
        """Change the given fields; ``None`` clears an optional one (``write:events``)."""
        updated: Event = self._client._request(calls.update_event(event_id, changes))
        return updated


class Runs(_Resource):
    def create(self, event_id: str, run: RunNew, *, idempotency_key: str | None = None) -> str:
        """Add a run to an event; its ``_id`` (``write:events``)."""
        created = self._client._request(calls.create_run(event_id, run, idempotency_key))
        return str(created["runId"])

    def update(self, run_id: str, changes: RunUpdate) -> Run:
        """Change a run; ``{"eventStatus": "cancelled"}`` cancels it (``write:events``)."""
        updated: Run = self._client._request(calls.update_run(run_id, changes))
        return updated


class Registrations(_Resource):
    def list(
        self,
        eventId: str | None = None,
        *,
        event_id: str | None = None,
        **params: Unpack[calls.RegistrationParams],
    ) -> Iterator[Registration]:
        """Every registration of an event (``read:participants``); ``event_id=`` is the
        deprecated name of ``eventId``."""
        event = calls.renamed("eventId", eventId, "event_id", event_id)
        return self._client._iterate(calls.list_registrations(event, params))

    def get(self, registration_id: str) -> Registration:
        """One registration, with its ``waitlistPosition`` while waitlisted
        (``read:participants``)."""
        registration: Registration = self._client._request(calls.get_registration(registration_id))
        return registration

    def create(self, registration: RegistrationNew, *, idempotency_key: str | None = None) -> str:
        """Register a participant; the registration's ``_id`` (``write:participants``)."""
        created = self._client._request(calls.create_registration(registration, idempotency_key))
        return str(created["participantId"])

    def cancel(self, registration_id: str, *, idempotency_key: str | None = None) -> Registration:
        """Cancel a registration; the first waitlisted takes its seat (``write:participants``)."""
        cancelled: Registration = self._client._request(
            calls.cancel_registration(registration_id, idempotency_key)
        )
        return cancelled


class Recurrences(_Resource):
    def list(self, **params: Unpack[calls.RecurrenceParams]) -> Iterator[Recurrence]:
        """Every recurrence matching the filters (``read:recurrences``)."""
        return self._client._iterate(calls.list_recurrences(params))

    def get(self, recurrence_id: str) -> Recurrence:
        """One recurrence (``read:recurrences``)."""
        recurrence: Recurrence = self._client._request(calls.get_recurrence(recurrence_id))
        return recurrence

    def create(self, recurrence: RecurrenceNew, *, idempotency_key: str | None = None) -> str:
        """Attach a recurrence to an event; its ``_id`` (``write:recurrences``)."""
        created = self._client._request(calls.create_recurrence(recurrence, idempotency_key))
        return str(created["recurrenceId"])

    def update(self, recurrence_id: str, changes: RecurrenceUpdate) -> Recurrence:
        """Pause, resume, archive or re-plan a recurrence (``write:recurrences``)."""
        updated: Recurrence = self._client._request(calls.update_recurrence(recurrence_id, changes))
        return updated

    def occurrences(
        self,
        recurrence_id: str,
        from_: str | None = None,
        to: str | None = None,
        *,
        start: str | None = None,
        end: str | None = None,
    ) -> Iterator[Occurrence]:
        """Every occurrence ``from_`` a local date ``to`` another, inclusive (the API's
        ``from`` and ``to``; ``start=`` and ``end=`` are their deprecated names)."""
        call, advance = calls.list_occurrences(
            recurrence_id,
            calls.renamed("from_", from_, "start", start),
            calls.renamed("to", to, "end", end),
        )
        return self._client._iterate(call, advance)


class Groups(_Resource):
    def list(self, **params: Unpack[calls.GroupParams]) -> Iterator[Group]:
        """Every group matching the filters (``read:groups``)."""
        return self._client._iterate(calls.list_groups(params))

    def get(self, slug: str) -> Group:
        """One group by its slug (``read:groups``)."""
        group: Group = self._client._request(calls.get_group(slug))
        return group

    def events(self, slug: str, **params: Unpack[calls.PageParams]) -> Iterator[Event]:
        """Every event of a group (``read:events``)."""
        return self._client._iterate(calls.list_group_events(slug, params))


# --- asyncio: the same calls, awaited ---


class AsyncOrganization(_AsyncResource):
    async def get(self) -> Organization:
        organization: Organization = await self._client._request(calls.get_organization())
        return organization


class AsyncEvents(_AsyncResource):
    def list(self, **params: Unpack[calls.EventParams]) -> AsyncIterator[Event]:
        return self._client._iterate(calls.list_events(params))

    async def get(self, event_id: str, **bounds: Unpack[calls.EventRunBounds]) -> EventWithRuns:
        event: EventWithRuns = await self._client._request(calls.get_event(event_id, bounds))
        return event

    def runs(self, event_id: str, **params: Unpack[calls.EventRunParams]) -> AsyncIterator[Run]:
        return self._client._iterate(calls.list_event_runs(event_id, params))

    async def create(self, event: EventNew, *, idempotency_key: str | None = None) -> str:
        created = await self._client._request(calls.create_event(event, idempotency_key))
        return str(created["eventId"])

    async def update(self, event_id: str, changes: EventUpdate) -> Event:
        updated: Event = await self._client._request(calls.update_event(event_id, changes))
        return updated


class AsyncRuns(_AsyncResource):
    async def create(
        self, event_id: str, run: RunNew, *, idempotency_key: str | None = None
    ) -> str:
        created = await self._client._request(calls.create_run(event_id, run, idempotency_key))
        return str(created["runId"])

    async def update(self, run_id: str, changes: RunUpdate) -> Run:
        updated: Run = await self._client._request(calls.update_run(run_id, changes))
        return updated


class AsyncRegistrations(_AsyncResource):
    def list(
        self,
        eventId: str | None = None,
        *,
        event_id: str | None = None,
        **params: Unpack[calls.RegistrationParams],
    ) -> AsyncIterator[Registration]:
        event = calls.renamed("eventId", eventId, "event_id", event_id)
        return self._client._iterate(calls.list_registrations(event, params))

    async def get(self, registration_id: str) -> Registration:
        registration: Registration = await self._client._request(
            calls.get_registration(registration_id)
        )
        return registration

    async def create(
        self, registration: RegistrationNew, *, idempotency_key: str | None = None
    ) -> str:
        created = await self._client._request(
            calls.create_registration(registration, idempotency_key)
        )
        return str(created["participantId"])

    async def cancel(
        self, registration_id: str, *, idempotency_key: str | None = None
    ) -> Registration:
        cancelled: Registration = await self._client._request(
            calls.cancel_registration(registration_id, idempotency_key)
        )
        return cancelled


class AsyncRecurrences(_AsyncResource):
    def list(self, **params: Unpack[calls.RecurrenceParams]) -> AsyncIterator[Recurrence]:
        return self._client._iterate(calls.list_recurrences(params))

    async def get(self, recurrence_id: str) -> Recurrence:
        recurrence: Recurrence = await self._client._request(calls.get_recurrence(recurrence_id))
        return recurrence

    async def create(self, recurrence: RecurrenceNew, *, idempotency_key: str | None = None) -> str:
        created = await self._client._request(calls.create_recurrence(recurrence, idempotency_key))
        return str(created["recurrenceId"])

    async def update(self, recurrence_id: str, changes: RecurrenceUpdate) -> Recurrence:
        updated: Recurrence = await self._client._request(
            calls.update_recurrence(recurrence_id, changes)
        )
        return updated

    def occurrences(
        self,
        recurrence_id: str,
        from_: str | None = None,
        to: str | None = None,
        *,
        start: str | None = None,
        end: str | None = None,
    ) -> AsyncIterator[Occurrence]:
        call, advance = calls.list_occurrences(
            recurrence_id,
            calls.renamed("from_", from_, "start", start),
            calls.renamed("to", to, "end", end),
        )
        return self._client._iterate(call, advance)


class AsyncGroups(_AsyncResource):
    def list(self, **params: Unpack[calls.GroupParams]) -> AsyncIterator[Group]:
        return self._client._iterate(calls.list_groups(params))

    async def get(self, slug: str) -> Group:
        group: Group = await self._client._request(calls.get_group(slug))
        return group

    def events(self, slug: str, **params: Unpack[calls.PageParams]) -> AsyncIterator[Event]:
        return self._client._iterate(calls.list_group_events(slug, params))
