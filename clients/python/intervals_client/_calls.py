"""Each endpoint as the ``Call`` it sends: the one place that knows paths and parameters."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Mapping
from typing import Any, TypedDict
from urllib.parse import quote

from intervals_client._requestor import Advance, Call, Items
from intervals_client.types import (
    EventNew,
    EventType,
    EventUpdate,
    GroupStatus,
    RecurrenceNew,
    RecurrenceStatus,
    RecurrenceUpdate,
    RegistrationNew,
    RegistrationStatus,
    RunNew,
    RunUpdate,
)


class PageParams(TypedDict, total=False):
    limit: int  # the page size, 1-100; iteration fetches as many pages as it needs
    after: str  # start after this object's _id


class EventParams(PageParams, total=False):
    type: EventType
    dateFrom: str
    dateTo: str
    groupId: str


class EventRunBounds(TypedDict, total=False):
    runsFrom: str  # only the runs on or after this date (YYYY-MM-DD)
    runsTo: str  # only the runs on or before this date


# ``from`` is a Python keyword: pass it as ``**{"from": "2027-06-01"}``.
EventRunParams = TypedDict(
    "EventRunParams", {"limit": int, "after": str, "from": str, "to": str}, total=False
)


class RegistrationParams(PageParams, total=False):
    eventRunId: str
    registrationStatus: RegistrationStatus
    email: str


class RecurrenceParams(PageParams, total=False):
    status: RecurrenceStatus
    eventId: str


class GroupParams(PageParams, total=False):
    status: GroupStatus


def renamed(name: str, value: str | None, old_name: str, old_value: str | None) -> str:
    """A parameter given by its name, or by the name it had before it followed the API's
    (with a DeprecationWarning); exactly one of them."""
    if old_value is not None:
        if value is not None:
            raise TypeError(f"pass {name}, not both {name} and {old_name}")
        warnings.warn(
            f"{old_name}= is deprecated: the parameter is {name}, as the API names it",
            DeprecationWarning,
            stacklevel=3,
        )
        return old_value
    if value is None:
        raise TypeError(f"missing required argument: {name!r}")
    return value


def _id(value: str) -> str:
    """A path segment: an ID or slug can hold nothing that changes the path."""
    return quote(value, safe="")


def _post(path: str, body: Mapping[str, Any], key: str | None) -> Call:
    return Call("POST", path, body=body, idempotency_key=key)


def get_organization() -> Call:
    return Call("GET", "/organization")


def list_events(params: EventParams) -> Call:
    return Call("GET", "/events", params=params)


def get_event(event_id: str, bounds: EventRunBounds) -> Call:
    return Call("GET", f"/events/{_id(event_id)}", params=bounds)


def list_event_runs(event_id: str, params: EventRunParams) -> Call:
    return Call("GET", f"/events/{_id(event_id)}/runs", params=params)


def create_event(event: EventNew, key: str | None) -> Call:
    return _post("/events", event, key)


def update_event(event_id: str, changes: EventUpdate) -> Call:
    return Call("PATCH", f"/events/{_id(event_id)}", body=changes)


def create_run(event_id: str, run: RunNew, key: str | None) -> Call:
    return _post(f"/events/{_id(event_id)}/runs", run, key)


def update_run(run_id: str, changes: RunUpdate) -> Call:
    return Call("PATCH", f"/runs/{_id(run_id)}", body=changes)


def list_registrations(event_id: str, params: RegistrationParams) -> Call:
    return Call("GET", "/registration", params={"eventId": event_id, **params})


def create_registration(registration: RegistrationNew, key: str | None) -> Call:
    return _post("/registration", registration, key)


def get_registration(registration_id: str) -> Call:
    return Call("GET", f"/registration/{_id(registration_id)}")


def cancel_registration(registration_id: str, key: str | None) -> Call:
    return _post(f"/registration/{_id(registration_id)}/cancel", {}, key)


def list_recurrences(params: RecurrenceParams) -> Call:
    return Call("GET", "/recurrences", params=params)


def get_recurrence(recurrence_id: str) -> Call:
    return Call("GET", f"/recurrences/{_id(recurrence_id)}")


def create_recurrence(recurrence: RecurrenceNew, key: str | None) -> Call:
    return _post("/recurrences", recurrence, key)


def update_recurrence(recurrence_id: str, changes: RecurrenceUpdate) -> Call:
    return Call("PATCH", f"/recurrences/{_id(recurrence_id)}", body=changes)


def _day_after_last(items: Items) -> dict[str, Any]:
    # Occurrences have no _id: the next window starts the day after the last date.
    last = dt.date.fromisoformat(items[-1]["date"])
    return {"from": (last + dt.timedelta(days=1)).isoformat()}


def list_occurrences(recurrence_id: str, start: str, end: str) -> tuple[Call, Advance]:
    call = Call(
        "GET", f"/recurrences/{_id(recurrence_id)}/occurrences", params={"from": start, "to": end}
    )
    return call, _day_after_last


def list_groups(params: GroupParams) -> Call:
    return Call("GET", "/groups", params=params)


def get_group(slug: str) -> Call:
    return Call("GET", f"/groups/{_id(slug)}")


def list_group_events(slug: str, params: PageParams) -> Call:
    return Call("GET", f"/groups/{_id(slug)}/events", params=params)
