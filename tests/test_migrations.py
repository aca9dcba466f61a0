from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path
from pprint import pformat
from typing import Any

import httpx
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from intervals_server.app import create_app
from intervals_server.config import Settings
from intervals_server.db import Database
from intervals_server.migrate import MIGRATIONS, alembic_config
from intervals_server.models import Base, Registration
from intervals_server.registrations.emails import email_key
from intervals_server.testing import temporary_database
from tests.conftest import BACKENDS, make_tenant
from tests.registrations.support import fullwidth
from tests.support import create_event_with_run, register


async def _run_columns_and_indexes(url: str) -> tuple[set[str], set[str]]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: (
                    {column["name"] for column in inspect(sync).get_columns("runs")},
                    {str(index["name"]) for index in inspect(sync).get_indexes("runs")},
                )
            )
    finally:
        await engine.dispose()


# SQLite's reflection cannot read the events' expression indexes; only runs matter here.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
@pytest.mark.parametrize("backend", BACKENDS)
async def test_migration_0002_downgrades_and_upgrades_again(backend: str, tmp_path: Path) -> None:
    async with temporary_database(backend, tmp_path) as url:
        config = alembic_config(url)
        await asyncio.to_thread(command.downgrade, config, "0001")
        columns_before, indexes_before = await _run_columns_and_indexes(url)
        await asyncio.to_thread(command.upgrade, config, "head")
        columns_after, indexes_after = await _run_columns_and_indexes(url)

    assert "occurrence_date" not in columns_before
    assert "ix_runs_recurrence_id" in indexes_before
    assert "occurrence_date" in columns_after
    assert "uq_runs_recurrence_occurrence" in indexes_after
    assert "ix_runs_recurrence_id" not in indexes_after


async def _tables_and_key_columns(url: str) -> tuple[set[str], set[str]]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: (
                    set(inspect(sync).get_table_names()),
                    {column["name"] for column in inspect(sync).get_columns("api_keys")},
                )
            )
    finally:
        await engine.dispose()


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
@pytest.mark.parametrize("backend", BACKENDS)
async def test_migration_0003_downgrades_and_upgrades_again(backend: str, tmp_path: Path) -> None:
    async with temporary_database(backend, tmp_path) as url:
        config = alembic_config(url)
        await asyncio.to_thread(command.downgrade, config, "0002")
        tables_before, key_columns_before = await _tables_and_key_columns(url)
        await asyncio.to_thread(command.upgrade, config, "head")
        tables_after, key_columns_after = await _tables_and_key_columns(url)

    assert "idempotency_keys" not in tables_before
    assert "rate_limit" not in key_columns_before
    assert "idempotency_keys" in tables_after
    assert {"rate_limit", "rate_limit_period"} <= key_columns_after


async def _registration_keys(database: Database) -> dict[str, str]:
    async with database.read() as session:
        rows = await session.execute(select(Registration.email, Registration.email_key))
        return {email: key for email, key in rows}


@pytest.mark.parametrize("backend", BACKENDS)
async def test_migration_0004_rekeys_existing_registrations_by_their_normalized_email(
    backend: str, tmp_path: Path
) -> None:
    async with temporary_database(backend, tmp_path) as url:
        database = Database(url)
        try:
            app = create_app(Settings(database_url=url, rate_limits=False), database=database)
            transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                tenant = await make_tenant(database)
                _, run_id = await create_event_with_run(client, tenant.headers)
                first = await register(client, tenant.headers, run_id, email="sam@example.com")
            config = alembic_config(url)
            await asyncio.to_thread(command.downgrade, config, "0003")
            # Rows the lowercased key let in before 0004, each keyed as it was then.
            async with database.write() as session:
                row = (
                    await session.execute(
                        select(Registration.__table__).where(
                            Registration.id == first.json()["data"]["participantId"]
                        )
                    )
                ).one()
                await session.execute(
                    insert(Registration),
                    [
                        row._asdict()
                        | {"id": f"p{index:014d}", "email": email, "email_key": email.lower()}
                        | status
                        for index, (email, status) in enumerate(
                            [
                                ("sam\u200b@example.com", {"status": "waitlist"}),
                                ("SAM@Example.com.", {"status": "cancelled"}),
                                (fullwidth("JO") + "@example.com", {}),
                            ]
                        )
                    ],
                )
            await asyncio.to_thread(command.upgrade, config, "head")
            keys = await _registration_keys(database)
        finally:
            await database.dispose()

    assert keys == {
        "sam@example.com": "sam@example.com",
        # Already a second live registration of the same inbox: left as it was.
        "sam\u200b@example.com": "sam\u200b@example.com",
        "SAM@Example.com.": "sam@example.com",
        fullwidth("JO") + "@example.com": "jo@example.com",
    }


def test_migration_0004_keys_emails_as_the_app_does() -> None:
    path = MIGRATIONS / "versions" / "0004_normalized_email_keys.py"
    spec = importlib.util.spec_from_file_location("migration_0004", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    emails = [
        "Sam@Example.com",
        "SAM@example.com..",
        fullwidth("Sam") + "@example.com",
        "rene\u0301@example.com",
        "stra\u00dfe@example.de",
        "\u0130stanbul@example.com.tr",
        "sam\u200b@exam\u00adple.com",
    ]

    assert [migration.email_key(email) for email in emails] == [
        email_key(email) for email in emails
    ]


def _differences(sync_connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        sync_connection, opts={"compare_type": True, "compare_server_default": True}
    )
    return list(compare_metadata(context, Base.metadata))


# SQLite cannot reflect the events' expression indexes, so only PostgreSQL compares them.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
async def test_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
    finally:
        await engine.dispose()

    assert differences == [], "models and migrations differ:\n" + pformat(differences)
