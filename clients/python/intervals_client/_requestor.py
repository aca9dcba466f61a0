"""Sending one call: the idempotency key, the retries, the error it becomes.

The decisions (retry or not, how long to wait) are plain functions of the call and what
came back, shared by the blocking and the asyncio client; only the sending and the
sleeping differ between them.
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from intervals_client._errors import (
    APIConnectionError,
    error_detail,
    error_for,
    retry_after_seconds,
)

BASE_URL_ENVIRONMENT = "INTERVALS_BASE_URL"
DEFAULT_TIMEOUT_S = 30.0
API_VERSION = "2026-03-01"

Items = list[dict[str, Any]]
# Given the last page's items, the query parameters that ask for the next page.
Advance = Callable[[Items], dict[str, Any]]


def chosen_base_url(
    base_url: str | None, http_client: httpx.Client | httpx.AsyncClient | None
) -> str:
    """The server the user chose: ``base_url``, else ``INTERVALS_BASE_URL``, else the given
    HTTP client's. Never a default: a key sent to a server nobody chose is a key leaked."""
    chosen = base_url or os.environ.get(BASE_URL_ENVIRONMENT)
    if not chosen and http_client is not None:
        chosen = str(http_client.base_url)
    if not chosen:
        raise ValueError(
            "base_url is required: Client(api_key, base_url='https://…') names the Intervals "
            f"server to call (or set {BASE_URL_ENVIRONMENT})"
        )
    return chosen


@dataclass(frozen=True)
class Call:
    """One API request, before it is sent."""

    method: str
    path: str
    params: Mapping[str, Any] = field(default_factory=dict)
    body: Mapping[str, Any] | None = None
    idempotency_key: str | None = None

    def with_params(self, params: Mapping[str, Any]) -> Call:
        return replace(self, params={**self.params, **params})


def after_last(items: Items) -> dict[str, Any]:
    return {"after": items[-1]["_id"]}


@dataclass(frozen=True)
class RetryPolicy:
    """When to send a call again, and after how long.

    Only where it cannot do harm: a GET is safe to repeat; a POST carries an
    Idempotency-Key, so the server does it at most once; a PATCH is repeated only when the
    server surely did not run it (it could not be reached, or it answered 429).
    """

    max_retries: int = 2
    initial_backoff_s: float = 0.5
    max_backoff_s: float = 8.0
    max_retry_after_s: float = 60.0

    def backoff(self, attempt: int) -> float:
        """Exponential, with jitter so that many clients do not retry in step."""
        ceiling = min(self.max_backoff_s, self.initial_backoff_s * 2.0**attempt)
        return ceiling * (0.5 + random.random() / 2)

    def delay(
        self,
        method: str,
        attempt: int,
        response: httpx.Response | None = None,
        error: httpx.TransportError | None = None,
    ) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or None not to retry."""
        if attempt >= self.max_retries:
            return None
        repeatable = method in ("GET", "POST")
        if response is None:
            if repeatable or isinstance(error, httpx.ConnectError):
                return self.backoff(attempt)
            return None
        status = response.status_code
        if status == 429 or (
            status == 409 and error_detail(response).get("reason") == "idempotency_key_in_use"
        ):
            waited = retry_after_seconds(response)
            return min(self.backoff(attempt) if waited is None else waited, self.max_retry_after_s)
        if status >= 500 and repeatable:
            return self.backoff(attempt)
        return None


class Requestor:
    """What both clients share: the request each call becomes, and what to do next."""

    def __init__(self, api_key: str, retry: RetryPolicy, version: str | None) -> None:
        if not api_key:
            raise ValueError("an API key is required")
        self.headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
        if version:
            self.headers["Intervals-Version"] = version
        self.retry = retry

    def request_arguments(self, call: Call) -> dict[str, Any]:
        """The arguments of ``httpx`` ``request``; the same for every attempt of a call."""
        headers = dict(self.headers)
        if call.method == "POST":
            headers["Idempotency-Key"] = call.idempotency_key or str(uuid.uuid4())
        arguments: dict[str, Any] = {
            "method": call.method,
            "url": call.path,
            "params": {k: _query_value(v) for k, v in call.params.items() if v is not None},
            "headers": headers,
        }
        if call.body is not None:
            arguments["json"] = dict(call.body)
        return arguments

    def outcome(
        self,
        call: Call,
        attempt: int,
        response: httpx.Response | None = None,
        error: httpx.TransportError | None = None,
    ) -> float:
        """Seconds to wait before trying ``call`` again; raises when it is not to be retried."""
        delay = self.retry.delay(call.method, attempt, response, error)
        if delay is not None:
            return delay
        if response is None:
            raise APIConnectionError(f"{call.method} {call.path}: {error!r}") from error
        raise error_for(response)


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
