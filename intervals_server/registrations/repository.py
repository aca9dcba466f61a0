from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import bindparam, func, literal_column, select, tuple_, update

from intervals_server.db import (
    UNIQUE_VIOLATIONS,
    Insert,
    Listing,
    Query,
    Repository,
    owned,
    row_columns,
    tenant,
)
from intervals_server.models import Registration, RegistrationRow
from intervals_server.models.registration import LIVE_STATUSES
from intervals_server.registrations.errors import DuplicateRegistration
from intervals_server.registrations.schemas import RegistrationListQuery

_COLUMNS = row_columns(RegistrationRow, Registration)
_OWNED = Query(select(*_COLUMNS).where(owned(Registration)), RegistrationRow)
_OF_RUN = (Registration.run_id == bindparam("run_id"), tenant(Registration))


def _ranked_waitlist() -> Query[Any]:
    """The run's waitlisted registrations created from ``since`` to ``until``, each with its
    place in the run's waitlist (1 for the first): the waitlisted created before ``since``
    counted once on the index, then one window function numbering the range after them."""
    waitlisted = (
        Registration.run_id == bindparam("run_id"),
        Registration.status == literal_column("'waitlist'"),
    )
    # Unscoped, so the count stays an index-only scan: it only numbers rows the outer,
    # scoped query returns, and a run's registrations are all its organization's.
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
            tenant(Registration),
            Registration.created_at >= bindparam("since"),
            Registration.created_at <= bindparam("until"),
        )
    )


_RANKED_WAITLIST = _ranked_waitlist()
_LIVE_EXISTS = Query(
    select(Registration.id).where(
        *_OF_RUN,
        Registration.email_key == bindparam("email_key"),
        # Written out, not bound: the partial unique index's own predicate, for the planner.
        Registration.status.in_([literal_column(f"'{status}'") for status in LIVE_STATUSES]),
    )
)
_INSERT = Insert(Registration)
_LISTING = Listing(
    RegistrationRow,
    _COLUMNS,
    scope={"organization_id": Registration.organization_id, "event_id": Registration.event_id},
    filters={
        "run_id": lambda run_id: Registration.run_id == run_id,
        "status": lambda status: Registration.status == status,
        "email_key": lambda email_key: Registration.email_key == email_key,
    },
    order=[Registration.created_at, Registration.id],
)
PROMOTION_BATCH = 500


class Placed(Protocol):
    """What a waitlist position is worked out from: a registration, row or model."""

    @property
    def id(self) -> str: ...

    @property
    def run_id(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def created_at(self) -> datetime: ...


class RegistrationRepository(Repository):
    async def get(self, registration_id: str) -> Registration | None:
        return await self._get_owned(Registration, registration_id)

    async def get_for_update(self, registration_id: str) -> Registration | None:
        return await self._get_owned(Registration, registration_id, lock=True)

    async def find_row(self, registration_id: str) -> RegistrationRow | None:
        return await self.store.reads.first(
            _OWNED, id=registration_id, organization_id=self.organization_id
        )

    async def page(
        self, query: RegistrationListQuery, email_key: str | None
    ) -> tuple[list[RegistrationRow], bool]:
        """A page of the event's registrations (their waitlist positions apart); with an
        ``email_key``, those of that email only."""
        filters = {
            "run_id": query.event_run_id,
            "status": query.registration_status,
            "email_key": email_key,
        }
        return await _LISTING.page(
            self.store.reads,
            query,
            scope={"organization_id": self.organization_id, "event_id": query.event_id},
            filters=filters,
        )

    async def waitlist_positions(self, registrations: Iterable[Placed]) -> dict[str, int]:
        """Each waitlisted registration's place in its run's waitlist (1 for the first), by
        ``_id``: one numbered range per run, from its first to its last given registration."""
        spans: dict[str, tuple[datetime, datetime]] = {}
        for registration in registrations:
            if registration.status != "waitlist":
                continue
            created = registration.created_at
            since, until = spans.get(registration.run_id, (created, created))
            spans[registration.run_id] = (min(since, created), max(until, created))
        positions: dict[str, int] = {}
        for run_id, (since, until) in spans.items():
            rows = await self.store.statements.all(
                _RANKED_WAITLIST,
                run_id=run_id,
                organization_id=self.organization_id,
                since=since,
                until=until,
            )
            for row in rows:
                positions[row.id] = row.position
        return positions

    async def live_exists(self, run_id: str, email_key: str) -> bool:
        """Whether the email already holds a confirmed or waitlisted place on the run."""
        found = await self.store.prepared.first(
            _LIVE_EXISTS, run_id=run_id, organization_id=self.organization_id, email_key=email_key
        )
        return found is not None

    async def insert_new(self, **values: Any) -> RegistrationRow:
        """Insert a registration in the repository's organization, the columns not given
        filled from the model's defaults (``created_at`` stamped now); a second live one
        for its email is a 409. Returns the row inserted."""
        row = _INSERT.complete(values)
        row["organization_id"] = self.organization_id
        try:
            await self.store.prepared.run(_INSERT, **row)
        except UNIQUE_VIOLATIONS as exc:
            if _duplicate(str(exc)):
                raise DuplicateRegistration() from exc
            raise
        return RegistrationRow(**row)

    async def confirm_first_waitlisted(self, run_id: str, count: int | None, now: datetime) -> int:
        """Confirm the run's first ``count`` waitlisted registrations (every one for None),
        in waitlist order, ``PROMOTION_BATCH`` to a statement so none runs for long however
        long the waitlist. Returns how many were confirmed. The caller holds the run's lock."""
        confirmed = 0
        last: tuple[datetime, str] | None = None
        while count is None or confirmed < count:
            batch = PROMOTION_BATCH if count is None else min(PROMOTION_BATCH, count - confirmed)
            first = (
                select(Registration.id)
                .where(
                    Registration.run_id == run_id,
                    Registration.organization_id == self.organization_id,
                    Registration.status == "waitlist",
                )
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
            promoted = (await self.store.session.execute(statement)).all()
            if not promoted:
                break
            confirmed += len(promoted)
            last = max((row.created_at, row.id) for row in promoted)
            if len(promoted) < batch:
                break
        return confirmed


def _duplicate(message: str) -> bool:
    # PostgreSQL names the partial unique index; SQLite the columns it covers.
    return "uq_registrations_live_email" in message or "email_key" in message
