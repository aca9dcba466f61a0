"""Declarative base and the column types every model shares."""

from __future__ import annotations

import operator
import typing
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import repeat
from typing import Any

import msgspec
from sqlalchemy import DateTime, MetaData, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        instant = typing.cast(datetime, value)
        if instant.tzinfo is UTC:  # asyncpg's, already
            return instant
        if instant.tzinfo is None:
            return instant.replace(tzinfo=UTC)
        return instant.astimezone(UTC)

    def driver_column_processor(
        self, dialect: Dialect
    ) -> Callable[[tuple[Any, ...]], tuple[Any, ...]] | None:
        """How prepared statements (``intervals_server.db.statements``) convert a column of
        the driver's values: asyncpg's instants are UTC already; SQLite's naive UTC text is
        parsed with its zone in C, not given its zone by a Python call per value."""
        return _utc_column_from_text if dialect.name == "sqlite" else None


def _utc_column_from_text(values: tuple[str | None, ...]) -> tuple[datetime | None, ...]:
    try:
        return tuple(map(datetime.fromisoformat, map(operator.add, values, repeat("+00:00"))))
    except (TypeError, ValueError):  # a NULL, or text written with its own offset
        return tuple(map(_utc_from_text, values))


def _utc_from_text(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value + "+00:00")
    except ValueError:
        return datetime.fromisoformat(value).astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class IdMixin:
    id: Mapped[str] = mapped_column(String(16), primary_key=True)


class TimestampsMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Row(msgspec.Struct, frozen=True, gc=False):
    """A row as a hot read returns it (``intervals_server.db``): each resource declares one
    beside its model, with the columns it reads as fields, so that what a presenter is
    handed is typed, whichever path read it. Untracked by the collector: plain values only.
    """
