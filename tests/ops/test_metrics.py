"""/metrics: Prometheus text with the requests made, the publisher's work and its lag."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from litestar.testing import AsyncTestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import update

from intervals_server.app import create_app
from intervals_server.config import Settings
from intervals_server.db import Database
from intervals_server.models import Recurrence
from intervals_server.testing import free_port, server_process, serving
from tests.auth.test_failed_authentication import BURST, an_address
from tests.conftest import Client, Tenant
from tests.kit.support import key_with_rate_limit
from tests.kit.test_errors import assert_error
from tests.recurrences.support import create_recurring_event, runs_of

EVENT_ROUTE = {"method": "GET", "route": "/events/{event_id}", "status": "404"}


async def sample(http: httpx.AsyncClient, name: str, **labels: str) -> float | None:
    """The value of one sample on /metrics, or ``None`` if it is not there."""
    response = await http.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    for family in text_string_to_metric_families(response.text):
        for each in family.samples:
            if each.name == name and each.labels == labels:
                return float(each.value)
    return None


async def test_metrics_need_no_api_key(client: Client) -> None:
    response = await client.get("/metrics")

    assert response.status_code == 200
    assert "intervals_http_requests_total" in response.text


async def test_requests_are_counted_by_route_template_and_status(
    client: Client, tenant: Tenant
) -> None:
    before = await sample(client, "intervals_http_requests_total", **EVENT_ROUTE) or 0

    for event_id in ("e000000000001", "e000000000002"):
        await client.get(f"/events/{event_id}", headers=tenant.headers)

    assert await sample(client, "intervals_http_requests_total", **EVENT_ROUTE) == before + 2


async def test_request_latency_is_a_histogram_by_route_and_status(
    client: Client, tenant: Tenant
) -> None:
    name = "intervals_http_request_duration_seconds_count"
    before = await sample(client, name, **EVENT_ROUTE) or 0

    await client.get("/events/e000000000003", headers=tenant.headers)

    assert await sample(client, name, **EVENT_ROUTE) == before + 1
    assert await sample(
        client, "intervals_http_request_duration_seconds_bucket", **EVENT_ROUTE, le="+Inf"
    ) == (before + 1)


async def test_every_workers_requests_are_counted(database_url: str) -> None:
    async with (
        server_process(database_url, workers=2) as server,
        httpx.AsyncClient(base_url=server.base_url) as http,
    ):
        await asyncio.gather(*(http.get("/events/e000000000004") for _ in range(20)))
        labels = {**EVENT_ROUTE, "status": "401"}

        assert await sample(http, "intervals_http_requests_total", **labels) == 20


async def test_published_runs_and_the_publishers_lag_are_exposed(
    client: Client, tenant: Tenant, database: Database, database_url: str
) -> None:
    recurrence_id = await create_recurring_event(client, tenant.headers, status="paused")
    async with database.write() as session:  # so that only the background publisher publishes
        await session.execute(
            update(Recurrence).where(Recurrence.id == recurrence_id).values(status="active")
        )
    before = await sample(client, "intervals_publisher_runs_published_total") or 0
    app = create_app(Settings(database_url=database_url, publish_interval_seconds=0.05))

    async with AsyncTestClient(app) as served:
        for _ in range(200):
            if await runs_of(client, tenant.headers, recurrence_id):
                break
            await asyncio.sleep(0.05)
        published = await sample(served, "intervals_publisher_runs_published_total")
        lag = await sample(served, "intervals_publisher_lag_seconds")

    assert published is not None and published >= before + 7
    assert lag is not None and lag >= 0


async def test_rate_limit_rejections_are_counted(
    limited_client: Client, database: Database, tenant: Tenant
) -> None:
    name = "intervals_rate_limit_rejections_total"
    before = await sample(limited_client, name) or 0
    headers = await key_with_rate_limit(database, tenant, "1/min")

    statuses = [(await limited_client.get("/organization", headers=headers)).status_code]
    statuses.append((await limited_client.get("/organization", headers=headers)).status_code)

    assert statuses == [200, 429]
    assert await sample(limited_client, name) == before + 1


METRICS_TOKEN = "metrics-token-of-at-least-32-chars"


@contextlib.asynccontextmanager
async def metrics_behind_a_token(
    database_url: str, database: Database, address: str = "127.0.0.1"
) -> AsyncIterator[Client]:
    settings = Settings(database_url=database_url, metrics_token=SecretStr(METRICS_TOKEN))
    app = create_app(settings, database=database)
    transport = httpx.ASGITransport(app=app, client=(address, 40000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="no header"),
        pytest.param("Bearer not-the-metrics-token", id="wrong token"),
        pytest.param(f"Bearer {METRICS_TOKEN}x", id="longer token"),
        pytest.param(f"Basic {METRICS_TOKEN}", id="wrong scheme"),
    ],
)
async def test_metrics_behind_a_token_refuse_a_request_without_it(
    database_url: str, database: Database, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    async with metrics_behind_a_token(database_url, database) as http:
        response = await http.get("/metrics", headers=headers)

    assert_error(response, 401, "UNAUTHORIZED")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "intervals_http_requests_total" not in response.text


async def test_metrics_behind_a_token_answer_a_request_bearing_it(
    database_url: str, database: Database
) -> None:
    async with metrics_behind_a_token(database_url, database) as http:
        response = await http.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})

    assert response.status_code == 200
    assert "intervals_http_requests_total" in response.text


async def test_wrong_metrics_tokens_count_as_failed_authentications(
    database_url: str, database: Database
) -> None:
    wrong = {"Authorization": "Bearer not-the-metrics-token"}
    async with metrics_behind_a_token(database_url, database, an_address()) as http:
        responses = [await http.get("/metrics", headers=wrong) for _ in range(BURST + 1)]

    assert [response.status_code for response in responses] == [401] * BURST + [429]


def test_a_metrics_token_shorter_than_32_characters_is_refused() -> None:
    with pytest.raises(ValueError, match="metrics_token"):
        Settings(metrics_token=SecretStr("short"))


async def test_serving_beyond_loopback_without_a_metrics_token_warns(database_url: str) -> None:
    port = free_port()
    command = [str(Path(sys.executable).with_name("intervals")), "serve", "--no-migrate"]
    command += ["--host", "0.0.0.0", "--port", str(port), "--allow-sqlite"]
    environment = {**os.environ, "INTERVALS_DATABASE_URL": database_url}
    environment.pop("INTERVALS_METRICS_TOKEN", None)
    async with serving(command, environment, f"http://127.0.0.1:{port}") as server:
        output = server.output()

    assert "set INTERVALS_METRICS_TOKEN" in output


async def test_a_cron_publisher_sharing_the_metrics_folder_shows_on_the_servers_metrics(
    database_url: str, tmp_path: Path
) -> None:
    settings = {
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "INTERVALS_PUBLISH_INTERVAL_SECONDS": "0",
    }
    async with (
        server_process(database_url, env=settings) as server,
        httpx.AsyncClient(base_url=server.base_url) as http,
    ):
        publisher = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).with_name("intervals")),
            "publish",
            "--once",
            env={**os.environ, "INTERVALS_DATABASE_URL": database_url, **settings},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, errors = await asyncio.wait_for(publisher.communicate(), 60)

        assert publisher.returncode == 0, errors.decode()
        assert await sample(http, "intervals_publisher_passes_total", outcome="ok") == 1
