"""Verified keys remembered briefly, so a request need not look its key up every time.

A key is cached by its secret's hash for ``TTL_SECONDS`` after a successful lookup. A
revocation through this process forgets the key at once; one made by another process
(another worker, the CLI) is honoured once the entry expires, within ``TTL_SECONDS``.
Unknown and revoked keys are never cached: each is looked up again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000

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
