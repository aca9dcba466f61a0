"""The SDK against a real ``intervals serve`` process, one per database backend."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from intervals_server.testing import live_server
from tests.conftest import Tenant


@pytest.fixture(scope="session")
async def live_url(database_url: str) -> AsyncIterator[str]:
    async with live_server(database_url) as base_url:
        yield base_url


def api_key(tenant: Tenant) -> str:
    return tenant.headers["Authorization"].removeprefix("Bearer ")
