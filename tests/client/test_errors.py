"""Each error the live server answers raises the exception of its code."""

from __future__ import annotations

import pytest

from intervals_client import (
    AuthenticationError,
    Client,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from intervals_server.auth.scopes import Scope
from tests.client.conftest import api_key
from tests.client.support import event
from tests.conftest import Tenant


async def test_unknown_id_raises_not_found_with_the_request_id(
    live_url: str, tenant: Tenant
) -> None:
    with (
        Client(api_key(tenant), base_url=live_url) as client,
        pytest.raises(NotFoundError) as raised,
    ):
        client.events.get("e00000000000000")

    assert raised.value.message == "Event not found"
    assert raised.value.request_id == raised.value.response.headers["Request-Id"]


async def test_invalid_field_raises_validation_error_naming_it(
    live_url: str, tenant: Tenant
) -> None:
    with (
        Client(api_key(tenant), base_url=live_url) as client,
        pytest.raises(ValidationError) as raised,
    ):
        client.events.create({**event(), "date": "not a date"})

    assert "date" in raised.value.errors


async def test_taken_slug_raises_conflict_with_its_reason(live_url: str, tenant: Tenant) -> None:
    body = event()
    with Client(api_key(tenant), base_url=live_url) as client:
        client.events.create(body)
        with pytest.raises(ConflictError) as raised:
            client.events.create(body)

    assert raised.value.reason == "slug_taken"


async def test_unknown_key_raises_authentication_error(live_url: str) -> None:
    with Client("ik_live_unknown", base_url=live_url) as client, pytest.raises(AuthenticationError):
        client.organization.get()


async def test_missing_scope_raises_permission_denied(live_url: str, tenant: Tenant) -> None:
    headers = await tenant.headers_with(Scope.READ_EVENTS)
    key = headers["Authorization"].removeprefix("Bearer ")

    with Client(key, base_url=live_url) as client, pytest.raises(PermissionDeniedError) as raised:
        client.events.create(event())

    assert "write:events" in raised.value.message
