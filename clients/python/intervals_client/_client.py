"""``Client`` (blocking) and ``AsyncClient`` (asyncio): the same API, two ways to wait."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from types import TracebackType
from typing import Any, Self

import httpx

from intervals_client._requestor import (
    API_VERSION,
    DEFAULT_TIMEOUT_S,
    Advance,
    Call,
    Requestor,
    RetryPolicy,
    after_last,
    chosen_base_url,
)
from intervals_client._resources import (
    AsyncEvents,
    AsyncGroups,
    AsyncOrganization,
    AsyncRecurrences,
    AsyncRegistrations,
    AsyncRuns,
    Events,
    Groups,
    OrganizationResource,
    Recurrences,
    Registrations,
    Runs,
)


class Client:
    """The Intervals API, blocking, on the server at ``base_url`` (or ``INTERVALS_BASE_URL``;
    there is no default).

    ``client.recurrences.list(status="active")`` yields every active recurrence, page after
    page. POSTs carry an ``Idempotency-Key`` and are retried with it; 429s wait for
    ``Retry-After``. Errors raise the ``APIError`` subclass of their code.
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_retries: int = 2,
        retry: RetryPolicy | None = None,
        version: str | None = API_VERSION,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._requestor = Requestor(api_key, retry or RetryPolicy(max_retries=max_retries), version)
        base_url = chosen_base_url(base_url, http_client)
        self._http = http_client or httpx.Client(base_url=base_url, timeout=timeout)
        self.organization = OrganizationResource(self)
        self.events = Events(self)
        self.runs = Runs(self)
        self.registrations = Registrations(self)
        self.recurrences = Recurrences(self)
        self.groups = Groups(self)

    def _request(self, call: Call) -> Any:
        """Send ``call`` (retrying where safe) and return the body's ``data``."""
        return self._send(call)["data"]

    def _iterate(self, call: Call, advance: Advance = after_last) -> Iterator[Any]:
        """Every item of a list, fetching the next page while ``hasMore``."""
        while True:
            page = self._send(call)
            yield from page["data"]
            if not (page["hasMore"] and page["data"]):
                return
            call = call.with_params(advance(page["data"]))

    def _send(self, call: Call) -> Any:
        arguments = self._requestor.request_arguments(call)
        attempt = 0
        while True:
            try:
                response = self._http.request(**arguments)
            except httpx.TransportError as error:
                delay = self._requestor.outcome(call, attempt, error=error)
            else:
                if response.is_success:
                    return response.json()
                delay = self._requestor.outcome(call, attempt, response=response)
            time.sleep(delay)
            attempt += 1

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClient:
    """The Intervals API, for asyncio: as ``Client``, with ``await`` and ``async for``."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_retries: int = 2,
        retry: RetryPolicy | None = None,
        version: str | None = API_VERSION,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._requestor = Requestor(api_key, retry or RetryPolicy(max_retries=max_retries), version)
        base_url = chosen_base_url(base_url, http_client)
        self._http = http_client or httpx.AsyncClient(base_url=base_url, timeout=timeout)
        self.organization = AsyncOrganization(self)
        self.events = AsyncEvents(self)
        self.runs = AsyncRuns(self)
        self.registrations = AsyncRegistrations(self)
        self.recurrences = AsyncRecurrences(self)
        self.groups = AsyncGroups(self)

    async def _request(self, call: Call) -> Any:
        """Send ``call`` (retrying where safe) and return the body's ``data``."""
        return (await self._send(call))["data"]

    async def _iterate(self, call: Call, advance: Advance = after_last) -> AsyncIterator[Any]:
        """Every item of a list, fetching the next page while ``hasMore``."""
        while True:
            page = await self._send(call)
            for item in page["data"]:
                yield item
            if not (page["hasMore"] and page["data"]):
                return
            call = call.with_params(advance(page["data"]))

    async def _send(self, call: Call) -> Any:
        arguments = self._requestor.request_arguments(call)
        attempt = 0
        while True:
            try:
                response = await self._http.request(**arguments)
            except httpx.TransportError as error:
                delay = self._requestor.outcome(call, attempt, error=error)
            else:
                if response.is_success:
                    return response.json()
                delay = self._requestor.outcome(call, attempt, response=response)
            await asyncio.sleep(delay)
            attempt += 1

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
