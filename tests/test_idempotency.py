"""Idempotency-Key on POSTs: replays, conflicts, what is not stored, expiry."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from intervals_server import idempotency
from intervals_server.auth.scopes import ALL_SCOPES
from intervals_server.auth.service import authenticate
from intervals_server.db import Database, Store
from intervals_server.kit.errors import Conflict
from intervals_server.models import IdempotencyKey
from intervals_server.models.base import utcnow
from tests.conftest import Client, Tenant
from tests.kit.support import key_with_rate_limit
from tests.kit.test_errors import assert_error
from tests.support import event_body


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


async def events_of(client: Client, tenant: Tenant) -> list[dict[str, Any]]:
    response = await client.get("/events", headers=tenant.headers)
    assert response.status_code == 200, response.text
    events: list[dict[str, Any]] = response.json()["data"]
    return events


async def key_id_of(database: Database, headers: dict[str, str]) -> str:
    return (await authenticate(Store(database), headers["Authorization"])).key_id


async def post_event(
    client: Client, headers: dict[str, str], key: str, body: dict[str, Any]
) -> httpx.Response:
    return await client.post("/events", json=body, headers=keyed(headers, key))


async def test_a_retried_post_replays_the_first_response_and_creates_nothing_more(
    client: Client, tenant: Tenant
) -> None:
    body = event_body()
    first = await post_event(client, tenant.headers, "retry-1", body)
    second = await post_event(client, tenant.headers, "retry-1", body)

    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert len(await events_of(client, tenant)) == 1


async def test_only_a_replay_is_marked_as_one(client: Client, tenant: Tenant) -> None:
    body = event_body()
    first = await post_event(client, tenant.headers, "mark", body)
    second = await post_event(client, tenant.headers, "mark", body)

    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["Idempotent-Replayed"] == "true"


async def test_a_replay_carries_its_own_request_id(client: Client, tenant: Tenant) -> None:
    body = event_body()
    first = await post_event(client, tenant.headers, "rid", body)
    second = await post_event(client, tenant.headers, "rid", body)

    assert second.headers["Request-Id"] != first.headers["Request-Id"]


async def test_the_same_body_with_fields_in_another_order_is_a_replay(
    client: Client, tenant: Tenant
) -> None:
    body = event_body()
    await post_event(client, tenant.headers, "order", body)
    reordered = dict(reversed(list(body.items())))
    second = await post_event(client, tenant.headers, "order", reordered)

    assert second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"


async def test_a_key_reused_with_another_body_is_a_conflict(client: Client, tenant: Tenant) -> None:
    await post_event(client, tenant.headers, "reused", event_body())
    response = await post_event(client, tenant.headers, "reused", event_body())

    error = assert_error(response, 409, "CONFLICT")
    assert error["reason"] == "idempotency_key_reused"
    assert error["message"] == "Idempotency key already used with different request body"
    assert len(await events_of(client, tenant)) == 1


async def test_a_key_reused_on_another_path_is_a_conflict(client: Client, tenant: Tenant) -> None:
    created = await post_event(client, tenant.headers, "path", event_body())
    event_id = created.json()["data"]["eventId"]
    response = await client.post(
        f"/events/{event_id}/runs",
        json={"distanceMeters": 5000, "distanceStandard": "5K"},
        headers=keyed(tenant.headers, "path"),
    )

    assert assert_error(response, 409, "CONFLICT")["reason"] == "idempotency_key_reused"


async def test_keys_are_scoped_to_the_api_key(client: Client, tenant: Tenant) -> None:
    await post_event(client, tenant.headers, "scoped", event_body())
    another_key = await tenant.headers_with(*ALL_SCOPES)
    response = await post_event(client, another_key, "scoped", event_body())

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers
    assert len(await events_of(client, tenant)) == 2


async def test_a_request_that_failed_validation_is_not_stored(
    client: Client, tenant: Tenant
) -> None:
    invalid = await post_event(client, tenant.headers, "fix", event_body(type="marathon"))
    valid = await post_event(client, tenant.headers, "fix", event_body())

    assert invalid.status_code == 422
    assert valid.status_code == 201
    assert "Idempotent-Replayed" not in valid.headers


async def test_a_request_the_service_found_invalid_is_not_stored(
    client: Client, tenant: Tenant
) -> None:
    invalid = await post_event(client, tenant.headers, "zone", event_body(timezone="Mars/Base"))
    valid = await post_event(client, tenant.headers, "zone", event_body())

    assert invalid.status_code == 422
    assert valid.status_code == 201
    assert "Idempotent-Replayed" not in valid.headers


async def test_a_request_refused_by_its_rate_limit_is_not_stored(
    limited_client: Client, tenant: Tenant, database: Database
) -> None:
    headers = await key_with_rate_limit(database, tenant, "1/5s")
    await limited_client.get("/organization", headers=headers)
    body = event_body()
    refused = await post_event(limited_client, headers, "later", body)
    await asyncio.sleep(int(refused.headers["Retry-After"]))
    retried = await post_event(limited_client, headers, "later", body)

    assert refused.status_code == 429
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried.headers


async def test_a_not_found_answer_is_replayed_with_this_requests_id(
    client: Client, tenant: Tenant
) -> None:
    path = "/events/e00000000000000/runs"
    body = {"distanceMeters": 5000, "distanceStandard": "5K"}
    headers = keyed(tenant.headers, "missing")
    await client.post(path, json=body, headers=headers)
    replay = await client.post(path, json=body, headers=headers)

    assert_error(replay, 404, "NOT_FOUND")
    assert replay.headers["Idempotent-Replayed"] == "true"


async def test_a_key_whose_first_request_is_still_running_is_in_use(
    client: Client, tenant: Tenant, database: Database
) -> None:
    body = event_body()
    fingerprint = idempotency.fingerprint("POST", "/events", json.dumps(body).encode())
    key_id = await key_id_of(database, tenant.headers)
    await idempotency.reserve(database, key_id, "busy", fingerprint)
    response = await post_event(client, tenant.headers, "busy", body)

    assert assert_error(response, 409, "CONFLICT")["reason"] == "idempotency_key_in_use"
    assert response.headers["Retry-After"] == "1"
    assert await events_of(client, tenant) == []


async def test_a_reservation_whose_lease_ran_out_is_taken_over(
    client: Client, tenant: Tenant, database: Database
) -> None:
    key_id = await key_id_of(database, tenant.headers)
    await idempotency.reserve(database, key_id, "crashed", "an abandoned request")
    async with database.write() as session:
        await session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.api_key_id == key_id)
            .values(lease_until=utcnow() - dt.timedelta(seconds=1))
        )
    response = await post_event(client, tenant.headers, "crashed", event_body())

    assert response.status_code == 201


async def test_a_request_whose_reservation_was_taken_over_cannot_complete(
    tenant: Tenant, database: Database
) -> None:
    key_id = await key_id_of(database, tenant.headers)
    stale = await idempotency.reserve(database, key_id, "slow", "same")
    async with database.write() as session:
        await session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.api_key_id == key_id)
            .values(lease_until=utcnow() - dt.timedelta(seconds=1))
        )
    await idempotency.reserve(database, key_id, "slow", "same")
    assert isinstance(stale, idempotency.Reservation)

    with pytest.raises(Conflict):
        async with database.write() as session:
            await idempotency.complete(session, stale, 201, b"{}")


async def test_an_expired_key_runs_its_request_again(
    client: Client, tenant: Tenant, database: Database
) -> None:
    await post_event(client, tenant.headers, "day-old", event_body())
    async with database.write() as session:
        await session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.api_key_id == await key_id_of(database, tenant.headers))
            .values(expires_at=utcnow() - dt.timedelta(seconds=1))
        )
    # Another body: a live key would answer idempotency_key_reused.
    again = await post_event(client, tenant.headers, "day-old", event_body())

    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers


async def test_expired_keys_are_purged(client: Client, tenant: Tenant, database: Database) -> None:
    key_id = await key_id_of(database, tenant.headers)
    await post_event(client, tenant.headers, "old", event_body())
    await post_event(client, tenant.headers, "recent", event_body())
    async with database.write() as session:
        await session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.api_key_id == key_id, IdempotencyKey.key == "old")
            .values(expires_at=utcnow() - dt.timedelta(seconds=1))
        )
        await idempotency.purge_expired(session)
        kept = await session.scalars(
            select(IdempotencyKey.key).where(IdempotencyKey.api_key_id == key_id)
        )
        assert list(kept) == ["recent"]


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there"])
async def test_a_malformed_key_is_a_bad_request(client: Client, tenant: Tenant, key: str) -> None:
    response = await post_event(client, tenant.headers, key, event_body())

    assert_error(response, 400, "BAD_REQUEST")
    assert await events_of(client, tenant) == []


async def test_a_key_of_255_printable_characters_is_accepted(
    client: Client, tenant: Tenant
) -> None:
    response = await post_event(client, tenant.headers, "~ !" + "k" * 252, event_body())

    assert response.status_code == 201


async def test_a_post_without_a_key_stores_nothing(
    client: Client, tenant: Tenant, database: Database
) -> None:
    await client.post("/events", json=event_body(), headers=tenant.headers)
    async with database.read() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(IdempotencyKey)
            .where(IdempotencyKey.api_key_id == await key_id_of(database, tenant.headers))
        )

    assert count == 0
