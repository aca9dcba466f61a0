"""ASGI middleware: a ``Request-Id`` on every response, and ``Intervals-Version``; every
response also says ``X-Content-Type-Options: nosniff`` and, unless it chose its own
caching (the docs pages do), ``Cache-Control: no-store``: API answers carry tenant data.

Plain ASGI rather than a framework middleware class: it runs on every request,
including unknown routes and errors, and costs one dict lookup.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from intervals_server.http.asgi import ASGIApp, Message, Receive, Scope, Send
from intervals_server.http.responses import JSON, error_body
from intervals_server.kit.errors import BadRequest

REQUEST_ID_STATE_KEY = "request_id"
# Headers a handler wants on its response whatever it answers, errors included.
RESPONSE_HEADERS_STATE_KEY = "response_headers"
# Set by routing once the caller is authenticated: the key's ID (never its secret), for logs.
API_KEY_STATE_KEY = "api_key_id"
_NOSNIFF = (b"x-content-type-options", b"nosniff")
_NO_STORE = (b"cache-control", b"no-store")


def new_request_id() -> str:
    # A label for logs, not a secret: the process's own generator (seeded from the system
    # when each worker starts, and again in a forked child) spares each request a system
    # call that gives up the GIL, which a busy aiosqlite thread may hold.
    return f"req_{random.getrandbits(96):024x}"


def add_response_headers(scope: Any, headers: dict[str, str]) -> None:
    scope.setdefault("state", {}).setdefault(RESPONSE_HEADERS_STATE_KEY, {}).update(headers)


def request_id_of(scope: Any) -> str | None:
    state = scope.get("state") or {}
    value = state.get(REQUEST_ID_STATE_KEY)
    return value if isinstance(value, str) else None


class RequestContextMiddleware:
    """Assigns the request id and resolves the API version the request asked for."""

    def __init__(self, app: ASGIApp, *, versions: Sequence[str]) -> None:
        self.app = app
        self.versions = tuple(versions)
        self.latest = self.versions[-1].encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id()
        state = scope.setdefault("state", {})
        state[REQUEST_ID_STATE_KEY] = request_id
        version = self.latest
        for name, value in scope["headers"]:
            if name == b"intervals-version":
                version = value
                break
        extra = [(b"request-id", request_id.encode()), (b"intervals-version", version)]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                added = state.get(RESPONSE_HEADERS_STATE_KEY, {})
                headers = message.get("headers", ())
                message["headers"] = [
                    *headers,
                    *extra,
                    *((name.lower().encode(), value.encode()) for name, value in added.items()),
                    *_security_headers(headers),
                ]
            await send(message)

        if version.decode("latin-1") not in self.versions:
            extra[1] = (b"intervals-version", self.latest)
            error = BadRequest(
                f"Unknown Intervals-Version; supported versions: {', '.join(self.versions)}"
            )
            await _send_error(send_with_headers, error, request_id)
            return
        await self.app(scope, receive, send_with_headers)


def _security_headers(headers: Any) -> list[tuple[bytes, bytes]]:
    """``nosniff``, and ``no-store`` unless the response has its own ``Cache-Control``
    (or its own ``nosniff``: the docs pages send both)."""
    own = {name.lower() for name, _ in headers}
    return [header for header in (_NOSNIFF, _NO_STORE) if header[0] not in own]


async def _send_error(send: Send, error: BadRequest, request_id: str) -> None:
    body = error_body(error, request_id)
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": [
                (b"content-type", JSON.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
