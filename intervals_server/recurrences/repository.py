from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any, cast

from sqlalchemy import Table, Text, func, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Row

from intervals_server.db import Listing, Repository, Store, row_columns, tenant
from intervals_server.models import Course, Event, Recurrence, RecurrenceRow, Registration, Run
from intervals_server.recurrences.schemas import RecurrenceListQuery

# A list page reads each schedule as its stored JSON text (``RecurrenceRow``).
_LISTING = Listing(
    RecurrenceRow,
    [
        sql_cast(column, Text).label(column.key) if column.key == "schedule" else column
        for column in row_columns(RecurrenceRow, Recurrence)
    ],
    scope={"organization_id": Recurrence.organization_id},
    filters={
        "status": lambda status: Recurrence.status == status,
        "event_id": lambda event_id: Recurrence.event_id == event_id,
    },
    order=[Recurrence.created_at, Recurrence.id],
)


class RecurrenceRepository(Repository):
    async def get(self, recurrence_id: str) -> Recurrence | None:
        return await self._get_owned(Recurrence, recurrence_id)

    async def get_for_update(self, recurrence_id: str) -> Recurrence | None:
        """The recurrence, locked: a publisher waits until its change is committed."""
        return await self._get_owned(Recurrence, recurrence_id, lock=True)

    async def add(self, recurrence: Recurrence) -> None:
        recurrence.organization_id = self.organization_id
        self.store.session.add(recurrence)
        await self.store.session.flush()

    async def page(self, query: RecurrenceListQuery) -> tuple[list[RecurrenceRow], bool]:
        return await _LISTING.page(
            self.store.reads,
            query,
            scope={"organization_id": self.organization_id},
            filters={"status": query.status, "event_id": query.event_id},
        )

    async def count_live_of_event(self, event_id: str) -> int:
        """How many of the event's recurrences are active or paused."""
        statement = (
            select(func.count())
            .select_from(Recurrence)
            .where(
                Recurrence.event_id == event_id,
                tenant(Recurrence),
                Recurrence.status != "archived",
            )
        )
        values = {"organization_id": self.organization_id}
        return int(await self.store.session.scalar(statement, values) or 0)

    async def models_of_future_runs(self, recurrence_id: str, today: dt.date) -> Sequence[Run]:
        """The recurrence's runs from ``today`` on, locked against new registrations."""
        statement = (
            select(Run)
            .where(
                Run.recurrence_id == recurrence_id,
                tenant(Run),
                Run.occurrence_date >= today,
            )
            .order_by(Run.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        values = {"organization_id": self.organization_id}
        return (await self.store.session.scalars(statement, values)).all()

    async def registered_runs(self, run_ids: Sequence[str]) -> set[str]:
        """Which of the runs have any registration, cancelled ones included."""
        if not run_ids:
            return set()
        statement = (
            select(Registration.run_id)
            .where(Registration.run_id.in_(run_ids), tenant(Registration))
            .distinct()
        )
        values = {"organization_id": self.organization_id}
        return set((await self.store.session.scalars(statement, values)).all())

    async def delete_run(self, run: Run) -> None:
        await self.store.session.delete(run)


class PublishingRepository:
    """The publisher's queries, across every organization: a pass publishes for all."""

    __slots__ = ("store",)

    def __init__(self, store: Store) -> None:
        self.store = store

    async def publishable(
        self,
        *,
        after: str | None = None,
        limit: int | None = None,
        recurrence_id: str | None = None,
    ) -> Sequence[Row[Any]]:
        """Active recurrences, by ID, with what publishing their runs needs.

        The recurrence rows are share-locked, so a pause or archive committed meanwhile is
        seen, and one in progress waits for the publisher (PostgreSQL; SQLite serializes
        writers anyway).
        """
        statement = (
            select(
                Recurrence.id,
                Recurrence.organization_id,
                Recurrence.event_id,
                Recurrence.schedule,
                Recurrence.auto_publish_horizon_weeks.label("horizon_weeks"),
                Recurrence.default_course_id.label("course_id"),
                Event.timezone,
                Course.distance_meters,
                Course.distance_standard,
                Course.distance_label,
            )
            .join(Event, Event.id == Recurrence.event_id)
            .outerjoin(Course, Course.id == Recurrence.default_course_id)
            .where(Recurrence.status == "active")
            .order_by(Recurrence.id)
            .with_for_update(read=True, of=Recurrence)
        )
        if after is not None:
            statement = statement.where(Recurrence.id > after)
        if recurrence_id is not None:
            statement = statement.where(Recurrence.id == recurrence_id)
        if limit is not None:
            statement = statement.limit(limit)
        return (await self.store.session.execute(statement)).all()

    async def first_run_distances(
        self, event_ids: Collection[str]
    ) -> dict[str, tuple[float, str, str]]:
        """Each event's first run's distance (meters, standard, label), by creation."""
        if not event_ids:
            return {}
        rank = (
            func.row_number()
            .over(partition_by=Run.event_id, order_by=(Run.created_at, Run.id))
            .label("rank")
        )
        ranked = (
            select(
                Run.event_id, Run.distance_meters, Run.distance_standard, Run.distance_label, rank
            )
            .where(Run.event_id.in_(event_ids))
            .subquery()
        )
        rows = await self.store.session.execute(select(ranked).where(ranked.c.rank == 1))
        return {
            row.event_id: (row.distance_meters, row.distance_standard, row.distance_label)
            for row in rows
        }

    async def run_counts(self, event_ids: Collection[str]) -> dict[str, int]:
        """How many runs each of the events holds (events without runs are left out)."""
        if not event_ids:
            return {}
        statement = (
            select(Run.event_id, func.count())
            .where(Run.event_id.in_(event_ids))
            .group_by(Run.event_id)
        )
        return {row[0]: row[1] for row in await self.store.session.execute(statement)}

    async def published_occurrences(
        self, recurrence_ids: Collection[str], since: dt.date
    ) -> set[tuple[str | None, dt.date | None]]:
        """The (recurrence, occurrence date) keys already published from ``since`` on."""
        statement = select(Run.recurrence_id, Run.occurrence_date).where(
            Run.recurrence_id.in_(recurrence_ids), Run.occurrence_date >= since
        )
        return {(row[0], row[1]) for row in await self.store.session.execute(statement)}

    async def insert_runs(self, rows: Sequence[dict[str, Any]]) -> int:
        """Insert the runs no one has published yet; the others are skipped, not duplicated.
        The columns the rows leave out get the model's defaults (SQLAlchemy fills them).

        Rows go in (recurrence, occurrence) order, the same in every publisher, so two
        publishers inserting the same keys wait for each other instead of deadlocking.
        """
        if not rows:
            return 0
        dialect = self.store.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        runs = cast(Table, Run.__table__)
        statement = insert(runs).on_conflict_do_nothing().returning(runs.c.id)
        result = await self.store.session.execute(statement, list(rows))
        return len(result.all())
