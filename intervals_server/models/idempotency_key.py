from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from intervals_server.models.base import Base, UTCDateTime


class IdempotencyKey(Base):
    """One ``Idempotency-Key`` of one API key: reserved while its request runs, then the
    response it got, replayed until ``expires_at``."""

    __tablename__ = "idempotency_keys"

    api_key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    # 'in_progress' while a request holds it (until ``lease_until``), then 'completed'.
    state: Mapped[str] = mapped_column(String(16))
    # Which request holds the reservation: only its transaction may complete it.
    owner: Mapped[str] = mapped_column(String(32))
    lease_until: Mapped[datetime] = mapped_column(UTCDateTime())
    status_code: Mapped[int | None] = mapped_column(Integer, default=None)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
