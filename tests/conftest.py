"""Fixtures: every test runs against SQLite and PostgreSQL, through the HTTP API.

Each test makes its own organization, so tests never see each other's rows: tenant
isolation doubles as test isolation, and nothing needs rolling back.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from intervals_server.app import create_app
from intervals_server.auth.scopes import ALL_SCOPES, Scope
from intervals_server.auth.service import issue_key
from intervals_server.config import Settings
from intervals_server.db import Database
from intervals_server.organizations.service import create_organization
from intervals_server.testing import temporary_database

BACKENDS = os.environ.get("INTERVALS_TEST_BACKENDS", "sqlite,postgresql").split(",")

Client = httpx.AsyncClient


@pytest.fixture(scope="session", params=BACKENDS)
async def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """A freshly migrated database of each backend, for the whole session."""
    folder: Path = tmp_path_factory.mktemp("db")
    async with temporary_database(request.param, folder) as url:
        yield url


@pytest.fixture(scope="session")
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    yield db
    await db.dispose()


@pytest.fixture(scope="session")
async def app(database_url: str, database: Database) -> Litestar:
    # Rate limits have tests of their own (tests/kit/test_rate_limit.py); here they would
    # only make fast loops of requests depend on the machine's speed.
    return create_app(Settings(database_url=database_url, rate_limits=False), database=database)


@pytest.fixture(scope="session")
async def client(app: Litestar) -> AsyncIterator[Client]:
    """An HTTP client calling the app in this process, on the test's own event loop."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture(scope="session")
async def limited_client(database_url: str, database: Database) -> AsyncIterator[Client]:
    """Like ``client``, with rate limits enforced (in this process's memory)."""
    app = create_app(Settings(database_url=database_url, rate_limits=True), database=database)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@dataclass(frozen=True)
class Tenant:
    """An organization of its own, with a key holding every scope."""

    organization_id: str
    headers: dict[str, str]
    make_key: Callable[[Iterable[Scope]], Awaitable[dict[str, str]]]

    async def headers_with(self, *scopes: Scope) -> dict[str, str]:
        return await self.make_key(scopes)


async def make_tenant(
    database: Database, *, plan: str = "enterprise", timezone: str = "UTC"
) -> Tenant:
    from intervals_server.kit.ids import new_id

    async with database.write() as session:
        slug = f"club-{new_id('')}"
        organization = await create_organization(
            session, name="Test Running Club", slug=slug, plan=plan, timezone=timezone
        )

    async def make_key(scopes: Iterable[Scope]) -> dict[str, str]:
        async with database.write() as session:
            issued = await issue_key(session, organization.id, name="test", scopes=scopes)
        return {"Authorization": f"Bearer {issued.secret}"}

    return Tenant(organization.id, await make_key(ALL_SCOPES), make_key)


@pytest.fixture
async def tenant(database: Database) -> Tenant:
    return await make_tenant(database)


@pytest.fixture
async def other_tenant(database: Database) -> Tenant:
    return await make_tenant(database)
