from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intervals_server.models.base import Base, IdMixin, Row, TimestampsMixin


class Recurrence(IdMixin, TimestampsMixin, Base):
    __tablename__ = "recurrences"
    __table_args__ = (
        Index("ix_recurrences_listing", "organization_id", "created_at", "id"),
        Index("ix_recurrences_status_listing", "organization_id", "status", "created_at", "id"),
    )

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    label: Mapped[str | None] = mapped_column(String(200), default=None)
    schedule: Mapped[dict[str, Any]] = mapped_column(JSON)
    default_course_id: Mapped[str | None] = mapped_column(ForeignKey("courses.id"), default=None)
    status: Mapped[str] = mapped_column(String(20), default="active")
    auto_publish_horizon_weeks: Mapped[int] = mapped_column(Integer, default=8)


class RecurrenceRow(Row, frozen=True):
    """As a list page reads it: the schedule is its stored JSON text, decoded by the
    service straight into its Struct (half the work of a dict decoded, then converted)."""

    id: str
    organization_id: str
    event_id: str
    label: str | None
    schedule: str
    default_course_id: str | None
    status: str
    auto_publish_horizon_weeks: int
    created_at: datetime
    updated_at: datetime
