from __future__ import annotations

import httpx

from intervals_server.app import create_app
from intervals_server.ceiling import CEILING_PATH
from intervals_server.config import Settings
from intervals_server.db import Database
from tests.conftest import Client


async def test_benchmark_ceiling_is_not_served_by_default(client: Client) -> None:
    response = await client.get(CEILING_PATH)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


async def test_benchmark_ceiling_answers_a_recurrence_page_without_a_key_when_enabled(
    database_url: str, database: Database
) -> None:
    app = create_app(Settings(database_url=database_url, bench_ceiling=True), database=database)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get(CEILING_PATH)
        document = (await http.get("/openapi.json")).json()

    assert response.status_code == 200
    assert len(response.json()["data"]) == 20
    assert response.headers["Request-Id"].startswith("req_")
    assert CEILING_PATH not in document["paths"]
