from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from intervals.migrate import alembic_config
from intervals.testing import temporary_database
from tests.conftest import BACKENDS


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
