"""Probes and metrics for the operator: no API key, no rate limit (``/metrics`` asks for
the operator's metrics token when one is set).

``/healthz`` says the process answers; ``/readyz`` that it can serve, i.e. its database
(and Redis, when configured) answer now; ``/metrics`` is the Prometheus exposition.
"""

from __future__ import annotations

import asyncio
import hmac
from typing import Any, Literal

import msgspec
from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler
from sqlalchemy import text

from intervals_server.auth.throttle import FailedAuthentications
from intervals_server.config import Settings
from intervals_server.db import Database
from intervals_server.http.responses import JSON
from intervals_server.kit.errors import Unauthorized
from intervals_server.ops import metrics
from intervals_server.ops.logs import get_logger

logger = get_logger("intervals.readiness")

CHECK_TIMEOUT_S = 2.0
OK = "ok"
UNAVAILABLE = "unavailable"
ProbeStatus = Literal["ok", "unavailable"]


class Health(msgspec.Struct):
    """``/healthz``: the process answers."""

    status: ProbeStatus


class Checks(msgspec.Struct, omit_defaults=True):
    """Each dependency's answer; ``redis`` only when the server is configured with one."""

    database: ProbeStatus
    redis: ProbeStatus | None = None


class Readiness(msgspec.Struct):
    """``/readyz``: ``ok`` when every check is ``ok``, else ``unavailable``."""

    status: ProbeStatus
    checks: Checks


async def _database_answers(database: Database) -> None:
    async with database.read() as session:
        await session.execute(text("SELECT 1"))


async def _redis_answers(url: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT_S)
    try:
        await client.ping()
    finally:
        await client.aclose()


async def _check(name: str, probe: Any) -> str:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            await probe
    except Exception as exc:
        # The exception's type and message only: a driver's repr may hold the URL.
        logger.warning("readiness check failed", check=name, error=type(exc).__name__)
        return UNAVAILABLE
    return OK


def _json(body: dict[str, Any], status: int = 200) -> Response[bytes]:
    return Response(content=msgspec.json.encode(body), status_code=status, media_type=JSON)


@get("/healthz", include_in_schema=False)
async def healthz() -> Response[bytes]:
    return _json({"status": OK})


@get("/readyz", include_in_schema=False)
async def readyz(request: Request[Any, Any, Any]) -> Response[bytes]:
    checks = {"database": await _check("database", _database_answers(request.app.state.database))}
    settings: Settings = request.app.state.settings
    redis_url = settings.redis_url
    if redis_url:
        checks["redis"] = await _check("redis", _redis_answers(redis_url))
    ready = all(outcome == OK for outcome in checks.values())
    return _json({"status": OK if ready else UNAVAILABLE, "checks": checks}, 200 if ready else 503)


async def _require_metrics_token(request: Request[Any, Any, Any], token: str) -> None:
    """401 unless the request bears ``token`` (compared in constant time); failures count
    against the client address like a wrong API key's."""
    scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return
    failures: FailedAuthentications = request.app.state.failed_authentications
    await failures.failed(request.client.host if request.client else None)
    raise Unauthorized("Missing or wrong metrics token: send Authorization: Bearer <token>")


@get("/metrics", include_in_schema=False)
async def metrics_exposition(request: Request[Any, Any, Any]) -> Response[bytes]:
    settings: Settings = request.app.state.settings
    if settings.metrics_token is not None:
        await _require_metrics_token(request, settings.metrics_token.get_secret_value())
    content, content_type = metrics.render()
    return Response(content=content, media_type=content_type)


handlers: list[HTTPRouteHandler] = [healthz, readyz, metrics_exposition]


def _operation(
    operation_id: str,
    summary: str,
    description: str,
    media: str,
    *,
    may_fail: bool = False,
    schema: type[msgspec.Struct] | None = None,
) -> dict[str, Any]:
    shape = {"$ref": f"#/components/schemas/{schema.__name__}"} if schema else {"type": "string"}
    content = {media: {"schema": shape}}
    responses: dict[str, Any] = {"200": {"description": "Success", "content": content}}
    if may_fail:
        responses["503"] = {"description": "Not ready", "content": content}
    return {
        "operationId": operation_id,
        "summary": summary,
        "description": description + " No API key needed; not rate limited.",
        "tags": ["Operations"],
        "security": [],
        "responses": responses,
    }


# For the OpenAPI document: these routes take no key, so they have no ``Endpoint``;
# OPENAPI_SCHEMAS are the component schemas their answers refer to.
OPENAPI_SCHEMAS: tuple[type[msgspec.Struct], ...] = (Health, Readiness)
OPENAPI_PATHS: dict[str, dict[str, Any]] = {
    "/healthz": {
        "get": _operation(
            "getHealth",
            "Liveness",
            'The process answers: `{"status": "ok"}`.',
            JSON,
            schema=Health,
        )
    },
    "/readyz": {
        "get": _operation(
            "getReadiness",
            "Readiness",
            "Whether the database (and Redis, when configured) answer now: 200 "
            '`{"status": "ok", "checks": {"database": "ok"}}`, else 503 with `"unavailable"` '
            "for the status and each failing check.",
            JSON,
            may_fail=True,
            schema=Readiness,
        )
    },
    "/metrics": {
        "get": _operation(
            "getMetrics",
            "Prometheus metrics",
            "Request counts and latencies by route and status, rate-limit rejections, "
            "the publisher's runs and lag, summed over every worker. When the operator sets "
            "a metrics token (`INTERVALS_METRICS_TOKEN`), send `Authorization: Bearer <token>`"
            " (else 401).",
            "text/plain",
        )
    },
}
