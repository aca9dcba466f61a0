"""runs remember the occurrence they stand for

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 00:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("runs", sa.Column("occurrence_date", sa.Date(), nullable=True))
    # One run per occurrence of a recurrence, whoever publishes it; manual runs keep
    # NULLs, which never collide. The unique index also serves lookups by recurrence.
    op.drop_index(op.f("ix_runs_recurrence_id"), table_name="runs")
    op.create_index(
        "uq_runs_recurrence_occurrence",
        "runs",
        ["recurrence_id", "occurrence_date"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_runs_recurrence_occurrence", table_name="runs")
    op.create_index(op.f("ix_runs_recurrence_id"), "runs", ["recurrence_id"], unique=False)
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("occurrence_date")
