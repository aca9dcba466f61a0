"""Which errors mean "the database cannot be reached" (503), and which are bugs (500)."""

from __future__ import annotations

import asyncio
import socket
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from intervals_server.db import Database, Query, database_unavailable
from intervals_server.models import Organization


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _error_of_zone(name: str) -> OSError:
    try:
        ZoneInfo(name)
    except OSError as exc:
        return exc
    raise AssertionError(f"{name!r} opened as a zone")


def test_an_os_error_raised_by_the_app_is_not_an_outage() -> None:
    # A folder of the zone database read as a zone: IsADirectoryError, in our own code.
    assert not database_unavailable(_error_of_zone("America"))


async def _refused(database: Database, *, hot_read: bool) -> Exception:
    threads = set(threading.enumerate())
    try:
        if hot_read:
            await database.reads.all(Query(select(Organization.id)))
        else:
            async with database.write() as session:
                await session.execute(text("SELECT 1"))
    except Exception as exc:
        return exc
    finally:
        await database.dispose()
        # aiosqlite stops the thread of a connection that failed to open without waiting for
        # it; let it finish while this loop still runs.
        for thread in set(threading.enumerate()) - threads:
            await asyncio.to_thread(thread.join, 5)
    raise AssertionError("the database answered")


@pytest.mark.parametrize("hot_read", [False, True], ids=["session", "hot-read"])
async def test_a_refused_postgresql_connection_is_an_outage(hot_read: bool) -> None:
    database = Database(f"postgresql+asyncpg://postgres@127.0.0.1:{_closed_port()}/none")

    assert database_unavailable(await _refused(database, hot_read=hot_read))


@pytest.mark.parametrize("hot_read", [False, True], ids=["session", "hot-read"])
async def test_a_sqlite_file_that_cannot_be_opened_is_an_outage(
    hot_read: bool, tmp_path: Path
) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'intervals.db'}")

    assert database_unavailable(await _refused(database, hot_read=hot_read))
