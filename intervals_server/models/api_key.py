from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intervals_server.models.base import Base, IdMixin, Row, TimestampsMixin, UTCDateTime


class ApiKey(IdMixin, TimestampsMixin, Base):
    """A partner credential. Only the SHA-256 of the secret is kept; ``prefix`` identifies it."""

    __tablename__ = "api_keys"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(20))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # The operator's override of the plan's limit: ``rate_limit`` requests per
    # ``rate_limit_period`` seconds (both NULL: the plan's).
    rate_limit: Mapped[int | None] = mapped_column(Integer, default=None)
    rate_limit_period: Mapped[int | None] = mapped_column(Integer, default=None)


class ApiKeyRow(Row, frozen=True):
    """A key as authentication reads it, with its organization's plan."""

    id: str
    organization_id: str
    name: str
    prefix: str
    secret_hash: str
    scopes: list[str]
    revoked_at: datetime | None
    rate_limit: int | None
    rate_limit_period: int | None
    created_at: datetime
    updated_at: datetime
    plan: str
