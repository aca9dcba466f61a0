"""One error base class, one JSON error shape.

Every error a partner can see is an ``ApiError``: it knows its status, its code, its
message and, where one code covers several causes, a ``reason``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar


class ApiError(Exception):
    status: ClassVar[int] = 500
    code: ClassVar[str] = "INTERNAL_ERROR"
    default_message: ClassVar[str] = "Internal error"
    # When a refused request may be retried (epoch ms), for the body's ``retryAfter``.
    retry_at_ms: int | None = None
    # How many fields a 422 found invalid, when it lists only the first ones (``errorCount``).
    error_count: int | None = None

    def __init__(
        self,
        message: str | None = None,
        *,
        reason: str | None = None,
        errors: Mapping[str, list[str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.reason = reason
        self.errors = dict(errors) if errors else None
        self.headers = dict(headers) if headers else {}
        super().__init__(self.message)


class BadRequest(ApiError):
    status = 400
    code = "BAD_REQUEST"
    default_message = "Bad request"


class Unauthorized(ApiError):
    status = 401
    code = "UNAUTHORIZED"
    default_message = "Missing or invalid API key"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message, headers={"WWW-Authenticate": 'Bearer realm="intervals"'})


class Forbidden(ApiError):
    status = 403
    code = "FORBIDDEN"
    default_message = "This API key lacks the required scope"


class NotFound(ApiError):
    status = 404
    code = "NOT_FOUND"
    default_message = "Not found"


class MethodNotAllowed(ApiError):
    status = 405
    code = "METHOD_NOT_ALLOWED"
    default_message = "Method not allowed"


class RequestTimeout(ApiError):
    status = 408
    code = "REQUEST_TIMEOUT"
    default_message = "The request body did not arrive in time"

    def __init__(self, message: str | None = None) -> None:
        # The rest of the body may still come: the connection cannot carry another request.
        super().__init__(message, headers={"Connection": "close"})


class ClientClosedRequest(ApiError):
    """The client went away before its request was read (nginx's 499): no one receives
    this answer; it names the outcome in logs and metrics, apart from the server's faults."""

    status = 499
    code = "CLIENT_CLOSED_REQUEST"
    default_message = "The client closed the connection before sending its whole request"


class Conflict(ApiError):
    status = 409
    code = "CONFLICT"
    default_message = "Conflict"


class PayloadTooLarge(ApiError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"
    default_message = "Request body is larger than 1 MiB"


class UnsupportedMediaType(ApiError):
    status = 415
    code = "UNSUPPORTED_MEDIA_TYPE"
    default_message = "Request body must be application/json"


# A 422's message says what failed: the request body or its query string.
INVALID_BODY = "Invalid request body"
INVALID_QUERY = "Invalid query parameters"


class ValidationFailed(ApiError):
    status = 422
    code = "VALIDATION_ERROR"
    default_message = INVALID_BODY


def invalid(field: str, message: str, *, body: bool = True) -> ValidationFailed:
    """A 422 for one field, for rules that need more than the field's type to check."""
    return ValidationFailed(INVALID_BODY if body else INVALID_QUERY, errors={field: [message]})


class RateLimited(ApiError):
    status = 429
    code = "RATE_LIMITED"
    default_message = "Rate limit exceeded"

    def __init__(
        self, retry_at_ms: int, headers: Mapping[str, str], *, reason: str | None = None
    ) -> None:
        super().__init__(headers=headers, reason=reason)
        self.retry_at_ms = retry_at_ms


class ServiceUnavailable(ApiError):
    status = 503
    code = "SERVICE_UNAVAILABLE"
    default_message = "The service is temporarily unavailable"


class InternalError(ApiError):
    pass
