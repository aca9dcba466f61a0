from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    bindparam,
    func,
    insert,
    literal_column,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.db import UNIQUE_VIOLATIONS, Command, InTransaction, Listing, Query, Reads
from intervals_server.kit.errors import Conflict
from intervals_server.kit.repository import columns, get_owned
from intervals_server.models import Registration
from intervals_server.models.registration import LIVE_STATUSES
from intervals_server.registrations.schemas import RegistrationListQuery

DUPLICATE = "This email already has a live registration for this run"


async def get(
    session: AsyncSession, organization_id: str, registration_id: str, *, lock: bool = False
) -> Registration | None:
    return await get_owned(session, Registration, organization_id, registration_id, lock=lock)


_OWNED = Query(
    select(*columns(Registration)).where(
        Registration.id == bindparam("registration_id"),
        Registration.organization_id == bindparam("organization_id"),
    )
)


async def find(reads: Reads, organization_id: str, registration_id: str) -> Any | None:
    """The registration (a row of its columns) if it is the organization's, else None."""
    return await reads.first(
        _OWNED, registration_id=registration_id, organization_id=organization_id
    )


def _ranked_waitlist() -> Query:
    """The run's waitlisted registrations created from ``since`` to ``until``, each with its
    place in the run's waitlist (1 for the first): the waitlisted created before ``since``
    counted once on the index, then one window function numbering the range after them."""
    waitlisted = (
        Registration.run_id == bindparam("run_id"),
        Registration.status == literal_column("'waitlist'"),
    )
    before = (
        select(func.count())
        .select_from(Registration)
        .where(*waitlisted, Registration.created_at < bindparam("since"))
        .scalar_subquery()
    )
    position = before + func.row_number().over(order_by=(Registration.created_at, Registration.id))
    return Query(
        select(Registration.id, position.label("position")).where(
            *waitlisted,
            Registration.created_at >= bindparam("since"),
            Registration.created_at <= bindparam("until"),
        )
    )


_RANKED_WAITLIST = _ranked_waitlist()


async def waitlist_positions(reads: Reads, registrations: Iterable[Any]) -> dict[str, int]:
    """Each waitlisted registration's place in its run's waitlist (1 for the first), by
    ``_id``: one numbered range per run, from its first to its last given registration."""
    spans: dict[str, tuple[Any, Any]] = {}
    for registration in registrations:
        if registration.status != "waitlist":
            continue
        since, until = spans.get(
            registration.run_id, (registration.created_at, registration.created_at)
        )
        spans[registration.run_id] = (
            min(since, registration.created_at),
            max(until, registration.created_at),
        )
    positions: dict[str, int] = {}
    for run_id, (since, until) in spans.items():
        for row in await reads.all(_RANKED_WAITLIST, run_id=run_id, since=since, until=until):
            positions[row.id] = row.position
    return positions


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
    except UNIQUE_VIOLATIONS as exc:
        if _duplicate(str(exc)):
            raise Conflict(DUPLICATE, reason="duplicate_registration") from exc
        raise


def _duplicate(message: str) -> bool:
    # PostgreSQL names the partial unique index; SQLite the columns it covers.
    return "uq_registrations_live_email" in message or "email_key" in message


PROMOTION_BATCH = 500


async def confirm_first_waitlisted(
    session: AsyncSession, run_id: str, count: int | None, now: datetime
) -> int:
    """Confirm the run's first ``count`` waitlisted registrations (every one for None), in
    waitlist order, ``PROMOTION_BATCH`` to a statement so none runs for long however long
    the waitlist. Returns how many were confirmed. The caller holds the run's lock."""
    confirmed = 0
    last: tuple[datetime, str] | None = None
    while count is None or confirmed < count:
        batch = PROMOTION_BATCH if count is None else min(PROMOTION_BATCH, count - confirmed)
        first = (
            select(Registration.id)
            .where(Registration.run_id == run_id, Registration.status == "waitlist")
            .order_by(Registration.created_at, Registration.id)
            .limit(batch)
        )
        if last is not None:
            # Past the previous batch: PostgreSQL need not step over its old row versions.
            first = first.where(tuple_(Registration.created_at, Registration.id) > last)
        statement = (
            update(Registration)
            .where(Registration.id.in_(first.scalar_subquery()))
            .values(status="confirmed", updated_at=now)
            .returning(Registration.created_at, Registration.id)
            .execution_options(synchronize_session=False)
        )
        promoted = (await session.execute(statement)).all()
        if not promoted:
            break
        confirmed += len(promoted)
        last = max((row.created_at, row.id) for row in promoted)
        if len(promoted) < batch:
            break
    return confirmed


_LISTING = Listing(
    columns(Registration),
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
    """A page of the event's registrations (their waitlist positions apart); with an
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
