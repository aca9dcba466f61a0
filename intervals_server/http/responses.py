"""The JSON error shape, and the JSON answer every endpoint sends."""

from __future__ import annotations

from typing import Any

import msgspec

from intervals_server.http.asgi import Receive, Scope, Send
from intervals_server.kit.errors import ApiError

JSON = "application/json"
_JSON_HEADER = (b"content-type", JSON.encode())


class JSONAnswer:
    """An endpoint's encoded answer, sent as it is: a bare ASGI app, which Litestar sends
    without the header object and the ``ASGIResponse`` it builds around a ``Response``."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, body: bytes, status: int = 200, headers: dict[str, str] | None = None):
        self.body = body
        self.status = status
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [_JSON_HEADER, (b"content-length", str(len(self.body)).encode())]
        if self.headers:
            headers += [(k.lower().encode(), v.encode()) for k, v in self.headers.items()]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


class ErrorDetail(msgspec.Struct, kw_only=True, omit_defaults=True):
    code: str
    message: str
    requestId: str | None = None
    reason: str | None = None
    errors: dict[str, list[str]] | None = None
    retryAfter: int | None = None
    errorCount: int | None = None


class ErrorBody(msgspec.Struct):
    error: ErrorDetail


def error_body(error: ApiError, request_id: str | None, **extra: Any) -> bytes:
    detail = ErrorDetail(
        code=error.code,
        message=error.message,
        requestId=request_id,
        reason=error.reason,
        errors=error.errors,
        retryAfter=error.retry_at_ms,
        errorCount=error.error_count,
        **extra,
    )
    return msgspec.json.encode(ErrorBody(detail))
