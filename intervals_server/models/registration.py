from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from intervals_server.models.base import Base, IdMixin, Row, TimestampsMixin

LIVE_STATUSES = ("confirmed", "waitlist")
_LIVE = text("status IN ('confirmed', 'waitlist')")


class Registration(IdMixin, TimestampsMixin, Base):
    __tablename__ = "registrations"
    __table_args__ = (
        # One live registration per email per run, enforced by the database itself.
        Index(
            "uq_registrations_live_email",
            "run_id",
            "email_key",
            unique=True,
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        ),
        Index("ix_registrations_listing", "event_id", "created_at", "id"),
        Index("ix_registrations_run_status", "run_id", "status", "created_at", "id"),
    )

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"))
    email: Mapped[str] = mapped_column(String(320))
    email_key: Mapped[str] = mapped_column(String(320))
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    registration_type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    pace_group: Mapped[str | None] = mapped_column(String(100), default=None)
    bib_identifier: Mapped[str | None] = mapped_column(String(100), default=None)
    checked_in: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text, default=None)


class RegistrationRow(Row, frozen=True):
    id: str
    organization_id: str
    event_id: str
    run_id: str
    email: str
    email_key: str
    name: str | None
    registration_type: str
    status: str
    pace_group: str | None
    bib_identifier: str | None
    checked_in: bool
    notes: str | None
    created_at: datetime
    updated_at: datetime
