"""registrations' email keys are normalized (NFKC, case folded, no trailing dot)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 23:00:00.000000

Until now the key of one live registration per email per run was the email lowercased,
so invisible characters, fullwidth letters or a trailing dot registered one inbox twice.
This re-keys every row whose key changes. Rows that already registered one inbox twice on a
run are left as they are: one takes the new key (the one already holding it, else the
earliest), the others keep their old one, so the unique index still holds; their count is
logged.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

logger = logging.getLogger("alembic.runtime.migration")

LIVE_STATUSES = ("confirmed", "waitlist")
_registrations = sa.table(
    "registrations",
    sa.column("id", sa.String),
    sa.column("run_id", sa.String),
    sa.column("email", sa.String),
    sa.column("email_key", sa.String),
    sa.column("status", sa.String),
    sa.column("created_at"),  # only compared: as the driver returns it
)


def email_key(email: str) -> str:
    """The key as this revision defines it (a copy, frozen here: a later change of the
    app's rule needs a migration of its own; tests/test_migrations.py checks they agree)."""
    if not email.isprintable():
        email = "".join(char for char in email if char.isprintable())
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", email).casefold())
    return folded.rstrip(".")


def upgrade() -> None:
    left = _rekey(email_key)
    if left:
        logger.warning(
            "%d live registrations share their run and normalized email with an earlier one; "
            "they keep their old key",
            left,
        )


def downgrade() -> None:
    _rekey(str.lower)


def _rekey(key_of: Callable[[str], str]) -> int:
    """Give each row the key ``key_of`` its email; a live row whose new key another live
    row of its run already holds keeps its own. Returns how many did."""
    bind = op.get_bind()
    table = _registrations.c
    every = sa.select(
        table.id, table.run_id, table.email, table.email_key, table.status, table.created_at
    ).execution_options(yield_per=10_000)
    # Few keys change (an ASCII address's key is its lowercase, as before): keep only those.
    changing = [
        (row, key) for row in bind.execute(every) if (key := key_of(row.email)) != row.email_key
    ]
    changing.sort(key=lambda found: (found[0].created_at, found[0].id))
    held = sa.select(table.id).where(
        table.run_id == sa.bindparam("run_id"),
        table.email_key == sa.bindparam("key"),
        table.status.in_(LIVE_STATUSES),
    )
    update = (
        sa.update(_registrations)
        .where(table.id == sa.bindparam("row_id"))
        .values(email_key=sa.bindparam("key"))
    )
    left = 0
    for row, key in changing:
        live = row.status in LIVE_STATUSES
        if live and bind.execute(held, {"run_id": row.run_id, "key": key}).first() is not None:
            left += 1
            continue
        bind.execute(update, {"row_id": row.id, "key": key})
    return left
