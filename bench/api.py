"""The partner API under load from wrk, against its ceiling and its floor, on one machine.

    python bench/api.py [--quick] [--backends sqlite,postgresql] [--workers 1,2]

For each database (a throwaway SQLite file, or a PostgreSQL database created through
INTERVALS_TEST_POSTGRES_URL and dropped afterwards) it seeds one club in bulk, then for
each worker count starts ``intervals serve`` (serving bench/ceiling_app.py: the server
with one more route, the in-memory ceiling) and the floor (bench/floor_app.py under granian, same
workers), and measures, interleaved so the machine's noise hits all alike:

- peak requests/s, p50 and p99 of each endpoint, the ceiling and the floor's same query;
- p99 of each GET at half its peak rate, and the floor's p99 at that same rate
  (connections waiting random times between requests: arrivals close to a Poisson stream);
- the page after row 10 000 of GET /events against the first page, one connection;
- 1 000 registrations fired at once over runs of 50 places, then every run's count.

Needs ``wrk`` (``apt-get install wrk``). Every wrk run is bounded by --seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import _load
import _seed
import httpx

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from ceiling_app import CEILING_PATH  # noqa: E402

from intervals_server.db import Database  # noqa: E402
from intervals_server.testing import (  # noqa: E402
    free_port,
    live_server,
    serving,
    temporary_database,
)

PEAK_CONNECTIONS = 32
CONTENTION = (1_000, 10, 50)  # registrations, runs, places per run
RUSH_CONNECTIONS, RUSH_THREADS = 100, 2


@dataclass
class Line:
    name: str
    peak: _load.Result
    floor: _load.Result | None = None
    half: _load.Result | None = None
    floor_half: _load.Result | None = None


@asynccontextmanager
async def floor_server(database_url: str, organization_id: str, workers: int) -> AsyncIterator[str]:
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("granian")),
        "--interface",
        "asgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--factory",
        "floor_app:create_app",
    ]
    environment = {
        **os.environ,
        "PYTHONPATH": str(BENCH),
        "FLOOR_DATABASE_URL": database_url,
        "FLOOR_ORGANIZATION_ID": organization_id,
    }
    async with serving(command, environment, f"http://127.0.0.1:{port}", ready_path="/events"):
        yield f"http://127.0.0.1:{port}"


def _median(
    runs: list[_load.Result], by: Callable[[_load.Result], float] = lambda run: run.rps
) -> _load.Result:
    return sorted(runs, key=by)[len(runs) // 2]


def _peak(url: str, path: str, seconds: float, headers: dict[str, str]) -> _load.Result:
    return _load.run(url, path, seconds=seconds, connections=PEAK_CONNECTIONS, headers=headers)


def _paced(
    url: str, path: str, seconds: float, headers: dict[str, str], rps: float
) -> _load.Result:
    """``path`` at about ``rps``: connections that each wait a random time between
    requests (see _load._THINK)."""
    connections = max(2, min(64, round(rps * 0.02)))
    delay = max(0, round(connections * 1000 / rps) - 1)
    return _load.run(
        url, path, seconds=seconds, connections=connections, headers=headers, delay_ms=delay
    )


async def measure(
    api: str, floor: str, seeded: _seed.Seeded, database: Database, args: argparse.Namespace
) -> tuple[list[Line], str]:
    auth = {"Authorization": f"Bearer {seeded.api_key}"}
    gets = {
        "GET /recurrences?status=active&limit=20": "/recurrences?status=active&limit=20",
        "GET /events?limit=50": "/events?limit=50",
        "GET /events/{id}": f"/events/{seeded.detail_event_id}",
        "GET /registration?eventId=…": f"/registration?eventId={seeded.listed_event_id}",
    }
    seconds = args.seconds
    ceiling: list[_load.Result] = []
    peaks: dict[str, list[_load.Result]] = {name: [] for name in gets}
    floors: dict[str, list[_load.Result]] = {name: [] for name in gets}
    posts: list[_load.Result] = []
    run = asyncio.to_thread
    for _ in range(args.rounds):
        ceiling.append(await run(_peak, api, CEILING_PATH, seconds, {}))
        for name, path in gets.items():
            peaks[name].append(await run(_peak, api, path, seconds, auth))
            floors[name].append(await run(_peak, floor, path, seconds, {}))
        posts.append(
            await run(
                _load.run,
                api,
                "/registration",
                seconds=seconds,
                connections=PEAK_CONNECTIONS,
                headers=auth,
                post_runs=[seeded.open_run_id],
                email_prefix=f"peak{len(posts)}w{args.current_workers}",
            )
        )
    lines = [Line("ceiling (memory, no auth)", _median(ceiling))]
    for name, path in gets.items():
        line = Line(name, _median(peaks[name]), _median(floors[name]))
        halves: list[_load.Result] = []
        floor_halves: list[_load.Result] = []
        for _ in range(args.rounds):
            halves.append(await run(_paced, api, path, seconds, auth, line.peak.rps / 2))
            # The floor at the same rate: what the machine and server give any app at that load.
            floor_halves.append(await run(_paced, floor, path, seconds, {}, line.peak.rps / 2))
        line.half = _median(halves, by=lambda half: half.p99_ms)
        line.floor_half = _median(floor_halves, by=lambda half: half.p99_ms)
        lines.append(line)
    lines.append(Line("POST /registration", _median(posts)))
    notes = [
        await deep_page(api, seeded, seconds, auth),
        await contention(api, seeded, database, auth),
    ]
    return lines, "\n".join(notes)


async def deep_page(api: str, seeded: _seed.Seeded, seconds: float, auth: dict[str, str]) -> str:
    first = "/events?limit=50"
    deep = f"/events?limit=50&after={seeded.deep_cursor}"
    one = {"seconds": seconds, "connections": 1, "headers": auth}
    first_result = await asyncio.to_thread(_load.run, api, first, **one)  # type: ignore[arg-type]
    deep_result = await asyncio.to_thread(_load.run, api, deep, **one)  # type: ignore[arg-type]
    return (
        f"deep page (after row 10 000), one connection: p50 {deep_result.p50_ms:.2f} ms vs first "
        f"page {first_result.p50_ms:.2f} ms = {deep_result.p50_ms / first_result.p50_ms:.2f}x"
    )


async def contention(
    api: str, seeded: _seed.Seeded, database: Database, auth: dict[str, str]
) -> str:
    total, runs, places = CONTENTION
    run_ids = await _seed.contention_runs(database, seeded, runs, places)
    result = await asyncio.to_thread(
        _load.run,
        api,
        "/registration",
        seconds=20,
        connections=RUSH_CONNECTIONS,
        threads=RUSH_THREADS,
        headers=auth,
        post_runs=run_ids,
        email_prefix=f"rush{run_ids[0]}",
        # A thread's connections each send their next request as an answer arrives, and
        # one stopped on its n-th answer has sent (its connections - 1) + n: exactly its
        # half of the rush.
        stop_after=total // RUSH_THREADS - RUSH_CONNECTIONS // RUSH_THREADS + 1,
    )
    counts = await _seed.capacity(database, run_ids)
    made, span = await _seed.registration_span(database, run_ids)
    exact = all(confirmed == counter == limit for limit, confirmed, counter in counts)
    # wrk waits out its duration after the last thread stops: time the rush by its rows.
    return (
        f"contention: {made} registrations over {runs} runs x {places} places, "
        f"{RUSH_CONNECTIONS} connections: {made / span if span else 0:,.0f}/s (first to last "
        f"row), p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, non-2xx "
        f"{result.bad_status}; capacity {'exact' if exact else 'WRONG'} "
        f"(confirmed per run: {sorted({confirmed for _, confirmed, _ in counts})})"
    )


def _ratio(value: float, reference: float | None) -> str:
    return f"{value / reference:.2f}" if reference else "—"


def table(title: str, lines: list[Line], notes: str) -> str:
    ceiling = lines[0].peak.rps
    header = (
        f"{'endpoint':<42}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'floor r/s':>10}"
        f"{'/floor':>7}{'/ceil':>7}{'p99@½peak':>10}{'floor':>7}{'non-2xx':>9}"
    )
    rows = [title, header]
    for line in lines:
        floor = line.floor.rps if line.floor else None
        half = f"{line.half.p99_ms:.2f}" if line.half else "—"
        floor_half = f"{line.floor_half.p99_ms:.2f}" if line.floor_half else "—"
        bad = line.peak.bad_status + line.peak.socket_errors
        rows.append(
            f"{line.name:<42}{line.peak.rps:>9,.0f}{line.peak.p50_ms:>8.2f}{line.peak.p99_ms:>8.2f}"
            f"{(f'{floor:,.0f}' if floor else '—'):>10}{_ratio(line.peak.rps, floor):>7}"
            f"{_ratio(line.peak.rps, ceiling):>7}{half:>10}{floor_half:>7}{bad:>9}"
        )
    return "\n".join([*rows, notes, ""])


async def bench_backend(
    backend: str, args: argparse.Namespace, report: Callable[[str], None]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with temporary_database(backend, Path(folder)) as url:
            database = Database(url)
            try:
                seeded = await _seed.seed(database, events=args.events)
                for workers in args.workers:
                    args.current_workers = workers
                    async with AsyncExitStack() as stack:
                        api = await stack.enter_async_context(
                            live_server(
                                url, workers=workers, env=SERVER_SETTINGS, options=SERVER_OPTIONS
                            )
                        )
                        await check_ceiling(api)
                        floor = await stack.enter_async_context(
                            floor_server(url, seeded.organization_id, workers)
                        )
                        lines, notes = await measure(api, floor, seeded, database, args)
                    title = f"== {backend}, {workers} worker(s), {args.events:,} events =="
                    report(table(title, lines, notes))
            finally:
                await database.dispose()


SERVER_SETTINGS = {
    "PYTHONPATH": str(BENCH),  # where each worker finds ceiling_app
    "INTERVALS_PUBLISH_INTERVAL_SECONDS": "0",
    "INTERVALS_LOG_LEVEL": "WARNING",
}
SERVER_OPTIONS = ("--app-factory", "ceiling_app:create_app")


async def check_ceiling(api: str) -> None:
    """The ceiling answers through the server's own middleware (its Request-Id), or every
    ratio to it means nothing."""
    async with httpx.AsyncClient() as http:
        response = await http.get(api + CEILING_PATH)
    if response.status_code != 200 or "request-id" not in response.headers:
        sys.exit(f"the ceiling answered {response.status_code} {response.headers}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 s runs, 20 000 events")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each wrk run")
    parser.add_argument(
        "--rounds", type=int, default=1, help="peak and half-peak runs per endpoint (median)"
    )
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.events = 2.0, 20_000
    args.workers = [int(count) for count in args.workers.split(",")]
    if not _load.available():
        sys.exit("wrk not found: apt-get install wrk")
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        "unknown CPU",
    )
    print(f"{os.cpu_count()} CPUs ({cpu}); wrk {PEAK_CONNECTIONS} connections, {args.seconds:g} s")
    for backend in args.backends.split(","):
        asyncio.run(bench_backend(backend, args, lambda text: print(text, flush=True)))


if __name__ == "__main__":
    main()
