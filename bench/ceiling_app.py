"""The benchmark's ceiling: the server with one more route, answering a recurrence page
from memory.

``bench/api.py`` serves it with ``intervals serve --app-factory ceiling_app:create_app``
(this folder on ``PYTHONPATH``): the same process, workers and ASGI middleware as every
partner route, but without authentication, database or rate limit: what the server costs
when the API costs nothing. The product never carries the route, and its OpenAPI
document, built before the route is added, never lists it.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from litestar import Litestar, Response, get
from litestar.handlers import HTTPRouteHandler

from intervals_server import app
from intervals_server.http.responses import JSON
from intervals_server.kit.schemas import Page
from intervals_server.recurrences.schemas import Recurrence, Schedule

CEILING_PATH = "/_bench/ceiling"
_AT = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)


def _page(size: int = 20) -> bytes:
    """A list of ``size`` recurrences shaped like a real ``GET /recurrences`` page."""
    items = [
        Recurrence(
            id=f"rc{index:014d}",
            event_id=f"e{index:014d}",
            label="Tuesday tempo",
            schedule=Schedule(
                frequency="weekly", days_of_week=[2], start_time="18:30", duration_minutes=60
            ),
            status="active",
            auto_publish_horizon_weeks=8,
            created_at=_AT,
            updated_at=_AT,
        )
        for index in range(size)
    ]
    return msgspec.json.encode(Page(items, True))


def _ceiling() -> HTTPRouteHandler:
    body = _page()

    @get(CEILING_PATH, include_in_schema=False)
    async def ceiling() -> Response[bytes]:
        return Response(content=body, media_type=JSON)

    return ceiling


def create_app() -> Litestar:
    """The product's app (its settings from the environment), plus the ceiling route."""
    server = app.create_app()
    server.register(_ceiling())
    return server
