"""Apply the schema migrations (Alembic) to a database."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str) -> list[str]:
    """Bring the database to the newest schema; safe to run again.

    Returns the migrations applied, oldest first, as ``0002 (what it does)``.
    """
    applied: list[str] = []

    def record(*, step: Any, **_: Any) -> None:
        if step.is_upgrade:
            applied.append(f"{step.up_revision.revision} ({step.up_revision.doc})")

    config = alembic_config(database_url)
    config.attributes["on_version_apply"] = record
    command.upgrade(config, "head")
    return applied


def newest_revision() -> str:
    """The revision ``upgrade`` brings a database to."""
    head = ScriptDirectory.from_config(alembic_config("")).get_current_head()
    return head or "none"


async def upgrade_async(database_url: str) -> None:
    # Alembic's env runs its own event loop, so it needs a thread of its own here.
    await asyncio.to_thread(upgrade, database_url)
