"""Support shared by the tests and the benchmarks, never imported by the server itself.

- Throwaway databases: a SQLite file, or a PostgreSQL database of its own, migrated to the
  newest schema and removed afterwards.
- Real ``intervals serve`` processes, for what the in-process ``client`` fixture (one
  event loop, one process) cannot show: what holds across processes (seat counts,
  duplicate emails), and the server under load as an operator runs it.

Polling a server until it is ready needs httpx, from the ``test`` extra.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import signal
import socket
import sys
import tempfile
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path

import asyncpg
import httpx

from intervals_server.migrate import upgrade_async

POSTGRES_ADMIN_URL = os.environ.get(
    "INTERVALS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@contextlib.asynccontextmanager
async def temporary_database(
    backend: str, folder: Path, *, migrated: bool = True
) -> AsyncIterator[str]:
    """A migrated (or, with ``migrated=False``, a blank) database URL, dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{folder / 'intervals.db'}"
        if migrated:
            await upgrade_async(url)
        else:
            (folder / "intervals.db").touch()
        yield url
        return
    if backend != "postgresql":
        raise ValueError(f"unknown test backend {backend!r}")
    name = f"intervals_test_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
        url = f"{base.replace('postgresql://', 'postgresql+asyncpg://', 1)}/{name}"
        if migrated:
            await upgrade_async(url)
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
READY_PATH = "/readyz"


def free_port() -> int:
    """A TCP port nobody on 127.0.0.1 listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _command(port: int, workers: int, options: Sequence[str]) -> list[str]:
    # The console script installed next to this interpreter: the same code under test.
    executable = Path(sys.executable).with_name("intervals")
    return [
        str(executable),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-migrate",
        # Several workers on SQLite are refused unless asked for: these tests prove they hold.
        *(["--allow-sqlite"] if workers > 1 else []),
        *options,
    ]


def _tail(log: Path) -> str:
    """The end of the server's output, to explain why it did not come up."""
    return log.read_text(errors="replace")[-4000:]


async def _wait_until_ready(
    process: asyncio.subprocess.Process, ready_url: str, log: Path, deadline_s: float
) -> None:
    loop = asyncio.get_running_loop()
    give_up_at = loop.time() + deadline_s
    async with httpx.AsyncClient(timeout=2.0) as http:
        while True:
            if process.returncode is not None:
                raise RuntimeError(f"server exited with {process.returncode}:\n{_tail(log)}")
            with contextlib.suppress(httpx.TransportError):
                if (await http.get(ready_url)).status_code == 200:
                    return
            if loop.time() > give_up_at:
                raise TimeoutError(f"server not ready after {deadline_s}s:\n{_tail(log)}")
            await asyncio.sleep(0.2)


async def _stop(process: asyncio.subprocess.Process) -> None:
    """SIGTERM for a graceful stop; SIGKILL to the whole session if it lingers."""
    if process.returncode is None:
        process.terminate()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT_S)
    # The server ran in a session of its own: its id is the group of every worker it forked.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    await process.wait()


class ServerProcess:
    """A running ``intervals serve``: its URL, its output, and ways to stop it."""

    def __init__(self, process: asyncio.subprocess.Process, base_url: str, log: Path) -> None:
        self.process = process
        self.base_url = base_url
        self.log = log

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the server and every worker at once: a crash, nothing cleaned up."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def terminate(self) -> None:
        """SIGTERM to the server, as an orchestrator stops it."""
        with contextlib.suppress(ProcessLookupError):
            self.process.terminate()

    async def wait(self, timeout_s: float = STOP_TIMEOUT_S) -> int:
        return await asyncio.wait_for(self.process.wait(), timeout_s)


@contextlib.asynccontextmanager
async def serving(
    command: list[str],
    environment: Mapping[str, str],
    base_url: str,
    *,
    ready_path: str = READY_PATH,
    ready_timeout_s: float = READY_TIMEOUT_S,
) -> AsyncIterator[ServerProcess]:
    """Run ``command`` (a server on ``base_url``) in a session of its own until it answers
    ``ready_path``. Stopped on exit, also when the block raises."""
    with tempfile.TemporaryDirectory(prefix="intervals-live-") as folder:
        log = Path(folder) / "server.log"
        with log.open("wb") as output:
            process = await asyncio.create_subprocess_exec(
                *command,
                env=dict(environment),
                stdout=output,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            await _wait_until_ready(process, base_url + ready_path, log, ready_timeout_s)
            yield ServerProcess(process, base_url, log)
        finally:
            await _stop(process)


@contextlib.asynccontextmanager
async def server_process(
    database_url: str,
    *,
    workers: int = 1,
    env: Mapping[str, str] | None = None,
    options: Sequence[str] = (),
    ready_timeout_s: float = READY_TIMEOUT_S,
) -> AsyncIterator[ServerProcess]:
    """``intervals serve`` on ``database_url`` (already migrated), on a free port.

    ``env`` adds settings (``INTERVALS_…``) to the server's environment, ``options`` more
    ``intervals serve`` options.
    """
    port = free_port()
    environment = {**os.environ, "INTERVALS_DATABASE_URL": database_url, **(env or {})}
    async with serving(
        _command(port, workers, options),
        environment,
        f"http://127.0.0.1:{port}",
        ready_timeout_s=ready_timeout_s,
    ) as server:
        yield server


@contextlib.asynccontextmanager
async def live_server(
    database_url: str,
    *,
    workers: int = 1,
    env: Mapping[str, str] | None = None,
    options: Sequence[str] = (),
    ready_timeout_s: float = READY_TIMEOUT_S,
) -> AsyncIterator[str]:
    """Serve ``database_url`` (already migrated) on a free port; yield the base URL."""
    async with server_process(
        database_url, workers=workers, env=env, options=options, ready_timeout_s=ready_timeout_s
    ) as server:
        yield server.base_url


async def demo_key(database_url: str) -> str:
    """Seed the demo club into ``database_url`` with ``intervals demo --json``; its new key."""
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("intervals")),
        "demo",
        "--json",
        env={**os.environ, "INTERVALS_DATABASE_URL": database_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), READY_TIMEOUT_S)
    if process.returncode != 0:
        raise RuntimeError(f"intervals demo failed:\n{stderr.decode(errors='replace')}")
    key: str = json.loads(stdout)["apiKey"]
    return key
