"""A real server against clients that stall or vanish: a body that stops arriving is a
408, a client gone mid-body is a 499 at INFO (not a 5xx), a connection that sends nothing
is closed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from intervals_server.testing import ServerProcess, server_process
from tests.conftest import Tenant
from tests.ops.test_metrics import sample

TIMEOUTS = {
    "INTERVALS_BODY_TIMEOUT_SECONDS": "1",
    "INTERVALS_HEADER_TIMEOUT_SECONDS": "1",
    "INTERVALS_PUBLISH_INTERVAL_SECONDS": "0",
}
# Far beyond the 1 s timeouts: reached only if the server never acts on them.
GIVE_UP_S = 20.0


@pytest.fixture
async def server(database_url: str) -> AsyncIterator[ServerProcess]:
    async with server_process(database_url, env=TIMEOUTS) as running:
        yield running


async def _open(server: ServerProcess) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host, port = server.base_url.removeprefix("http://").split(":")
    return await asyncio.open_connection(host, int(port))


def _partial_post(tenant: Tenant) -> bytes:
    """A POST /events whose head announces 100 bytes of body, followed by one."""
    return (
        b"POST /events HTTP/1.1\r\nHost: test\r\n"
        + f"Authorization: {tenant.headers['Authorization']}\r\n".encode()
        + b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
    )


async def _read_all(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sends until it closes the connection."""
    return await asyncio.wait_for(reader.read(), GIVE_UP_S)


def _access_lines(server: ServerProcess) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in server.output().splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("logger") == "intervals.access"]


async def test_a_body_that_stops_arriving_is_a_request_timeout(
    server: ServerProcess, tenant: Tenant
) -> None:
    reader, writer = await _open(server)
    writer.write(_partial_post(tenant))
    await writer.drain()

    answer = await _read_all(reader)
    writer.close()

    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), answer
    assert b"request-id: req_" in head.lower()
    error = json.loads(body)["error"]
    assert error["code"] == "REQUEST_TIMEOUT"
    assert error["requestId"].startswith("req_")


async def test_a_client_gone_mid_body_is_logged_as_499_at_info_and_never_as_a_5xx(
    server: ServerProcess, tenant: Tenant
) -> None:
    _, writer = await _open(server)
    writer.write(_partial_post(tenant))
    await writer.drain()
    await asyncio.sleep(0.3)  # the app has begun reading the body
    writer.close()
    await writer.wait_closed()

    async with httpx.AsyncClient(base_url=server.base_url) as http:
        for _ in range(100):
            if any(line["route"] == "/events" for line in _access_lines(server)):
                break
            await asyncio.sleep(0.1)
        (line,) = [line for line in _access_lines(server) if line["route"] == "/events"]
        labels = {"method": "POST", "route": "/events"}
        counted = await sample(http, "intervals_http_requests_total", **labels, status="499")
        errors = await sample(http, "intervals_http_requests_total", **labels, status="500")

    assert (line["status"], line["level"]) == (499, "info")
    assert counted == 1
    assert errors is None
    assert '"level": "error"' not in server.output()


async def test_a_connection_that_sends_nothing_is_closed(server: ServerProcess) -> None:
    reader, writer = await _open(server)

    answer = await _read_all(reader)
    writer.close()

    assert answer == b""


async def test_a_connection_that_stops_mid_headers_is_closed(server: ServerProcess) -> None:
    reader, writer = await _open(server)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: test\r\n")
    await writer.drain()

    answer = await _read_all(reader)
    writer.close()

    assert answer == b""
