"""Throwaway databases for tests and benchmarks: a SQLite file, or a PostgreSQL database
of its own, migrated to the newest schema and removed afterwards."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

from intervals_server.migrate import upgrade_async

POSTGRES_ADMIN_URL = os.environ.get(
    "INTERVALS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@asynccontextmanager
async def temporary_database(
    backend: str, folder: Path, *, migrated: bool = True
) -> AsyncIterator[str]:
    """A migrated (or, with ``migrated=False``, a blank) database URL, dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{folder / 'intervals.db'}"
        if migrated:
            await upgrade_async(url)
        else:
            (folder / "intervals.db").touch()
        yield url
        return
    if backend != "postgresql":
        raise ValueError(f"unknown test backend {backend!r}")
    name = f"intervals_test_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
        url = f"{base.replace('postgresql://', 'postgresql+asyncpg://', 1)}/{name}"
        if migrated:
            await upgrade_async(url)
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
