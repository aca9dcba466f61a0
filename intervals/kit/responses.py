"""The JSON error shape and the response headers every reply carries."""

from __future__ import annotations

from typing import Any

import msgspec

from intervals.kit.errors import ApiError

JSON = "application/json"


class ErrorDetail(msgspec.Struct, kw_only=True, omit_defaults=True):
    code: str
    message: str
    requestId: str | None = None
    reason: str | None = None
    errors: dict[str, list[str]] | None = None
    retryAfter: int | None = None


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
        **extra,
    )
    return msgspec.json.encode(ErrorBody(detail))
