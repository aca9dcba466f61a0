"""Failed authentications, limited per client address.

Every request refused for its key (none, malformed, unknown or revoked), or for its metrics
token, counts against its
client address in the same limiter as the keys' limits (memory, or Redis when
configured). Over the limit such requests answer 429 ``RATE_LIMITED`` (reason
``too_many_failed_authentications``) with ``Retry-After``. Until then the worker also stops
looking keys up for that address: a key it has not verified in the last seconds waits too,
while one it has passes (its check costs nothing).

The address is the one the ASGI server reports (behind a proxy, configure the server to
take it from the proxy's forwarded headers; ``X-Forwarded-For`` is not trusted here).
IPv6 addresses count per /64, the block one host usually holds.
"""

from __future__ import annotations

import ipaddress
import math
import time

from cachetools import TLRUCache

from intervals_server.auth.cache import MAX_ENTRIES
from intervals_server.auth.service import Principal, authenticate
from intervals_server.db import Store
from intervals_server.kit.errors import RateLimited, Unauthorized
from intervals_server.kit.rate_limit import Limiter, Window
from intervals_server.ops.metrics import record_rate_limit_rejection

# At most 60 failed authentications a minute per address, and 20 in any 10 seconds.
FAILED_AUTHENTICATION_WINDOWS = (Window(60, 60), Window(20, 10))
REASON = "too_many_failed_authentications"
_KEY_PREFIX = "auth-failures:"


def client_address(host: str | None) -> str:
    """The address whose failures count together: an IPv4 address, or an IPv6 /64."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:100]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _refused(retry_at_ms: int) -> RateLimited:
    seconds = max(math.ceil(retry_at_ms / 1000 - time.time()), 1)
    return RateLimited(retry_at_ms, {"Retry-After": str(seconds)}, reason=REASON)


class FailedAuthentications:
    """Authenticates requests, counting each failure against its client address."""

    def __init__(self, limiter: Limiter | None, *, max_entries: int = MAX_ENTRIES) -> None:
        self._limiter = limiter
        # Address -> when its refusal ends (epoch ms), this worker's memory of the limiter's
        # verdict: a refused address costs no lookup, in the database or in Redis.
        self._refused_until: TLRUCache[str, int] = TLRUCache(
            maxsize=max_entries, ttu=lambda _, until, now: until / 1000, timer=time.time
        )

    async def authenticate(
        self, store: Store, authorization: str | None, host: str | None
    ) -> Principal:
        if self._limiter is None:
            return await authenticate(store, authorization)
        # The address is worked out only for a request that is not a verified key's.
        try:
            return await authenticate(
                store,
                authorization,
                before_lookup=lambda: self._refuse_if_refused(client_address(host)),
            )
        except Unauthorized:
            await self._count_failure(client_address(host))
            raise

    async def failed(self, host: str | None) -> None:
        """Count a failed authentication made elsewhere (the metrics token): ``RateLimited``
        if the address is over its limit."""
        if self._limiter is not None:
            await self._count_failure(client_address(host))

    def _refuse_if_refused(self, address: str) -> None:
        until = self._refused_until.get(address)
        if until is not None:
            record_rate_limit_rejection()
            raise _refused(until)

    async def _count_failure(self, address: str) -> None:
        assert self._limiter is not None
        self._refuse_if_refused(address)
        decision = await self._limiter.hit(_KEY_PREFIX + address, FAILED_AUTHENTICATION_WINDOWS)
        if not decision.allowed:
            until = decision.retry_at_ms or int(time.time() * 1000) + 1000
            self._refused_until[address] = until
            record_rate_limit_rejection()
            raise _refused(until)
