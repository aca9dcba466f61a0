"""What an invalid body costs: the time to answer, the size of the 422, and how long the
worker's event loop was blocked meanwhile (other requests on that worker wait that long).

    python bench/validation.py [--shape runs|fields] [--items N]

The body is ``POST /events`` with ``runs`` holding ``--items`` invalid runs (about 1 MB
at 120 000, the default), or with ``--shape fields`` that many unknown fields
(``"k0": 1, …``; the default 90 000 fit in POST /events' 1 MiB), sent to a real
``intervals serve`` on a throwaway SQLite database; a probe on the same worker asks
``GET /healthz`` every 10 ms, and its slowest answer is the stall.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from intervals_server.auth.scopes import ALL_SCOPES
from intervals_server.auth.service import issue_key
from intervals_server.db import Database
from intervals_server.organizations.service import create_organization
from intervals_server.testing import live_server, temporary_database


async def _key(url: str) -> str:
    database = Database(url)
    try:
        async with database.write() as session:
            organization = await create_organization(
                session, name="Bench club", slug="bench-club", plan="enterprise", timezone="UTC"
            )
            issued = await issue_key(session, organization.id, name="bench", scopes=ALL_SCOPES)
        return issued.secret
    finally:
        await database.dispose()


def _body(items: int, shape: str) -> bytes:
    event = b'{"name":"Bench","slug":"bench","type":"race","date":"2027-06-21",'
    if shape == "fields":
        return event + ",".join(f'"k{index}":1' for index in range(items)).encode() + b"}"
    # Each item is a run with an unknown field.
    return event + b'"runs":[' + ",".join(['{"a":1}'] * items).encode() + b"]}"


async def _probe(http: httpx.AsyncClient, stop: asyncio.Event) -> float:
    slowest = 0.0
    while not stop.is_set():
        started = time.perf_counter()
        await http.get("/healthz")
        slowest = max(slowest, time.perf_counter() - started)
        await asyncio.sleep(0.01)
    return slowest


async def main(items: int, shape: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with temporary_database("sqlite", Path(folder)) as url:
            key = await _key(url)
            env = {"INTERVALS_RATE_LIMITS": "false", "INTERVALS_PUBLISH_INTERVAL_SECONDS": "0"}
            async with live_server(url, env=env) as base_url:
                body = _body(items, shape)
                headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
                async with httpx.AsyncClient(base_url=base_url, timeout=120) as http:
                    stop = asyncio.Event()
                    probe = asyncio.create_task(_probe(http, stop))
                    await asyncio.sleep(0.2)
                    started = time.perf_counter()
                    response = await http.post("/events", content=body, headers=headers)
                    elapsed = time.perf_counter() - started
                    await asyncio.sleep(0.2)
                    stop.set()
                    stall = await probe
    print(f"body: {len(body):,} bytes, {items:,} invalid {shape}")
    print(f"answer: {response.status_code}, {len(response.content):,} bytes, {elapsed:.3f} s")
    print(f"slowest /healthz meanwhile: {stall * 1000:.0f} ms")


# The most of each shape that fits in the endpoint's body limit (more is a 413).
DEFAULT_ITEMS = {"runs": 120_000, "fields": 90_000}

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, help="default: 120 000 runs, 90 000 fields")
    parser.add_argument("--shape", choices=tuple(DEFAULT_ITEMS), default="runs")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.items or DEFAULT_ITEMS[arguments.shape], arguments.shape))
