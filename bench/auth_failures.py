"""What 1,000 requests with a key the server does not know cost it.

    python bench/auth_failures.py [--backends sqlite,postgresql] [--requests 1000]

For each database (a throwaway SQLite file, or a PostgreSQL database created through
INTERVALS_TEST_POSTGRES_URL and dropped afterwards) it starts ``intervals serve`` (one
worker) and sends ``--requests`` GET /organization, 20 at a time from 127.0.0.1, with:

- one unknown key, rate limits off: what the refusal itself costs (the negative cache);
- a different unknown key each time, rate limits off: a database lookup each;
- one unknown key, then a different one each time, rate limits on (the default): the
  per-address limit on failures.

It prints the wall time, the CPU time the server's processes spent meanwhile (the client
here is the slower side, so wall time mostly measures it), on PostgreSQL the transactions
the database counted (one per key lookup, plus a few for the server's start and readiness
probe) and the statuses seen. Compare
lines within one run: the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from intervals_server.testing import server_process, temporary_database

CONCURRENCY = 20
_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(session: int) -> float:
    """User and system CPU time of every live process in ``session`` (Linux /proc)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # the session id, after state, ppid and pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICKS


async def fire(
    base_url: str, session: int, requests: int, *, distinct: bool
) -> tuple[float, float, Counter[int]]:
    same = "ik_live_" + secrets.token_urlsafe(30)
    keys = ["ik_live_" + secrets.token_urlsafe(30) if distinct else same for _ in range(requests)]
    statuses: Counter[int] = Counter()
    queue = iter(keys)

    async def worker(http: httpx.AsyncClient) -> None:
        for key in queue:
            response = await http.get("/organization", headers={"Authorization": f"Bearer {key}"})
            statuses[response.status_code] += 1

    limits = httpx.Limits(max_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30.0) as http:
        await http.get("/healthz")
        started, cpu = time.perf_counter(), cpu_seconds(session)
        await asyncio.gather(*(worker(http) for _ in range(CONCURRENCY)))
        return time.perf_counter() - started, cpu_seconds(session) - cpu, statuses


async def transactions(database_url: str) -> int | None:
    """Transactions PostgreSQL has counted in the database (None on SQLite): each key
    lookup is one (an autocommit SELECT). Read after the server stops, so that its
    connections have reported theirs."""
    if not database_url.startswith("postgresql"):
        return None
    connection = await asyncpg.connect(database_url.replace("+asyncpg", "", 1))
    try:
        count: int = await connection.fetchval(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database"
            " WHERE datname = current_database()"
        )
        return count
    finally:
        await connection.close()


async def bench(backend: str, requests: int, folder: Path) -> None:
    scenarios = [
        ("one unknown key, limits off", False, {"INTERVALS_RATE_LIMITS": "false"}),
        ("distinct unknown keys, limits off", True, {"INTERVALS_RATE_LIMITS": "false"}),
        ("one unknown key, limits on", False, {}),
        ("distinct unknown keys, limits on", True, {}),
    ]
    async with temporary_database(backend, folder) as database_url:
        for name, distinct, env in scenarios:
            before = await transactions(database_url)
            async with server_process(database_url, env=env) as server:
                seconds, cpu, statuses = await fire(
                    server.base_url, server.process.pid, requests, distinct=distinct
                )
            after = await transactions(database_url)
            queries = "    -" if after is None or before is None else f"{after - before:5d}"
            seen = ", ".join(f"{count} x {status}" for status, count in sorted(statuses.items()))
            print(
                f"{backend:<10} {name:<34} {seconds:5.2f} s wall {cpu:5.2f} s server CPU"
                f" {queries} database transactions  {seen}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=1000)
    arguments = parser.parse_args()
    for backend in arguments.backends.split(","):
        with tempfile.TemporaryDirectory(prefix="intervals-auth-bench-") as folder:
            asyncio.run(bench(backend, arguments.requests, Path(folder)))


if __name__ == "__main__":
    main()
