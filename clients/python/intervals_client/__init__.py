"""The Python SDK of the Intervals Partner API.

from intervals_client import Client

with Client("ik_live_…", base_url="http://127.0.0.1:8000") as client:
    for recurrence in client.recurrences.list(status="active"):
        print(recurrence["label"])
"""

from intervals_client._client import AsyncClient, Client
from intervals_client._errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    IntervalsError,
    MethodNotAllowedError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
    UnsupportedMediaTypeError,
    ValidationError,
)
from intervals_client._requestor import RetryPolicy

__version__ = "0.1.0"

__all__ = [
    "APIConnectionError",
    "APIError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ConflictError",
    "InternalServerError",
    "IntervalsError",
    "MethodNotAllowedError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "ServiceUnavailableError",
    "UnsupportedMediaTypeError",
    "ValidationError",
    "__version__",
]
