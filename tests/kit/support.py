"""Keys with a rate limit override, and apps and servers that enforce limits."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil

from intervals_server.auth.scopes import ALL_SCOPES
from intervals_server.auth.service import issue_key
from intervals_server.db import Database
from intervals_server.kit.rate_limit import parse_rate
from intervals_server.testing import free_port
from tests.conftest import Tenant

REDIS_URL = os.environ.get("INTERVALS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Redis is shared: this session's keys live under a prefix of their own (and expire).
REDIS_PREFIX = f"intervals-test-{secrets.token_hex(6)}"


async def key_with_rate_limit(database: Database, tenant: Tenant, rate: str) -> dict[str, str]:
    """A key of ``tenant`` with every scope, limited to ``rate`` (e.g. ``"3/min"``)."""
    async with database.write() as session:
        issued = await issue_key(
            session,
            tenant.organization_id,
            name="limited",
            scopes=ALL_SCOPES,
            rate_limit=parse_rate(rate),
        )
    return {"Authorization": f"Bearer {issued.secret}"}


class PrivateRedis:
    """A ``redis-server`` of one test's own on a fixed free port, to stop and start again.

    Never the shared Redis: other tests (and other people's) use that one.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        executable = shutil.which("redis-server")
        assert executable, "redis-server must be on PATH for this test"
        self._process = await asyncio.create_subprocess_exec(
            executable,
            *("--port", str(self.port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        for _ in range(200):
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return
            await asyncio.sleep(0.05)
        raise TimeoutError(f"redis-server did not listen on {self.port}")

    async def kill(self) -> None:
        """SIGKILL: the server's connections die with it, as in a crash."""
        if self._process is not None and self._process.returncode is None:
            self._process.kill()
        if self._process is not None:
            await self._process.wait()

    async def __aenter__(self) -> PrivateRedis:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.kill()
