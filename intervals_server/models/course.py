from __future__ import annotations

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from intervals_server.models.base import Base, IdMixin, TimestampsMixin


class Course(IdMixin, TimestampsMixin, Base):
    __tablename__ = "courses"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    distance_meters: Mapped[float] = mapped_column(Float)
    distance_standard: Mapped[str] = mapped_column(String(20))
    distance_label: Mapped[str] = mapped_column(String(100))
