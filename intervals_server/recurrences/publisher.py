"""The publisher: one run per occurrence of every active recurrence, through its horizon.

Occurrences are computed in Python and inserted with insert-or-ignore on the unique key
(recurrence, occurrence date), a batch of recurrences to a transaction: running it twice,
or twice at once from several processes against one database, never makes a duplicate
run. An event at its runs quota gets no more (the rest is logged, not failed). Runs
already published are left alone; pausing, archiving and re-planning are the
recurrence's (``service.py``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any

import msgspec
from sqlalchemy.engine import Row

from intervals_server.db import Database, Store
from intervals_server.events import quotas
from intervals_server.kit import ids
from intervals_server.kit.timeutil import zone
from intervals_server.ops.metrics import record_publish_pass
from intervals_server.recurrences.repository import PublishingRepository
from intervals_server.recurrences.schedule import Occurrence, occurrences
from intervals_server.recurrences.schemas import Schedule

logger = logging.getLogger("intervals.publisher")

Clock = Callable[[], dt.datetime]
BATCH_SIZE = 500
# The contract's fallback when neither a course nor a run gives a distance.
FALLBACK_DISTANCE = (0.0, "Other", "Other")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_today(timezone: str, now: dt.datetime) -> dt.date:
    return now.astimezone(zone(timezone)).date()


def horizon(timezone: str, weeks: int, now: dt.datetime) -> tuple[dt.date, dt.date]:
    """The first and last local dates a recurrence keeps published: today and the
    ``weeks`` weeks that start with it (a weekly schedule gets ``weeks`` runs)."""
    today = local_today(timezone, now)
    return today, today + dt.timedelta(weeks=weeks, days=-1)


class _Pass:
    """One publishing pass at one instant; what repeats across its recurrences (shared
    schedules, an event's distance) is computed once."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self._occurrences: dict[tuple[bytes, str, int], list[Occurrence]] = {}
        self._distances: dict[str, tuple[float, str, str]] = {}
        # Events at their runs quota: occurrences left unpublished, by event.
        self.held_back: dict[str, int] = {}

    def occurrences_of(self, plan: Row[Any]) -> list[Occurrence]:
        """``plan``'s occurrences within its horizon (a row ``publishable`` returned)."""
        key = (msgspec.json.encode(plan.schedule), plan.timezone, plan.horizon_weeks)
        found = self._occurrences.get(key)
        if found is None:
            start, end = horizon(plan.timezone, plan.horizon_weeks, self.now)
            schedule = msgspec.convert(plan.schedule, Schedule)
            found = self._occurrences[key] = occurrences(schedule, plan.timezone, start, end)
        return found

    async def _load_distances(
        self, repository: PublishingRepository, plans: Sequence[Row[Any]]
    ) -> None:
        missing = {
            plan.event_id
            for plan in plans
            if plan.distance_meters is None and plan.event_id not in self._distances
        }
        self._distances.update(await repository.first_run_distances(missing))

    def _distance(self, plan: Row[Any]) -> tuple[float, str, str]:
        if plan.distance_meters is not None:
            return plan.distance_meters, plan.distance_standard, plan.distance_label
        return self._distances.get(plan.event_id, FALLBACK_DISTANCE)

    async def publish(self, repository: PublishingRepository, plans: Sequence[Row[Any]]) -> int:
        """Insert the runs of ``plans``' occurrences not yet published; returns how many."""
        if not plans:
            return 0
        await self._load_distances(repository, plans)
        today = min(local_today(plan.timezone, self.now) for plan in plans)
        published = await repository.published_occurrences([plan.id for plan in plans], today)
        rows = []
        for plan in plans:
            meters, standard, label = self._distance(plan)
            for occurrence in self.occurrences_of(plan):
                if (plan.id, occurrence.date) in published:
                    continue
                rows.append(
                    {
                        "organization_id": plan.organization_id,
                        "event_id": plan.event_id,
                        "recurrence_id": plan.id,
                        "occurrence_date": occurrence.date,
                        "course_id": plan.course_id,
                        "distance_meters": meters,
                        "distance_standard": standard,
                        "distance_label": label,
                        "date": occurrence.date,
                        "start_time": occurrence.start_time,
                        "starts_at": occurrence.starts_at,
                        "ends_at": occurrence.ends_at,
                        "created_at": self.now,
                        "updated_at": self.now,
                    }
                )
        rows = await self._within_quota(repository, rows)
        for row, run_id in zip(rows, ids.new_ids(ids.RUN, len(rows)), strict=True):
            row["id"] = run_id
        # Another publisher may insert the same rows meanwhile: the unique key skips them.
        return await repository.insert_runs(rows)

    async def _within_quota(
        self, repository: PublishingRepository, rows: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """The rows each event still has room for, earliest first; the rest are held back
        (and logged): an event at its runs quota gets no more, and publishing goes on."""
        events = {row["event_id"] for row in rows}
        room = {
            event_id: quotas.runs_left(count)
            for event_id, count in (await repository.run_counts(events)).items()
        }
        kept = []
        held: dict[str, int] = {}
        for row in sorted(rows, key=lambda row: row["occurrence_date"]):
            event_id = row["event_id"]
            left = room.get(event_id, quotas.MAX_RUNS_PER_EVENT)
            if left > 0:
                room[event_id] = left - 1
                kept.append(row)
            else:
                held[event_id] = held.get(event_id, 0) + 1
        for event_id, count in held.items():
            self.held_back[event_id] = self.held_back.get(event_id, 0) + count
            logger.warning(
                "event %s holds its quota of %d runs: %d occurrences left unpublished",
                event_id,
                quotas.MAX_RUNS_PER_EVENT,
                count,
            )
        # Back in (recurrence, occurrence) order: see PublishingRepository.insert_runs.
        return sorted(kept, key=lambda row: (row["recurrence_id"], row["occurrence_date"]))


async def publish_recurrence(
    store: Store, recurrence_id: str, now: dt.datetime, *, whole: bool = False
) -> int:
    """Publish one recurrence's horizon in the caller's transaction (a request's); an
    inactive recurrence publishes nothing. Returns the number of runs created. ``whole``:
    a horizon that does not fit in its event's runs quota is a 409 ``quota_exceeded``
    (else what fits is published, as the periodic publisher does)."""
    repository = PublishingRepository(store)
    plans = await repository.publishable(recurrence_id=recurrence_id)
    publishing = _Pass(now)
    created = await publishing.publish(repository, plans)
    if whole and publishing.held_back:
        raise quotas.too_many_runs()
    return created


async def publish_all(
    database: Database,
    now: dt.datetime | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    stop: asyncio.Event | None = None,
) -> int:
    """Publish every active recurrence, ``batch_size`` to a transaction so writers are
    never held up for long. Returns the number of runs created.

    When ``stop`` is set the pass ends after the batch in hand is committed: a shutdown
    never leaves a batch half-written, nor waits for a whole pass.
    """
    publishing = _Pass(now or utc_now())
    created = 0
    after: str | None = None
    while True:
        async with database.write() as session:
            repository = PublishingRepository(Store(database, session))
            plans = await repository.publishable(after=after, limit=batch_size)
            created += await publishing.publish(repository, plans)
        if len(plans) < batch_size or (stop is not None and stop.is_set()):
            return created
        after = plans[-1].id


async def publish_periodically(
    database: Database,
    interval_seconds: float,
    clock: Clock = utc_now,
    *,
    stop: asyncio.Event | None = None,
) -> None:
    """Publish every ``interval_seconds`` until ``stop`` is set (between batches) or the
    task is cancelled; a failed pass is logged and retried next time, so a database
    hiccup never stops the publisher."""
    stop = stop or asyncio.Event()
    while not stop.is_set():
        started = time.perf_counter()
        try:
            created = await publish_all(database, clock(), stop=stop)
        except Exception:
            record_publish_pass(None)
            logger.exception("publishing failed; retrying in %g s", interval_seconds)
        else:
            record_publish_pass(created)
            # Every pass, so an operator sees the publisher is alive.
            logger.info(
                "publishing pass: %d runs published in %.2f s; next in %g s",
                created,
                time.perf_counter() - started,
                interval_seconds,
            )
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_seconds)
