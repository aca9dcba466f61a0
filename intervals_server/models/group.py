from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intervals_server.models.base import Base, IdMixin, Row, TimestampsMixin


class Group(IdMixin, TimestampsMixin, Base):
    __tablename__ = "groups"
    __table_args__ = (
        UniqueConstraint("organization_id", "slug"),
        Index("ix_groups_listing", "organization_id", "created_at", "id"),
    )

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="active")
    description: Mapped[str | None] = mapped_column(Text, default=None)
    card_image_id: Mapped[str | None] = mapped_column(String(200), default=None)
    cover_image_id: Mapped[str | None] = mapped_column(String(200), default=None)


class GroupRow(Row, frozen=True):
    id: str
    organization_id: str
    name: str
    slug: str
    status: str
    description: str | None
    card_image_id: str | None
    cover_image_id: str | None
    created_at: datetime
    updated_at: datetime
