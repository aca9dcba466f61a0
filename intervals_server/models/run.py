from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ColumnElement, Date, Float, ForeignKey, Index, Integer, String, or_
from sqlalchemy.orm import Mapped, mapped_column

from intervals_server.models.base import Base, IdMixin, Row, TimestampsMixin, UTCDateTime


class Run(IdMixin, TimestampsMixin, Base):
    """An event's distance or dated occurrence; ``confirmed_count`` and ``waitlist_count``
    are kept in the same transaction as the registrations they count."""

    __tablename__ = "runs"
    __table_args__ = (
        Index("ix_runs_event", "event_id", "date", "id"),
        # A recurrence's run per occurrence: the key every publisher inserts against.
        Index("uq_runs_recurrence_occurrence", "recurrence_id", "occurrence_date", unique=True),
    )

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    recurrence_id: Mapped[str | None] = mapped_column(ForeignKey("recurrences.id"), default=None)
    occurrence_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    course_id: Mapped[str | None] = mapped_column(ForeignKey("courses.id"), default=None)
    distance_meters: Mapped[float] = mapped_column(Float)
    distance_standard: Mapped[str] = mapped_column(String(20))
    distance_label: Mapped[str] = mapped_column(String(100))
    date: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[str | None] = mapped_column(String(5), default=None)
    starts_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    ends_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    event_status: Mapped[str] = mapped_column(String(20), default="scheduled")
    registration_url: Mapped[str | None] = mapped_column(String(2000), default=None)
    registration_opens_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    registration_closes_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    registration_override: Mapped[str | None] = mapped_column(String(20), default=None)
    max_participants: Mapped[int | None] = mapped_column(Integer, default=None)
    is_virtual: Mapped[bool | None] = mapped_column(Boolean, default=None)
    is_relay: Mapped[bool | None] = mapped_column(Boolean, default=None)
    is_walking: Mapped[bool | None] = mapped_column(Boolean, default=None)
    confirmed_count: Mapped[int] = mapped_column(Integer, default=0)
    waitlist_count: Mapped[int] = mapped_column(Integer, default=0)


class RunRow(Row, frozen=True):
    id: str
    organization_id: str
    event_id: str
    recurrence_id: str | None
    occurrence_date: dt.date | None
    course_id: str | None
    distance_meters: float
    distance_standard: str
    distance_label: str
    date: dt.date
    start_time: str | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    event_status: str
    registration_url: str | None
    registration_opens_at: dt.datetime | None
    registration_closes_at: dt.datetime | None
    registration_override: str | None
    max_participants: int | None
    is_virtual: bool | None
    is_relay: bool | None
    is_walking: bool | None
    confirmed_count: int
    waitlist_count: int
    created_at: dt.datetime
    updated_at: dt.datetime


# The one rule of a free seat, as SQL (the atomic seat-taking update) and in Python.
SEAT_LEFT: ColumnElement[bool] = or_(
    Run.max_participants.is_(None), Run.confirmed_count < Run.max_participants
)


def seat_left(run: Run | RunRow) -> bool:
    return run.max_participants is None or run.confirmed_count < run.max_participants
