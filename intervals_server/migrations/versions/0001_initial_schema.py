"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 00:33:55.600187
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("plan", sa.String(length=20), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("slug", name=op.f("uq_organizations_slug")),
    )
    op.create_table(
        "api_keys",
        sa.Column("organization_id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_api_keys_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_api_keys_secret_hash")),
    )
    op.create_index(
        op.f("ix_api_keys_organization_id"), "api_keys", ["organization_id"], unique=False
    )
    op.create_table(
        "courses",
        sa.Column("organization_id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("distance_meters", sa.Float(), nullable=False),
        sa.Column("distance_standard", sa.String(length=20), nullable=False),
        sa.Column("distance_label", sa.String(length=100), nullable=False),
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_courses_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
    )
    op.create_index(
        op.f("ix_courses_organization_id"), "courses", ["organization_id"], unique=False
    )
    op.create_table(
        "groups",
        sa.Column("organization_id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("card_image_id", sa.String(length=200), nullable=True),
        sa.Column("cover_image_id", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_groups_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groups")),
        sa.UniqueConstraint("organization_id", "slug", name=op.f("uq_groups_organization_id_slug")),
    )
    op.create_index(
        "ix_groups_listing", "groups", ["organization_id", "created_at", "id"], unique=False
    )
    op.create_table(
        "events",
        sa.Column("organization_id", sa.String(length=16), nullable=False),
        sa.Column("group_id", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_time", sa.String(length=5), nullable=True),
        sa.Column("address", sa.JSON(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lng", sa.Float(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("website_url", sa.String(length=2000), nullable=True),
        sa.Column("registration_url", sa.String(length=2000), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_events_group_id_groups")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_events_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("organization_id", "slug", name=op.f("uq_events_organization_id_slug")),
    )
    op.create_index(
        "ix_events_group_listing",
        "events",
        ["group_id", "date", sa.literal_column("coalesce(start_time, '')"), "id"],
        unique=False,
    )
    op.create_index(
        "ix_events_listing",
        "events",
        ["organization_id", "date", sa.literal_column("coalesce(start_time, '')"), "id"],
        unique=False,
    )
    op.create_table(
        "recurrences",
        sa.Column("organization_id", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("default_course_id", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("auto_publish_horizon_weeks", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["default_course_id"],
            ["courses.id"],
            name=op.f("fk_recurrences_default_course_id_courses"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_recurrences_event_id_events")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_recurrences_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurrences")),
    )
    op.create_index(op.f("ix_recurrences_event_id"), "recurrences", ["event_id"], unique=False)
    op.create_index(
        "ix_recurrences_listing",
        "recurrences",
        ["organization_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_recurrences_status_listing",
        "recurrences",
        ["organization_id", "status", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "runs",
        sa.Column("organization_id", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.String(length=16), nullable=False),
        sa.Column("recurrence_id", sa.String(length=16), nullable=True),
        sa.Column("course_id", sa.String(length=16), nullable=True),
        sa.Column("distance_meters", sa.Float(), nullable=False),
        sa.Column("distance_standard", sa.String(length=20), nullable=False),
        sa.Column("distance_label", sa.String(length=100), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("event_status", sa.String(length=20), nullable=False),
        sa.Column("registration_url", sa.String(length=2000), nullable=True),
        sa.Column("registration_opens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("registration_closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("registration_override", sa.String(length=20), nullable=True),
        sa.Column("max_participants", sa.Integer(), nullable=True),
        sa.Column("is_virtual", sa.Boolean(), nullable=True),
        sa.Column("is_relay", sa.Boolean(), nullable=True),
        sa.Column("is_walking", sa.Boolean(), nullable=True),
        sa.Column("confirmed_count", sa.Integer(), nullable=False),
        sa.Column("waitlist_count", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_runs_course_id_courses")
        ),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_runs_event_id_events")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_runs_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["recurrence_id"], ["recurrences.id"], name=op.f("fk_runs_recurrence_id_recurrences")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    op.create_index("ix_runs_event", "runs", ["event_id", "date", "id"], unique=False)
    op.create_index(op.f("ix_runs_organization_id"), "runs", ["organization_id"], unique=False)
    op.create_index(op.f("ix_runs_recurrence_id"), "runs", ["recurrence_id"], unique=False)
    op.create_table(
        "registrations",
        sa.Column("organization_id", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.String(length=16), nullable=False),
        sa.Column("run_id", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("email_key", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("registration_type", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("pace_group", sa.String(length=100), nullable=True),
        sa.Column("bib_identifier", sa.String(length=100), nullable=True),
        sa.Column("checked_in", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_registrations_event_id_events")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_registrations_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_registrations_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
    )
    op.create_index(
        "ix_registrations_listing", "registrations", ["event_id", "created_at", "id"], unique=False
    )
    op.create_index(
        op.f("ix_registrations_organization_id"), "registrations", ["organization_id"], unique=False
    )
    op.create_index(
        "ix_registrations_run_status",
        "registrations",
        ["run_id", "status", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "uq_registrations_live_email",
        "registrations",
        ["run_id", "email_key"],
        unique=True,
        sqlite_where=sa.text("status IN ('confirmed', 'waitlist')"),
        postgresql_where=sa.text("status IN ('confirmed', 'waitlist')"),
    )


def downgrade() -> None:
    op.drop_index(
        "uq_registrations_live_email",
        table_name="registrations",
        sqlite_where=sa.text("status IN ('confirmed', 'waitlist')"),
        postgresql_where=sa.text("status IN ('confirmed', 'waitlist')"),
    )
    op.drop_index("ix_registrations_run_status", table_name="registrations")
    op.drop_index(op.f("ix_registrations_organization_id"), table_name="registrations")
    op.drop_index("ix_registrations_listing", table_name="registrations")
    op.drop_table("registrations")
    op.drop_index(op.f("ix_runs_recurrence_id"), table_name="runs")
    op.drop_index(op.f("ix_runs_organization_id"), table_name="runs")
    op.drop_index("ix_runs_event", table_name="runs")
    op.drop_table("runs")
    op.drop_index("ix_recurrences_status_listing", table_name="recurrences")
    op.drop_index("ix_recurrences_listing", table_name="recurrences")
    op.drop_index(op.f("ix_recurrences_event_id"), table_name="recurrences")
    op.drop_table("recurrences")
    op.drop_index("ix_events_listing", table_name="events")
    op.drop_index("ix_events_group_listing", table_name="events")
    op.drop_table("events")
    op.drop_index("ix_groups_listing", table_name="groups")
    op.drop_table("groups")
    op.drop_index(op.f("ix_courses_organization_id"), table_name="courses")
    op.drop_table("courses")
    op.drop_index(op.f("ix_api_keys_organization_id"), table_name="api_keys")
    op.drop_table("api_keys")
    op.drop_table("organizations")
