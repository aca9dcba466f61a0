"""A long waitlist: registration pages deep in it, and promoting it all at once.

    python bench/waitlist.py [--waitlisted 50000] [--rounds 5] [--backends sqlite,postgresql]

Each backend gets a throwaway database (as the tests do). One run with no seats gets
``--waitlisted`` waitlisted registrations, written in bulk. Then, through the HTTP API
(the app in this process, as the tests call it):

- ``GET /registration?eventId=…&eventRunId=…&limit=50``: page one, and the last page
  (``after`` the registration 50 before the end), each the median of ``--rounds`` calls;
  and the last page again without ``eventRunId``;
- ``PATCH /runs/{id}`` raising ``maxParticipants`` by the whole waitlist, which confirms
  every waitlisted registration in the request's transaction, while other tasks of the
  same process call ``GET /organization`` and ``POST /registration`` (on another run of
  the event) in loops: the slowest of each shows how long the promotion held up the
  other reads and writes (on SQLite every write waits for the database's one writer).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

from intervals_server.app import create_app
from intervals_server.auth.scopes import ALL_SCOPES
from intervals_server.auth.service import issue_key
from intervals_server.config import Settings
from intervals_server.db import Database
from intervals_server.kit import ids
from intervals_server.models import Event, Registration, Run
from intervals_server.organizations.service import create_organization
from intervals_server.testing import temporary_database

T0 = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
BATCH = 5_000
PAGE = 50


async def seed(database: Database, waitlisted: int) -> tuple[str, str, str, str]:
    """The API key, the event, the run and the registration 50 before the end."""
    async with database.write() as session:
        organization = await create_organization(
            session, name="Bench club", slug="bench-club", plan="enterprise", timezone="UTC"
        )
        issued = await issue_key(session, organization.id, name="bench", scopes=ALL_SCOPES)
        event_id, run_id = ids.new_id(ids.EVENT), ids.new_id(ids.RUN)
        await session.execute(
            insert(Event).values(
                id=event_id,
                organization_id=organization.id,
                name="Marathon",
                slug="marathon",
                type="race",
                date=T0.date(),
                timezone="UTC",
            )
        )
        await session.execute(
            insert(Run).values(
                id=run_id,
                organization_id=organization.id,
                event_id=event_id,
                distance_meters=42195.0,
                distance_standard="Marathon",
                distance_label="Marathon",
                date=T0.date(),
                max_participants=0,
                confirmed_count=0,
                waitlist_count=waitlisted,
            )
        )
    rows = [
        {
            "id": registration_id,
            "organization_id": organization.id,
            "event_id": event_id,
            "run_id": run_id,
            "email": f"runner{index}@example.com",
            "email_key": f"runner{index}@example.com",
            "registration_type": "free",
            "status": "waitlist",
            "created_at": T0 + dt.timedelta(milliseconds=index),
            "updated_at": T0 + dt.timedelta(milliseconds=index),
        }
        for index, registration_id in enumerate(ids.new_ids(ids.REGISTRATION, waitlisted))
    ]
    for start in range(0, len(rows), BATCH):
        async with database.write() as session:
            await session.execute(insert(Registration), rows[start : start + BATCH])
    async with database.writer.connect() as connection:
        await connection.exec_driver_sql("ANALYZE")
        await connection.commit()
    return issued.secret, event_id, run_id, str(rows[-PAGE - 1]["id"])


async def median_seconds(call: Any, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = await call()
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
    return statistics.median(times)


async def promote(
    http: httpx.AsyncClient, event_id: str, run_id: str, seats: int
) -> tuple[float, float, float]:
    """Seconds the PATCH took, and the slowest read and write of other tasks meanwhile."""
    done = asyncio.Event()
    slowest = {"read": 0.0, "write": 0.0}
    created = await http.post(
        f"/events/{event_id}/runs", json={"distanceMeters": 5000, "distanceStandard": "5K"}
    )
    other_run = created.json()["data"]["runId"]
    emails = iter(range(10**9))

    async def read() -> Any:
        return await http.get("/organization")

    async def write() -> Any:
        body = {
            "eventRunId": other_run,
            "email": f"other{next(emails)}@example.com",
            "registrationType": "free",
        }
        return await http.post("/registration", json=body)

    async def loop(kind: str, call: Any) -> None:
        while not done.is_set():
            started = time.perf_counter()
            response = await call()
            assert response.status_code in (200, 201), response.text
            slowest[kind] = max(slowest[kind], time.perf_counter() - started)
            await asyncio.sleep(0.005)

    watchers = [asyncio.create_task(loop("read", read)), asyncio.create_task(loop("write", write))]
    await asyncio.sleep(0.1)
    started = time.perf_counter()
    response = await http.patch(f"/runs/{run_id}", json={"maxParticipants": seats})
    took = time.perf_counter() - started
    done.set()
    await asyncio.gather(*watchers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["confirmedCount"] == seats, response.text
    return took, slowest["read"], slowest["write"]


async def bench(backend: str, waitlisted: int, rounds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        async with temporary_database(backend, Path(folder)) as url:
            database = Database(url)
            try:
                key, event_id, run_id, deep_cursor = await seed(database, waitlisted)
                settings = Settings(database_url=url, rate_limits=False, log_level="WARNING")
                app = create_app(settings, database=database)
                transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
                async with httpx.AsyncClient(
                    transport=transport,
                    base_url="http://bench",
                    headers={"Authorization": f"Bearer {key}"},
                    timeout=120,
                ) as http:
                    params = {"eventId": event_id, "eventRunId": run_id, "limit": str(PAGE)}
                    first = await median_seconds(
                        lambda: http.get("/registration", params=params), rounds
                    )
                    deep = await median_seconds(
                        lambda: http.get("/registration", params={**params, "after": deep_cursor}),
                        rounds,
                    )
                    event_only = {"eventId": event_id, "limit": str(PAGE), "after": deep_cursor}
                    deep_event = await median_seconds(
                        lambda: http.get("/registration", params=event_only), rounds
                    )
                    last = await http.get("/registration", params={**params, "after": deep_cursor})
                    positions = [item["waitlistPosition"] for item in last.json()["data"]]
                    assert positions == list(range(waitlisted - PAGE + 1, waitlisted + 1))
                    promotion, slowest, slowest_write = await promote(
                        http, event_id, run_id, waitlisted
                    )
            finally:
                await database.dispose()
    return {
        "first": first,
        "deep": deep,
        "deep_event": deep_event,
        "promotion": promotion,
        "slowest": slowest,
        "slowest_write": slowest_write,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waitlisted", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgresql")
    arguments = parser.parse_args()
    print(f"{arguments.waitlisted} waitlisted on one run; pages of {PAGE}")
    print(
        f"{'backend':<11}{'page 1 ms':>10}{'last page ms':>14}{'(eventId only)':>16}"
        f"{'promote all s':>15}{'slowest read s':>16}{'slowest write s':>17}"
    )
    for backend in arguments.backends.split(","):
        result = asyncio.run(bench(backend, arguments.waitlisted, arguments.rounds))
        print(
            f"{backend:<11}{result['first'] * 1000:>10.1f}{result['deep'] * 1000:>14.1f}"
            f"{result['deep_event'] * 1000:>16.1f}"
            f"{result['promotion']:>15.2f}{result['slowest']:>16.2f}"
            f"{result['slowest_write']:>17.2f}"
        )


if __name__ == "__main__":
    main()
