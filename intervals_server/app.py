"""create_app(): middleware, error handlers and routers — the API on one screen."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any, cast

import msgspec
from granian.utils.proxies import wrap_asgi_with_proxy_headers
from litestar import Litestar, Request, Response, get
from litestar.datastructures import State
from litestar.exceptions import HTTPException, MethodNotAllowedException, NotFoundException
from litestar.handlers import HTTPRouteHandler

from intervals_server.auth.throttle import FailedAuthentications
from intervals_server.config import Settings, get_settings
from intervals_server.db import Database, database_unavailable
from intervals_server.docs.routes import handlers as docs_handlers
from intervals_server.events.routes import handlers as event_handlers
from intervals_server.groups.routes import handlers as group_handlers
from intervals_server.http.middleware import RequestContextMiddleware, request_id_of
from intervals_server.http.openapi import build_openapi, for_base_url
from intervals_server.http.responses import JSON, error_body
from intervals_server.http.routing import MAX_BODY_BYTES, Endpoint, options_handlers
from intervals_server.http.versions import VERSIONS
from intervals_server.kit.errors import (
    ApiError,
    BadRequest,
    InternalError,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
)
from intervals_server.kit.rate_limit import Limiter, build_limiter
from intervals_server.ops import routes as ops
from intervals_server.ops.access import AccessMiddleware
from intervals_server.ops.logs import configure_logging
from intervals_server.organizations.routes import handlers as organization_handlers
from intervals_server.recurrences.publisher import publish_periodically
from intervals_server.recurrences.routes import handlers as recurrence_handlers
from intervals_server.registrations.routes import handlers as registration_handlers
from intervals_server.runs.routes import handlers as run_handlers

logger = logging.getLogger("intervals")

# How long a shutdown waits for the publisher to finish the batch in hand.
PUBLISHER_STOP_TIMEOUT_S = 30.0

API_HANDLERS: list[HTTPRouteHandler] = [
    *organization_handlers,
    *event_handlers,
    *run_handlers,
    *registration_handlers,
    *recurrence_handlers,
    *group_handlers,
]


def _error_response(request: Request[Any, Any, Any], error: ApiError) -> Response[bytes]:
    return Response(
        content=error_body(error, request_id_of(request.scope)),
        status_code=error.status,
        media_type=JSON,
        headers=error.headers,
    )


def _on_api_error(request: Request[Any, Any, Any], exc: ApiError) -> Response[bytes]:
    return _error_response(request, exc)


def _on_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    error: ApiError
    if isinstance(exc, NotFoundException):
        error = NotFound("Route not found")
    elif isinstance(exc, MethodNotAllowedException):
        error = MethodNotAllowed(headers={"Allow": (exc.headers or {}).get("allow", "")})
    elif exc.status_code == 413:
        error = PayloadTooLarge()
    elif 400 <= exc.status_code < 500:
        # Litestar's own refusals of what a client sent (an invalid Host header, …).
        error = BadRequest(exc.detail or None)
    else:
        error = InternalError()
        logger.error("unexpected HTTP exception %s: %s", exc.status_code, exc.detail)
    return _error_response(request, error)


def _on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    if database_unavailable(exc):
        # The driver's error only: SQLAlchemy's own message would repeat the statement's values.
        logger.warning("database unavailable: %r", getattr(exc, "orig", None) or exc)
        return _error_response(request, ServiceUnavailable())
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _error_response(request, InternalError())


def _settle_heap() -> None:
    """Move what startup allocated (modules, the app, prebuilt statements) out of the
    collector's sight, so a full collection under load scans only what requests leave
    behind instead of stalling the worker for tens of milliseconds."""
    gc.collect()
    gc.freeze()


def _endpoints(handlers: list[HTTPRouteHandler]) -> list[Endpoint]:
    return [handler.opt["endpoint"] for handler in handlers]


@asynccontextmanager
async def _publishing(database: Database, settings: Settings) -> AsyncIterator[None]:
    """The auto-publisher as a background task of each worker, stopped on shutdown between
    two batches (cancelled only if a batch outlasts the timeout; its transaction rolls back)."""
    if not settings.publish_interval_seconds:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(
        publish_periodically(database, settings.publish_interval_seconds, stop=stop),
        name="publisher",
    )
    try:
        yield
    finally:
        stop.set()
        with suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(task, PUBLISHER_STOP_TIMEOUT_S)


def _rate_limiter(settings: Settings) -> Limiter | None:
    """The worker's limiter, closed on shutdown (each worker connects to Redis on its own)."""
    if not settings.rate_limits:
        return None
    return build_limiter(settings.redis_url, prefix=settings.redis_prefix, workers=settings.workers)


@asynccontextmanager
async def _closing_rate_limiter(app: Litestar) -> AsyncIterator[None]:
    try:
        yield
    finally:
        if app.state.rate_limiter is not None:
            await app.state.rate_limiter.close()


def create_app(settings: Settings | None = None, *, database: Database | None = None) -> Litestar:
    """The ASGI app. It opens its own database unless given one (tests share theirs)."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    rate_limiter = _rate_limiter(settings)
    openapi_document = msgspec.json.encode(
        build_openapi(
            _endpoints(API_HANDLERS), public=ops.OPENAPI_PATHS, public_schemas=ops.OPENAPI_SCHEMAS
        )
    )

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if database is not None:
            yield
            return
        app.state.database = settings.database()
        _settle_heap()
        try:
            async with _publishing(app.state.database, settings):
                yield
        finally:
            await app.state.database.dispose()

    @get("/openapi.json", include_in_schema=False)
    async def openapi(request: Request[Any, Any, Any]) -> Response[bytes]:
        # The document names the server it came from, as the client reached it.
        # From the raw Host header: a malformed one falls back rather than failing a parse.
        base_url = f"{request.scope['scheme']}://{request.headers.get('host', '')}"
        return Response(content=for_base_url(openapi_document, base_url), media_type=JSON)

    app = Litestar(
        route_handlers=[
            *options_handlers(API_HANDLERS),
            *API_HANDLERS,
            openapi,
            *docs_handlers,
            *ops.handlers,
        ],
        lifespan=[lifespan, _closing_rate_limiter],
        state=State(
            {
                "database": database,
                "settings": settings,
                "rate_limiter": rate_limiter,
                "failed_authentications": FailedAuthentications(rate_limiter),
            }
        ),
        exception_handlers={
            ApiError: _on_api_error,
            HTTPException: _on_http_exception,
            Exception: _on_unexpected,
        },
        request_max_body_size=MAX_BODY_BYTES,
        openapi_config=None,
        logging_config=None,  # ours (intervals_server.ops.logs), set above
        debug=False,
    )
    # Around the whole handler, not per route: unknown routes and 405s get a request id too.
    app.asgi_handler = cast(
        Any,
        AccessMiddleware(RequestContextMiddleware(cast(Any, app.asgi_handler), versions=VERSIONS)),
    )
    if settings.trusted_proxies:
        # The client address (for failed-authentication limits) from a trusted proxy's header.
        app.asgi_handler = wrap_asgi_with_proxy_headers(app.asgi_handler, settings.trusted_proxies)
    return app
