"""One access log line per request: JSON for machines, readable on a terminal, never a key."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from intervals_server.ops.logs import configure_logging
from intervals_server.testing import free_port
from tests.conftest import Client, Tenant

_ANSI_STYLE = re.compile(r"\x1b\[[0-9;]*m")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the app logs during the test, as JSON lines; the usual logging afterwards."""
    output = io.StringIO()
    configure_logging("INFO", stream=output)
    yield output
    configure_logging("INFO")


def access_line(output: io.StringIO, request_id: str) -> dict[str, Any]:
    lines: list[dict[str, Any]] = [json.loads(line) for line in output.getvalue().splitlines()]
    (line,) = [line for line in lines if line.get("request_id") == request_id]
    return line


async def test_each_request_logs_one_json_line_with_route_status_and_key_id(
    client: Client, tenant: Tenant, log_output: io.StringIO
) -> None:
    response = await client.get("/events/e000000000001", headers=tenant.headers)

    line = access_line(log_output, response.headers["Request-Id"])
    assert line["event"] == "request"
    assert line["logger"] == "intervals.access"
    assert (line["method"], line["route"], line["status"]) == ("GET", "/events/{event_id}", 404)
    assert isinstance(line["duration_ms"], float)
    assert str(line["api_key_id"]).startswith("ak")


async def test_requests_to_no_route_are_logged_too(client: Client, log_output: io.StringIO) -> None:
    response = await client.delete("/no/such/route")

    line = access_line(log_output, response.headers["Request-Id"])
    assert (line["route"], line["status"], line["api_key_id"]) == ("unmatched", 404, None)


async def test_the_access_log_never_holds_a_key(
    client: Client, tenant: Tenant, log_output: io.StringIO
) -> None:
    secret = tenant.headers["Authorization"].removeprefix("Bearer ")

    response = await client.get("/organization", headers=tenant.headers)

    assert access_line(log_output, response.headers["Request-Id"])["status"] == 200
    assert secret not in log_output.getvalue()
    assert secret[:12] not in log_output.getvalue()


async def test_the_log_level_setting_silences_lower_levels(client: Client) -> None:
    output = io.StringIO()
    configure_logging("WARNING", stream=output)
    try:
        await client.get("/healthz")
        await client.get("/no/such/route")
    finally:
        configure_logging("INFO")

    assert output.getvalue() == ""


async def test_a_terminal_gets_readable_lines_not_json(client: Client) -> None:
    terminal = Terminal()
    configure_logging("INFO", stream=terminal)
    try:
        response = await client.get("/no/such/route")
    finally:
        configure_logging("INFO")

    plain = _ANSI_STYLE.sub("", terminal.getvalue())
    (line,) = [line for line in plain.splitlines() if response.headers["Request-Id"] in line]
    assert not line.startswith("{")
    assert "route=unmatched" in line
    assert "status=404" in line


async def test_the_server_writes_every_line_in_one_format_on_stderr(
    database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    stdout, stderr = tmp_path / "stdout", tmp_path / "stderr"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).with_name("intervals")),
            "serve",
            "--port",
            str(port),
            env={**os.environ, "INTERVALS_DATABASE_URL": database_url},
            stdout=out,
            stderr=err,
        )
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(300):
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
            await http.get(f"http://127.0.0.1:{port}/no/such/route")
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 30)

    lines = [json.loads(line) for line in stderr.read_text().splitlines()]
    assert stdout.read_text() == ""
    loggers = {line["logger"] for line in lines}
    assert {"intervals.cli", "_granian", "intervals.access"} <= loggers, loggers
    assert all({"event", "level", "timestamp"} <= set(line) for line in lines)
