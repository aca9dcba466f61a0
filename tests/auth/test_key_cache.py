from __future__ import annotations

import pytest

from intervals_server.auth import repository
from intervals_server.auth.cache import TTL_SECONDS, KeyCache
from intervals_server.auth.scopes import ALL_SCOPES
from intervals_server.auth.service import issue_key, verified_keys
from intervals_server.db import Database
from intervals_server.models.base import utcnow
from tests.conftest import Client, Tenant


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_cached_key_is_forgotten_once_its_time_to_live_passes() -> None:
    clock = Clock()
    cache: KeyCache[str] = KeyCache(ttl=5, clock=clock)
    cache.put("hash", "ak1", "principal")
    clock.now += 4.9
    assert cache.get("hash") == "principal"

    clock.now += 0.1

    assert cache.get("hash") is None


def test_forgetting_a_key_drops_it_at_once() -> None:
    cache: KeyCache[str] = KeyCache(ttl=5)
    cache.put("hash", "ak1", "principal")
    cache.put("other", "ak2", "someone else")

    cache.forget("ak1")

    assert cache.get("hash") is None
    assert cache.get("other") == "someone else"


def test_a_full_cache_starts_over_with_the_newest_key() -> None:
    cache: KeyCache[str] = KeyCache(ttl=5, max_entries=2)
    cache.put("a", "ak1", "first")
    cache.put("b", "ak2", "second")

    cache.put("c", "ak3", "third")

    assert cache.get("c") == "third"
    assert cache.get("a") is None


async def test_key_revoked_by_another_process_is_refused_once_its_cache_entry_expires(
    client: Client, database: Database, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with database.write() as session:
        issued = await issue_key(session, tenant.organization_id, name="t", scopes=ALL_SCOPES)
    headers = {"Authorization": f"Bearer {issued.secret}"}
    assert (await client.get("/organization", headers=headers)).status_code == 200
    # What another worker or the CLI does: the row changes, this process's cache does not.
    async with database.write() as session:
        assert await repository.revoke(session, issued.key.id, utcnow())

    later = verified_keys._clock() + TTL_SECONDS
    monkeypatch.setattr(verified_keys, "_clock", lambda: later)
    response = await client.get("/organization", headers=headers)

    assert response.status_code == 401
