"""Retries where they are safe, with the same Idempotency-Key, waiting as the server says."""

from __future__ import annotations

import httpx
import pytest

from intervals_client import (
    APIConnectionError,
    AsyncClient,
    Client,
    ConflictError,
    InternalServerError,
    RateLimitError,
    RetryPolicy,
    ServiceUnavailableError,
)
from intervals_client.types import EventNew
from intervals_server.testing import free_port
from tests.client.scripted_server import DROP, Reply, error, scripted_server

NO_WAIT = RetryPolicy(max_retries=2, initial_backoff_s=0.0)
CREATED = Reply(201, {"data": {"eventId": "e00000000000001"}})
EVENT_BODY: EventNew = {"name": "Tempo", "slug": "tempo", "type": "runClub", "date": "2031-01-07"}
RECURRENCE = {"_id": "rc0000000000001", "eventId": "e00000000000001", "status": "paused"}


def _client(base_url: str, retry: RetryPolicy = NO_WAIT) -> Client:
    return Client("ik_live_test", base_url=base_url, retry=retry)


def test_post_carries_an_idempotency_key() -> None:
    with scripted_server([CREATED]) as (base_url, script), _client(base_url) as client:
        client.events.create(EVENT_BODY)

    assert script.received[0].headers["idempotency-key"]


def test_each_post_gets_a_key_of_its_own() -> None:
    with scripted_server([CREATED, CREATED]) as (base_url, script), _client(base_url) as client:
        client.events.create(EVENT_BODY)
        client.events.create(EVENT_BODY)

    first, second = (request.headers["idempotency-key"] for request in script.received)
    assert first != second


def test_a_chosen_idempotency_key_is_sent_as_given() -> None:
    with scripted_server([CREATED]) as (base_url, script), _client(base_url) as client:
        client.events.create(EVENT_BODY, idempotency_key="order-42")

    assert script.received[0].headers["idempotency-key"] == "order-42"


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(DROP, id="connection dropped"),
        pytest.param(error(503, "SERVICE_UNAVAILABLE"), id="503"),
        pytest.param(error(500, "INTERNAL_ERROR"), id="500"),
        pytest.param(
            error(409, "CONFLICT", reason="idempotency_key_in_use", retry_after=0), id="409 in use"
        ),
        pytest.param(error(429, "RATE_LIMITED", retry_after=0), id="429"),
    ],
)
def test_post_is_retried_with_the_same_idempotency_key(failure: Reply | str) -> None:
    with scripted_server([failure, CREATED]) as (base_url, script), _client(base_url) as client:
        event_id = client.events.create(EVENT_BODY)

    assert event_id == "e00000000000001"
    first, retry = (request.headers["idempotency-key"] for request in script.received)
    assert first == retry
    assert script.received[0].body == script.received[1].body


def test_get_is_retried_after_a_dropped_connection() -> None:
    replies: list[Reply | str] = [DROP, Reply(200, {"data": RECURRENCE})]
    with scripted_server(replies) as (base_url, script), _client(base_url) as client:
        recurrence = client.recurrences.get("rc0000000000001")

    assert recurrence["_id"] == "rc0000000000001"
    assert len(script.received) == 2


def test_patch_is_retried_after_a_429() -> None:
    replies: list[Reply | str] = [
        error(429, "RATE_LIMITED", retry_after=0),
        Reply(200, {"data": RECURRENCE}),
    ]
    with scripted_server(replies) as (base_url, script), _client(base_url) as client:
        client.recurrences.update("rc0000000000001", {"status": "paused"})

    assert [request.method for request in script.received] == ["PATCH", "PATCH"]


def test_patch_is_not_retried_after_a_500() -> None:
    replies: list[Reply | str] = [error(500, "INTERNAL_ERROR"), Reply(200, {"data": RECURRENCE})]
    with (
        scripted_server(replies) as (base_url, script),
        _client(base_url) as client,
        pytest.raises(InternalServerError),
    ):
        client.recurrences.update("rc0000000000001", {"status": "paused"})

    assert len(script.received) == 1


def test_a_conflict_of_another_reason_is_not_retried() -> None:
    replies: list[Reply | str] = [error(409, "CONFLICT", reason="slug_taken"), CREATED]
    with (
        scripted_server(replies) as (base_url, script),
        _client(base_url) as client,
        pytest.raises(ConflictError) as raised,
    ):
        client.events.create(EVENT_BODY)

    assert raised.value.reason == "slug_taken"
    assert len(script.received) == 1


def test_retries_stop_after_max_retries_with_the_last_error() -> None:
    replies: list[Reply | str] = [error(503, "SERVICE_UNAVAILABLE")] * 4
    with (
        scripted_server(replies) as (base_url, script),
        _client(base_url) as client,
        pytest.raises(ServiceUnavailableError),
    ):
        client.recurrences.get("rc0000000000001")

    assert len(script.received) == 3


def test_a_429_after_the_retries_carries_retry_after() -> None:
    replies: list[Reply | str] = [error(429, "RATE_LIMITED", retry_after=0)] * 3
    with (
        scripted_server(replies) as (base_url, _),
        _client(base_url) as client,
        pytest.raises(RateLimitError) as raised,
    ):
        client.organization.get()

    assert raised.value.retry_after == 0


def test_retry_after_sets_the_wait_on_a_429() -> None:
    response = httpx.Response(429, headers={"Retry-After": "7"})

    assert RetryPolicy().delay("GET", 0, response=response) == 7


def test_a_long_retry_after_is_capped() -> None:
    response = httpx.Response(429, headers={"Retry-After": "3600"})

    assert RetryPolicy(max_retry_after_s=30).delay("POST", 0, response=response) == 30


async def test_async_client_retries_a_post_with_the_same_key() -> None:
    replies: list[Reply | str] = [error(503, "SERVICE_UNAVAILABLE"), CREATED]
    with scripted_server(replies) as (base_url, script):
        async with AsyncClient("ik_live_test", base_url=base_url, retry=NO_WAIT) as client:
            await client.events.create(EVENT_BODY)

    first, retry = (request.headers["idempotency-key"] for request in script.received)
    assert first == retry


def test_an_unreachable_server_raises_a_connection_error_after_the_retries() -> None:
    with (
        Client("ik_live_test", base_url=f"http://127.0.0.1:{free_port()}", retry=NO_WAIT) as client,
        pytest.raises(APIConnectionError),
    ):
        client.organization.get()
