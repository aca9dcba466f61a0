"""The error table of the contract, row by row, and the headers every response carries."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from litestar import get

from intervals_server.app import create_app
from intervals_server.config import Settings
from intervals_server.db import Database
from tests.conftest import Client, Tenant
from tests.support import event_body

MiB = 1024 * 1024


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    """The response is the contract's error: status, code, message, and its request id."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, object] = body["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert error["requestId"] == response.headers["Request-Id"]
    return error


async def test_success_carries_a_request_id(client: Client, tenant: Tenant) -> None:
    response = await client.get("/organization", headers=tenant.headers)

    assert response.status_code == 200
    assert response.headers["Request-Id"].startswith("req_")


async def test_each_response_has_its_own_request_id(client: Client, tenant: Tenant) -> None:
    first = await client.get("/organization", headers=tenant.headers)
    second = await client.get("/organization", headers=tenant.headers)

    assert first.headers["Request-Id"] != second.headers["Request-Id"]


async def test_client_error_body_names_its_request_id(client: Client) -> None:
    response = await client.get("/organization")

    error = assert_error(response, 401, "UNAUTHORIZED")
    assert str(error["requestId"]).startswith("req_")


async def test_unknown_route_is_a_json_not_found(client: Client, tenant: Tenant) -> None:
    response = await client.get("/no/such/route", headers=tenant.headers)

    assert_error(response, 404, "NOT_FOUND")


async def test_wrong_method_is_method_not_allowed_with_allow(
    client: Client, tenant: Tenant
) -> None:
    response = await client.delete("/events", headers=tenant.headers)

    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    allowed = {method.strip() for method in response.headers["Allow"].split(",")}
    assert {"GET", "POST"} <= allowed
    assert "DELETE" not in allowed


@pytest.mark.parametrize(
    "content",
    [b"{", b'{"name": }', b" ", b"\xff\xfe", b"{'a': 1}"],
    ids=["truncated", "bad value", "whitespace", "binary", "single quotes"],
)
async def test_malformed_json_is_a_bad_request(
    client: Client, tenant: Tenant, content: bytes
) -> None:
    headers = {**tenant.headers, "Content-Type": "application/json"}

    response = await client.post("/events", content=content, headers=headers)

    assert_error(response, 400, "BAD_REQUEST")


@pytest.mark.parametrize("content", [b"[]", b'"x"', b"42", b"null", b"[{}]"])
async def test_body_that_is_not_an_object_is_a_bad_request(
    client: Client, tenant: Tenant, content: bytes
) -> None:
    headers = {**tenant.headers, "Content-Type": "application/json"}

    response = await client.post("/events", content=content, headers=headers)

    assert_error(response, 400, "BAD_REQUEST")


async def test_body_over_one_mebibyte_is_payload_too_large(client: Client, tenant: Tenant) -> None:
    body = event_body(description="x" * MiB)

    response = await client.post("/events", json=body, headers=tenant.headers)

    assert_error(response, 413, "PAYLOAD_TOO_LARGE")


async def test_streamed_body_over_one_mebibyte_is_payload_too_large(
    client: Client, tenant: Tenant
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"description": "'
        for _ in range(17):
            yield b"x" * 65536
        yield b'"}'

    headers = {**tenant.headers, "Content-Type": "application/json"}
    response = await client.post("/events", content=chunks(), headers=headers)

    assert "content-length" not in response.request.headers
    assert_error(response, 413, "PAYLOAD_TOO_LARGE")


async def test_body_just_under_one_mebibyte_is_read(client: Client, tenant: Tenant) -> None:
    padding = MiB - 200
    body = b'{"unexpected": "' + b"x" * padding + b'"}'
    headers = {**tenant.headers, "Content-Type": "application/json"}

    response = await client.post("/events", content=body, headers=headers)

    assert_error(response, 422, "VALIDATION_ERROR")


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
async def test_body_that_is_not_json_is_unsupported_media_type(
    client: Client, tenant: Tenant, content_type: str
) -> None:
    headers = {**tenant.headers, "Content-Type": content_type}

    response = await client.post("/events", content=b'{"name": "x"}', headers=headers)

    assert_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")


async def test_json_with_a_charset_is_accepted(client: Client, tenant: Tenant) -> None:
    headers = {**tenant.headers, "Content-Type": "application/json; charset=utf-8"}

    response = await client.post(
        "/events", content=json.dumps(event_body()).encode(), headers=headers
    )

    assert response.status_code == 201


@pytest.fixture
async def broken_client(database_url: str, database: Database) -> AsyncIterator[Client]:
    """A test-only app with one extra route that fails the way a bug would."""

    @get("/test-only/boom", include_in_schema=False)
    async def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    app = create_app(Settings(database_url=database_url), database=database)
    app.register(boom)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_a_bug_is_an_internal_error_without_a_stack_trace(broken_client: Client) -> None:
    response = await broken_client.get("/test-only/boom")

    error = assert_error(response, 500, "INTERNAL_ERROR")
    assert set(error) == {"code", "message", "requestId"}
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text


def _unreachable(database_url: str, folder: Path) -> str:
    """A URL of the same backend where no database answers."""
    if database_url.startswith("sqlite"):
        return f"sqlite+aiosqlite:///{folder / 'missing' / 'intervals.db'}"
    with socket.socket() as probe:  # a port nobody listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"postgresql+asyncpg://postgres@127.0.0.1:{port}/test"


async def test_unreachable_database_is_service_unavailable(
    database_url: str, tmp_path: Path, tenant: Tenant
) -> None:
    url = _unreachable(database_url, tmp_path)
    database = Database(url)
    app = create_app(Settings(database_url=url), database=database)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)  # type: ignore[arg-type]
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            response = await http.get("/organization", headers=tenant.headers)
    finally:
        await database.dispose()

    assert_error(response, 503, "SERVICE_UNAVAILABLE")


async def test_api_keys_never_reach_the_logs(
    broken_client: Client, tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    secret = tenant.headers["Authorization"].removeprefix("Bearer ")
    unknown = {"Authorization": "Bearer ik_live_unknownkeyunknownkeyunknownkey"}
    caplog.set_level(logging.DEBUG)

    await broken_client.get("/organization", headers=tenant.headers)
    await broken_client.get("/organization", headers=unknown)
    await broken_client.get("/test-only/boom", headers=tenant.headers)

    assert "unhandled error" in caplog.text  # the logs were captured
    assert "api_key_id" in caplog.text  # the access lines too
    assert secret not in caplog.text
    assert "unknownkeyunknownkey" not in caplog.text


@pytest.mark.parametrize("depth", [100, 5000])
async def test_deeply_nested_body_is_a_client_error(
    client: Client, tenant: Tenant, depth: int
) -> None:
    content = b'{"address":' + b'{"city":' * depth + b'"x"' + b"}" * (depth + 1)
    headers = {**tenant.headers, "Content-Type": "application/json"}

    response = await client.post("/events", content=content, headers=headers)

    assert response.status_code in (400, 422), response.text
    assert response.json()["error"]["requestId"] == response.headers["Request-Id"]


async def test_a_malformed_host_header_is_a_json_bad_request(client: Client) -> None:
    response = await client.get("/healthz", headers={"Host": "evil.example`<b>"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "BAD_REQUEST"
    assert response.json()["error"]["requestId"] == response.headers["Request-Id"]
