from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intervals_server.models.base import Base, IdMixin, TimestampsMixin


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
