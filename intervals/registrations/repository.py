from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import asyncpg
from sqlalchemy import (
    ColumnElement,
    bindparam,
    case,
    func,
    insert,
    literal_column,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from intervals.kit.errors import Conflict
from intervals.kit.pagination import Listing
from intervals.kit.repository import columns, get_owned
from intervals.models import Registration
from intervals.models.registration import LIVE_STATUSES
from intervals.reads import Command, InTransaction, Query, Reads
from intervals.registrations.schemas import RegistrationListQuery

DUPLICATE = "This email already has a live registration for this run"


def _waitlist_position() -> ColumnElement[Any]:
    """1 for the first waitlisted registration of its run, 2 for the next; else null."""
    earlier = aliased(Registration)
    count = (
        select(func.count())
        .where(
            earlier.run_id == Registration.run_id,
            earlier.status == "waitlist",
            tuple_(earlier.created_at, earlier.id)
            <= tuple_(Registration.created_at, Registration.id),
        )
        .scalar_subquery()
    )
    return case((Registration.status == "waitlist", count), else_=None)


async def get(
    session: AsyncSession, organization_id: str, registration_id: str, *, lock: bool = False
) -> Registration | None:
    return await get_owned(session, Registration, organization_id, registration_id, lock=lock)


async def waitlist_position(session: AsyncSession, registration_id: str) -> int | None:
    statement = select(_waitlist_position()).where(Registration.id == registration_id)
    return await session.scalar(statement)


_LIVE_EXISTS = Query(
    select(Registration.id).where(
        Registration.run_id == bindparam("run_id"),
        Registration.email_key == bindparam("email_key"),
        # Written out, not bound: the partial unique index's own predicate, for the planner.
        Registration.status.in_([literal_column(f"'{status}'") for status in LIVE_STATUSES]),
    )
)
_INSERT = Command(
    insert(Registration).values(
        {column.key: bindparam(column.key) for column in columns(Registration)}
    )
)


async def live_exists(statements: InTransaction, run_id: str, email_key: str) -> bool:
    """Whether the email already holds a confirmed or waitlisted place on the run."""
    return await statements.first(_LIVE_EXISTS, run_id=run_id, email_key=email_key) is not None


async def insert_new(statements: InTransaction, values: dict[str, Any]) -> None:
    """Insert a registration given every column; a second live one for its email is a 409."""
    try:
        await statements.run(_INSERT, **values)
    except (asyncpg.UniqueViolationError, sqlite3.IntegrityError) as exc:
        if _duplicate(str(exc)):
            raise Conflict(DUPLICATE, reason="duplicate_registration") from exc
        raise


def _duplicate(message: str) -> bool:
    # PostgreSQL names the partial unique index; SQLite the columns it covers.
    return "uq_registrations_live_email" in message or "email_key" in message


async def first_waitlisted(
    session: AsyncSession, run_id: str, count: int | None
) -> Sequence[Registration]:
    statement = (
        select(Registration)
        .where(Registration.run_id == run_id, Registration.status == "waitlist")
        .order_by(Registration.created_at, Registration.id)
    )
    if count is not None:
        statement = statement.limit(count)
    return (await session.scalars(statement)).all()


_LISTING = Listing(
    [*columns(Registration), _waitlist_position().label("waitlist_position")],
    scope={"organization_id": Registration.organization_id, "event_id": Registration.event_id},
    filters={
        "run_id": lambda run_id: Registration.run_id == run_id,
        "status": lambda status: Registration.status == status,
        "email_key": lambda email_key: Registration.email_key == email_key,
    },
    order=[Registration.created_at, Registration.id],
)


async def list_page(
    reads: Reads, organization_id: str, query: RegistrationListQuery, email_key: str | None
) -> tuple[list[Any], bool]:
    """A page of the event's registrations, each with its ``waitlist_position``; with an
    ``email_key``, those of that email only."""
    filters = {
        "run_id": query.event_run_id,
        "status": query.registration_status,
        "email_key": email_key,
    }
    return await _LISTING.page(
        reads,
        query,
        scope={"organization_id": organization_id, "event_id": query.event_id},
        filters=filters,
    )
