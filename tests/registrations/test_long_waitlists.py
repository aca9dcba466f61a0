"""A long waitlist: promotion in bounded batches, and positions that cost no more deep
in the list than near its head."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from intervals_server.app import create_app
from intervals_server.config import Settings
from intervals_server.db import Database, SQLiteReads
from intervals_server.registrations.repository import PROMOTION_BATCH
from intervals_server.testing import temporary_database
from tests.conftest import Client, Tenant, make_tenant
from tests.registrations.support import registrations, run_of, statuses, waitlist_in_bulk
from tests.support import create_event_with_run

WAITLISTED = 2 * PROMOTION_BATCH + 1


async def _long_waitlist(
    client: Client, database: Database, tenant: Tenant
) -> tuple[str, str, list[str]]:
    event_id, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=0)
    made = await waitlist_in_bulk(database, tenant.organization_id, event_id, run_id, WAITLISTED)
    return event_id, run_id, made


async def test_raising_capacity_confirms_a_long_waitlist_first_come_first_served(
    client: Client, database: Database, tenant: Tenant
) -> None:
    event_id, run_id, made = await _long_waitlist(client, database, tenant)
    seats = 2 * PROMOTION_BATCH - 3

    response = await client.patch(
        f"/runs/{run_id}", json={"maxParticipants": seats}, headers=tenant.headers
    )

    assert response.status_code == 200, response.text
    run = await run_of(client, tenant.headers, event_id, run_id)
    assert (run["confirmedCount"], run["waitlistCount"]) == (seats, WAITLISTED - seats)
    still_waiting = await registrations(
        client, tenant.headers, event_id, registrationStatus="waitlist"
    )
    assert [item["_id"] for item in still_waiting] == made[seats:]
    assert statuses(still_waiting) == [("waitlist", n) for n in range(1, WAITLISTED - seats + 1)]


async def test_raising_capacity_promotes_a_batch_per_statement_without_loading_the_waitlist(
    client: Client, database: Database, tenant: Tenant
) -> None:
    _, run_id, _ = await _long_waitlist(client, database, tenant)
    updates: list[int] = []

    def record(*arguments: Any) -> None:
        _, _, statement, parameters, _, executemany = arguments
        if statement.lstrip().upper().startswith("UPDATE REGISTRATIONS"):
            updates.append(len(parameters) if executemany else 1)

    engine = database.writer.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = await client.patch(
            f"/runs/{run_id}", json={"maxParticipants": None}, headers=tenant.headers
        )
    finally:
        event.remove(engine, "before_cursor_execute", record)

    assert response.json()["data"]["confirmedCount"] == WAITLISTED
    # One statement per batch, each confirming up to PROMOTION_BATCH rows in the database.
    assert updates == [1, 1, 1]


@pytest.fixture(scope="module")
async def sqlite_client(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Any]:
    """An app on a SQLite database of its own: SQLite counts the work a query does."""
    folder: Path = tmp_path_factory.mktemp("vm")
    async with temporary_database("sqlite", folder) as url:
        database = Database(url)
        app = create_app(Settings(database_url=url, rate_limits=False), database=database)
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http, database
        await database.dispose()


async def test_a_deep_waitlist_page_costs_about_what_the_first_does(
    sqlite_client: tuple[Client, Database],
) -> None:
    client, database = sqlite_client
    tenant = await make_tenant(database)
    event_id, _, made = await _long_waitlist(client, database, tenant)
    reads = database.reads
    assert isinstance(reads, SQLiteReads)
    connection = await reads._opened()
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0  # go on

    async def steps_for(**params: str) -> int:
        steps[0] = 0
        await connection.set_progress_handler(count, 100)
        try:
            response = await client.get(
                "/registration",
                params={"eventId": event_id, "limit": "50", **params},
                headers=tenant.headers,
            )
        finally:
            await connection.set_progress_handler(None, 0)  # type: ignore[arg-type]  # removes it
        assert response.status_code == 200, response.text
        return steps[0]

    first = await steps_for()
    deep = await steps_for(after=made[-51])

    # Numbering each row by counting the rows before it did ~50 x the position's work.
    assert deep < 5 * first, (first, deep)
