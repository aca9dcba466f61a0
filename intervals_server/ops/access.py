"""One access log line and the request metrics, for every HTTP request.

Plain ASGI around the whole app (outside ``RequestContextMiddleware``), so unknown routes,
405s, refused versions and errors are logged and counted like any other request. What
the inner layers learned (request id, route template, API key id) is read back from the
scope they share.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from typing import Any

from intervals_server.http.asgi import ASGIApp, Message, Receive, Scope, Send
from intervals_server.http.middleware import API_KEY_STATE_KEY, request_id_of
from intervals_server.ops import metrics
from intervals_server.ops.logs import get_logger

logger = get_logger("intervals.access")
_level_filter = logging.getLogger("intervals.access")

# Probes poll these every few seconds: counted, but logged only at DEBUG.
QUIET_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})
_TYPED_PARAMETER = re.compile(r"\{(\w+):\w+\}")


def route_of(scope: Scope) -> str:
    """The route template that served the request (``/events/{event_id}``), never the raw
    path: paths carry IDs, and a label per ID would grow without bound."""
    template = scope.get("path_template")
    if not isinstance(template, str):
        return metrics.UNMATCHED_ROUTE
    return _untyped(template)


@functools.cache
def _untyped(template: str) -> str:
    """``/events/{event_id:str}`` as ``/events/{event_id}`` (the app's templates are few)."""
    return _TYPED_PARAMETER.sub(r"{\1}", template)


class AccessMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # if the app fails before it answers, the server answers 500

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        finally:
            self._record(scope, status, time.perf_counter() - started)

    @staticmethod
    def _record(scope: Scope, status: int, seconds: float) -> None:
        method: str = scope["method"]
        route = route_of(scope)
        metrics.record_request(method, route, status, seconds)
        quiet = route in QUIET_ROUTES
        # structlog would build the whole event before its level filter drops it.
        if not _level_filter.isEnabledFor(logging.DEBUG if quiet else logging.INFO):
            return
        state: dict[str, Any] = scope.get("state") or {}
        fields = {
            "request_id": request_id_of(scope),
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "api_key_id": state.get(API_KEY_STATE_KEY),
        }
        if quiet:
            logger.debug("request", **fields)
        else:
            logger.info("request", **fields)
