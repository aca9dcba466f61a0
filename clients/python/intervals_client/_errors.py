"""Exceptions, one per error code of the API, all under ``IntervalsError``."""

from __future__ import annotations

from typing import Any

import httpx


class IntervalsError(Exception):
    """Anything that went wrong talking to the API."""


class APIConnectionError(IntervalsError):
    """The server could not be reached, or the connection broke, after every retry."""


class APIError(IntervalsError):
    """The API answered with an error; its fields are those of the error body."""

    def __init__(self, response: httpx.Response, detail: dict[str, Any]) -> None:
        self.response = response
        self.status_code = response.status_code
        self.code: str = str(detail.get("code", ""))
        self.message: str = str(detail.get("message", response.reason_phrase))
        self.request_id: str | None = detail.get("requestId") or response.headers.get("Request-Id")
        self.reason: str | None = detail.get("reason")
        self.errors: dict[str, list[str]] = detail.get("errors") or {}
        super().__init__(f"{self.status_code} {self.code}: {self.message}")


class BadRequestError(APIError):
    """400 BAD_REQUEST"""


class AuthenticationError(APIError):
    """401 UNAUTHORIZED: missing, unknown or revoked key."""


class PermissionDeniedError(APIError):
    """403 FORBIDDEN: the key lacks the scope."""


class NotFoundError(APIError):
    """404 NOT_FOUND"""


class MethodNotAllowedError(APIError):
    """405 METHOD_NOT_ALLOWED"""


class ConflictError(APIError):
    """409 CONFLICT; ``reason`` says which (``sold_out``, ``slug_taken``, …)."""


class PayloadTooLargeError(APIError):
    """413 PAYLOAD_TOO_LARGE"""


class UnsupportedMediaTypeError(APIError):
    """415 UNSUPPORTED_MEDIA_TYPE"""


class ValidationError(APIError):
    """422 VALIDATION_ERROR; ``errors`` maps each invalid field to its messages."""


class RateLimitError(APIError):
    """429 RATE_LIMITED, still after the retries; ``retry_after`` in seconds."""

    def __init__(self, response: httpx.Response, detail: dict[str, Any]) -> None:
        super().__init__(response, detail)
        self.retry_after: float | None = retry_after_seconds(response)


class InternalServerError(APIError):
    """500 INTERNAL_ERROR"""


class ServiceUnavailableError(APIError):
    """503 SERVICE_UNAVAILABLE"""


_BY_CODE: dict[str, type[APIError]] = {
    "BAD_REQUEST": BadRequestError,
    "UNAUTHORIZED": AuthenticationError,
    "FORBIDDEN": PermissionDeniedError,
    "NOT_FOUND": NotFoundError,
    "METHOD_NOT_ALLOWED": MethodNotAllowedError,
    "CONFLICT": ConflictError,
    "PAYLOAD_TOO_LARGE": PayloadTooLargeError,
    "UNSUPPORTED_MEDIA_TYPE": UnsupportedMediaTypeError,
    "VALIDATION_ERROR": ValidationError,
    "RATE_LIMITED": RateLimitError,
    "INTERNAL_ERROR": InternalServerError,
    "SERVICE_UNAVAILABLE": ServiceUnavailableError,
}
_BY_STATUS = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    409: ConflictError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    422: ValidationError,
    429: RateLimitError,
    503: ServiceUnavailableError,
}


def error_detail(response: httpx.Response) -> dict[str, Any]:
    """The ``error`` object of an error body; empty when a proxy answered something else."""
    try:
        body = response.json()
    except ValueError:
        return {}
    detail = body.get("error") if isinstance(body, dict) else None
    return detail if isinstance(detail, dict) else {}


def error_for(response: httpx.Response) -> APIError:
    """The exception for an error response: by its code, else by its status."""
    detail = error_detail(response)
    kind = _BY_CODE.get(str(detail.get("code"))) or _BY_STATUS.get(response.status_code)
    if kind is None:
        kind = InternalServerError if response.status_code >= 500 else APIError
    return kind(response, detail)


def retry_after_seconds(response: httpx.Response) -> float | None:
    """``Retry-After`` in seconds (a number; the HTTP-date form is not used by the API)."""
    value = response.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return max(seconds, 0.0)
