"""The benchmark's ceiling: one route answering a recurrence page from memory.

Mounted only when ``INTERVALS_BENCH_CEILING=1`` (``bench/api.py`` sets it), so production
never serves it. It runs through the same process, workers and ASGI middleware as every
partner route, but without authentication, database or rate limit: what the server costs
when the API costs nothing. Kept out of the OpenAPI document.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from litestar import Response, get
from litestar.handlers import HTTPRouteHandler

from intervals_server.kit.responses import JSON
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


def ceiling_handlers() -> list[HTTPRouteHandler]:
    body = _page()

    @get(CEILING_PATH, include_in_schema=False)
    async def ceiling() -> Response[bytes]:
        return Response(content=body, media_type=JSON)

    return [ceiling]
