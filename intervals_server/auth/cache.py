"""Verified keys remembered briefly, so a request need not look its key up every time.

A key is cached by its secret's hash for ``TTL_SECONDS`` after a successful lookup. A
revocation through this process forgets the key at once; one made by another process
(another worker, the CLI) is honoured once the entry expires, within ``TTL_SECONDS``.
Unknown and revoked keys are remembered apart, as refused (``RefusedKeys``), for
``REFUSED_TTL_SECONDS``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

from cachetools import TTLCache

TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000
REFUSED_TTL_SECONDS = 30.0

P = TypeVar("P")


class KeyCache(Generic[P]):
    """Secret hash -> principal, each entry for ``ttl`` seconds, at most ``max_entries``."""

    def __init__(
        self,
        *,
        ttl: float = TTL_SECONDS,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[str, tuple[float, str, P]] = {}

    def get(self, secret_hash: str) -> P | None:
        entry = self._entries.get(secret_hash)
        if entry is None:
            return None
        expires, _, principal = entry
        if expires <= self._clock():
            del self._entries[secret_hash]
            return None
        return principal

    def put(self, secret_hash: str, key_id: str, principal: P) -> None:
        if len(self._entries) >= self.max_entries:
            # Rare (that many live keys in one process): start over rather than track age.
            self._entries.clear()
        self._entries[secret_hash] = (self._clock() + self.ttl, key_id, principal)

    def forget(self, key_id: str) -> None:
        """Drop the key with ``key_id``, wherever it is cached."""
        for secret_hash, (_, cached_id, _) in list(self._entries.items()):
            if cached_id == key_id:
                del self._entries[secret_hash]


class RefusedKeys:
    """Hashes of keys the database did not know (or knew as revoked), remembered for
    ``ttl`` seconds so that repeating one costs no lookup; at most ``max_entries``, the least
    recently used dropped first.

    Safe to remember: a secret is 30 random bytes made at issue, so no key issued later has
    a hash refused before; a key issued by this process is forgotten here all the same
    (``discard``), and a revoked key never comes back.
    """

    def __init__(
        self,
        *,
        ttl: float = REFUSED_TTL_SECONDS,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._entries: TTLCache[str, bool] = TTLCache(maxsize=max_entries, ttl=ttl, timer=clock)

    def __contains__(self, secret_hash: str) -> bool:
        # A read refreshes its place in the LRU order, not its time to live.
        return self._entries.get(secret_hash, False)

    def add(self, secret_hash: str) -> None:
        self._entries[secret_hash] = True

    def discard(self, secret_hash: str) -> None:
        self._entries.pop(secret_hash, None)
