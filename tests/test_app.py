from __future__ import annotations

import asyncio

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update

from intervals_server.app import create_app
from intervals_server.config import Settings
from intervals_server.db import Database
from intervals_server.models import Recurrence, Run
from tests.conftest import Client, Tenant
from tests.recurrences.support import create_recurring_event


async def _runs_of(database: Database, recurrence_id: str) -> int:
    async with database.read() as session:
        count = await session.scalar(
            select(func.count()).select_from(Run).where(Run.recurrence_id == recurrence_id)
        )
    return count or 0


async def test_the_server_publishes_in_the_background_and_stops_on_shutdown(
    client: Client, tenant: Tenant, database: Database, database_url: str
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers, status="paused")
    # Activated below the API, so only the background publisher can publish it.
    async with database.write() as session:
        await session.execute(
            update(Recurrence).where(Recurrence.id == recurrence_id).values(status="active")
        )
    app = create_app(Settings(database_url=database_url, publish_interval_seconds=0.05))

    async with AsyncTestClient(app):
        for _ in range(200):
            if await _runs_of(database, recurrence_id):
                break
            await asyncio.sleep(0.05)

    assert await _runs_of(database, recurrence_id) == 7
