from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column

from intervals_server.models.base import Base, IdMixin, Row, TimestampsMixin


class Event(IdMixin, TimestampsMixin, Base):
    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("organization_id", "slug"),)

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    group_id: Mapped[str | None] = mapped_column(ForeignKey("groups.id"), default=None)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(20))
    date: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[str | None] = mapped_column(String(5), default=None)
    end_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    end_time: Mapped[str | None] = mapped_column(String(5), default=None)
    address: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    lat: Mapped[float | None] = mapped_column(Float, default=None)
    lng: Mapped[float | None] = mapped_column(Float, default=None)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    website_url: Mapped[str | None] = mapped_column(String(2000), default=None)
    registration_url: Mapped[str | None] = mapped_column(String(2000), default=None)
    timezone: Mapped[str] = mapped_column(String(64))


# Events list by (date, start time, id); a missing start time sorts first. The empty
# string is a literal, not a parameter, so PostgreSQL can match queries to the index.
START_TIME_SORT = func.coalesce(Event.start_time, literal_column("''"))
Index("ix_events_listing", Event.organization_id, Event.date, START_TIME_SORT, Event.id)
Index("ix_events_group_listing", Event.group_id, Event.date, START_TIME_SORT, Event.id)


class EventRow(Row, frozen=True):
    id: str
    organization_id: str
    group_id: str | None
    name: str
    slug: str
    type: str
    date: dt.date
    start_time: str | None
    end_date: dt.date | None
    end_time: str | None
    address: dict[str, Any] | None
    lat: float | None
    lng: float | None
    description: str | None
    website_url: str | None
    registration_url: str | None
    timezone: str
    created_at: dt.datetime
    updated_at: dt.datetime
