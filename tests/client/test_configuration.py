"""The SDK talks only to the server its user chose, with the API's parameter names."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from intervals_client import AsyncClient, Client
from intervals_client._resources import (
    AsyncRecurrences,
    AsyncRegistrations,
    Recurrences,
    Registrations,
)
from tests.client.conftest import api_key
from tests.client.support import TUESDAYS, event
from tests.conftest import Tenant


def test_client_without_a_base_url_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INTERVALS_BASE_URL", raising=False)

    with pytest.raises(ValueError, match="base_url"):
        Client("ik_live_key")


def test_async_client_without_a_base_url_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INTERVALS_BASE_URL", raising=False)

    with pytest.raises(ValueError, match="base_url"):
        AsyncClient("ik_live_key")


def test_base_url_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVALS_BASE_URL", "http://intervals.internal:8000")

    with Client("ik_live_key") as client:
        assert str(client._http.base_url) == "http://intervals.internal:8000"


def test_explicit_base_url_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVALS_BASE_URL", "http://intervals.internal:8000")

    with Client("ik_live_key", base_url="http://127.0.0.1:9000") as client:
        assert str(client._http.base_url) == "http://127.0.0.1:9000"


@pytest.mark.parametrize("resource", [Registrations, AsyncRegistrations])
def test_registration_list_takes_event_id_as_the_api_names_it(resource: Any) -> None:
    assert "eventId" in inspect.signature(resource.list).parameters


@pytest.mark.parametrize("resource", [Recurrences, AsyncRecurrences])
def test_occurrences_take_from_and_to_as_the_api_names_them(resource: Any) -> None:
    parameters = inspect.signature(resource.occurrences).parameters

    assert {"from_", "to"} <= parameters.keys()


async def test_old_parameter_names_still_work_with_a_deprecation_warning(
    live_url: str, tenant: Tenant
) -> None:
    with Client(api_key(tenant), base_url=live_url) as client:
        event_id = client.events.create(event(recurrence={"schedule": TUESDAYS}))
        (recurrence,) = client.recurrences.list(eventId=event_id)

        with pytest.warns(DeprecationWarning) as renamed:
            by_old_names = list(
                client.recurrences.occurrences(
                    recurrence["_id"], start="2030-01-01", end="2030-01-31"
                )
            )
        with pytest.warns(DeprecationWarning, match="eventId"):
            registrations = list(client.registrations.list(event_id=event_id))

    assert {str(warning.message).split("=")[0] for warning in renamed} == {"start", "end"}
    assert [o["date"] for o in by_old_names][:1] == ["2030-01-01"]
    assert registrations == []
