from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, case, func, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from intervals.kit.errors import Conflict
from intervals.kit.pagination import Listing
from intervals.kit.repository import columns, get_owned, violates
from intervals.models import Registration
from intervals.models.registration import LIVE_STATUSES
from intervals.reads import Reads
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


async def has_live(session: AsyncSession, run_id: str, email_key: str) -> bool:
    found = await session.scalar(
        select(Registration.id).where(
            Registration.run_id == run_id,
            Registration.email_key == email_key,
            Registration.status.in_(LIVE_STATUSES),
        )
    )
    return found is not None


async def add(session: AsyncSession, registration: Registration) -> None:
    session.add(registration)
    try:
        await session.flush()
    except IntegrityError as exc:
        if violates(exc, "uq_registrations_live_email") or violates(exc, "email_key"):
            raise Conflict(DUPLICATE, reason="duplicate_registration") from exc
        raise


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
    reads: Reads, organization_id: str, query: RegistrationListQuery
) -> tuple[list[Any], bool]:
    """A page of the event's registrations, each with its ``waitlist_position``."""
    filters = {
        "run_id": query.event_run_id,
        "status": query.registration_status,
        "email_key": query.email.lower() if query.email is not None else None,
    }
    return await _LISTING.page(
        reads,
        query,
        scope={"organization_id": organization_id, "event_id": query.event_id},
        filters=filters,
    )
