"""How a partner request becomes a service call.

``endpoint`` turns a typed handler into a Litestar route: authenticate the key, check
its scope, parse the query and body into Structs (every problem reported at once),
run the handler (reads on the hot-read connections, with a read session only if the
handler asks for one; writes in one transaction committed before the response leaves),
and encode the result with msgspec.
The declaration also feeds the OpenAPI document, so the spec and the behaviour share
one source.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, cast

import msgspec
from litestar import Request, Response, route
from litestar.enums import HttpMethod
from litestar.handlers import HTTPRouteHandler
from litestar.types import ASGIApp
from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server import idempotency
from intervals_server.auth.scopes import Scope
from intervals_server.auth.service import Principal
from intervals_server.auth.throttle import FailedAuthentications
from intervals_server.context import RequestContext
from intervals_server.db import Database, Store
from intervals_server.http.middleware import API_KEY_STATE_KEY, add_response_headers, request_id_of
from intervals_server.http.responses import JSON, JSONAnswer, error_body
from intervals_server.http.validation import decode_body, parse_query
from intervals_server.kit.errors import (
    ApiError,
    ClientClosedRequest,
    PayloadTooLarge,
    RateLimited,
    RequestTimeout,
    UnsupportedMediaType,
)
from intervals_server.kit.rate_limit import Limiter
from intervals_server.ops.metrics import record_rate_limit_rejection

# The largest body any endpoint takes (POST /events, with its runs); others declare less.
MAX_BODY_BYTES = 1024 * 1024
# Room for any valid single object, even with every character escaped (\u00e9: 6 bytes).
DEFAULT_BODY_BYTES = 256 * 1024
# A POST that takes no body accepts none, or `{}`.
NO_BODY_BYTES = 1024

Handler = Callable[..., Awaitable[msgspec.Struct]]


class NoBody(msgspec.Struct, forbid_unknown_fields=True):
    """The body of a POST that takes none: empty, or an empty object."""


class NoQuery(msgspec.Struct, forbid_unknown_fields=True):
    """The query of a route that takes no parameters: any given is reported."""


class Context(RequestContext):
    """A partner request's context: its caller, with the organization and store every
    service takes. A write's store holds its transaction; a read's opens a session only
    if a repository asks for one."""

    __slots__ = ("principal",)

    def __init__(self, principal: Principal, store: Store) -> None:
        super().__init__(principal.organization_id, store)
        self.principal = principal


@dataclass(frozen=True)
class Endpoint:
    """The declaration of one route, for the router and for the OpenAPI document."""

    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    tag: str
    scope: Scope
    response: Any
    status: int = 200
    query: type[msgspec.Struct] | None = None
    body: type[msgspec.Struct] | None = None
    errors: tuple[int, ...] = ()
    # The message this route's 404 carries, for the document's example.
    not_found: str | None = None
    examples: dict[str, Any] = field(default_factory=dict)
    body_example: dict[str, Any] = field(default_factory=dict)
    # The largest body this route reads; by default what its body type needs.
    max_body_bytes: int | None = None

    @property
    def writes(self) -> bool:
        return self.method != "GET"

    @property
    def body_limit(self) -> int:
        if self.max_body_bytes is not None:
            return self.max_body_bytes
        return DEFAULT_BODY_BYTES if self.body is not None else NO_BODY_BYTES


def _too_large(limit: int) -> PayloadTooLarge:
    size = f"{limit // (1024 * 1024)} MiB" if limit % (1024 * 1024) == 0 else f"{limit // 1024} KiB"
    return PayloadTooLarge(f"Request body is larger than {size}")


async def read_json_body(request: Request[Any, Any, Any], limit: int, timeout_s: float) -> bytes:
    """The raw body, refused early when it is too large or not JSON: a 408 when it has not
    all arrived ``timeout_s`` after the app asked for it, a 499 when the client leaves."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout_s):
            while True:
                message = await request.receive()
                if message["type"] == "http.disconnect":
                    raise ClientClosedRequest()
                chunk = cast(bytes, message.get("body", b""))
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
    except TimeoutError:
        raise RequestTimeout() from None
    body = b"".join(chunks)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if body and media_type != JSON:
        raise UnsupportedMediaType()
    return body


def _id_or_slug(value: Any) -> Any:
    """A path ID as given, except that NUL (which PostgreSQL text cannot hold) becomes U+FFFD:
    no ID or slug contains either, so the route answers its own 404 as for any unknown ID."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) else value


def _json(result: msgspec.Struct, status: int) -> JSONAnswer:
    return JSONAnswer(msgspec.json.encode(result), status)


# --- rate limits and idempotency (kit/rate_limit.py, idempotency.py) ---------------------


async def _count_request(request: Request[Any, Any, Any], principal: Principal) -> None:
    """Count the request against its key: RateLimit-* on whatever it answers, or a 429."""
    limiter: Limiter | None = request.app.state.get("rate_limiter")
    if limiter is None or not principal.rate_limits:
        return
    decision = await limiter.hit(principal.key_id, principal.rate_limits)
    headers = decision.headers()
    retry_after = headers.pop("Retry-After", None)
    add_response_headers(request.scope, headers)
    if retry_after is not None:
        record_rate_limit_rejection()
        raise RateLimited(decision.retry_at_ms or 0, {"Retry-After": retry_after})


_NOT_STORED_REASONS = ("idempotency_key_in_use", "idempotency_key_reused")


def _replayable(error: ApiError) -> bytes | None:
    """The body to replay for an error, or None when a retry should run again."""
    if error.status in (422, 429) or error.status >= 500 or error.reason in _NOT_STORED_REASONS:
        return None
    return error_body(error, None)


def _replay(stored: idempotency.Stored, request_id: str | None) -> JSONAnswer:
    """The stored answer; an error's ``requestId`` becomes this request's, as its header's."""
    content = stored.body
    if stored.status >= 400 and request_id is not None:
        body = msgspec.json.decode(content)
        body["error"]["requestId"] = request_id
        content = msgspec.json.encode(body)
    return JSONAnswer(content, stored.status, {idempotency.REPLAYED_HEADER: "true"})


async def _read(
    request: Request[Any, Any, Any],
    spec: Endpoint,
    principal: Principal,
    handler: Handler,
    arguments: dict[str, Any],
) -> JSONAnswer:
    """Run a read on the hot-read connections, with a read session only if it asks for one."""
    store = Store(request.app.state.database)
    try:
        result = await handler(Context(principal, store), **arguments)
    finally:
        await store.close()
    return _json(result, spec.status)


async def _write(
    request: Request[Any, Any, Any],
    spec: Endpoint,
    principal: Principal,
    handler: Handler,
    arguments: dict[str, Any],
) -> JSONAnswer:
    """Run a write in one transaction; under an Idempotency-Key, store or replay its answer."""
    # An empty body reads as {}: a missing body reports each required field.
    timeout_s: float = request.app.state.settings.body_timeout_seconds
    raw_body = await read_json_body(request, spec.body_limit, timeout_s) or b"{}"
    body = decode_body(spec.body or NoBody, raw_body)
    if spec.body is not None:
        arguments["body"] = body
    database: Database = request.app.state.database

    def run(session: AsyncSession) -> Awaitable[msgspec.Struct]:
        return handler(Context(principal, Store(database, session)), **arguments)

    key = None
    if spec.method == "POST":
        key = idempotency.parse_key(request.headers.get(idempotency.HEADER))
    if key is None:
        async with database.write() as session:
            result = await run(session)
        return _json(result, spec.status)
    fingerprint = idempotency.fingerprint(spec.method, request.url.path, raw_body)
    reserved = await idempotency.reserve(database, principal.key_id, key, fingerprint)
    if isinstance(reserved, idempotency.Stored):
        return _replay(reserved, request_id_of(request.scope))
    try:
        async with database.write() as session:
            content = msgspec.json.encode(await run(session))
            await idempotency.complete(session, reserved, spec.status, content)
    except ApiError as error:
        stored = _replayable(error)
        if stored is None:
            await idempotency.release(database, reserved)
        else:
            await idempotency.record(database, reserved, error.status, stored)
        raise
    except Exception:
        # If even this fails (the database is down), the reservation's lease frees the key.
        with suppress(Exception):
            await idempotency.release(database, reserved)
        raise
    return JSONAnswer(content, spec.status)


# -----------------------------------------------------------------------------------------


def endpoint(spec: Endpoint) -> Callable[[Handler], HTTPRouteHandler]:
    """Register ``handler(ctx, *path_params, [query=], [body=])`` under ``spec``."""

    def decorate(handler: Handler) -> HTTPRouteHandler:
        # Annotated as an ASGI app, Litestar sends the answer as it is (see JSONAnswer).
        async def call(request: Request[Any, Any, Any]) -> ASGIApp:
            database: Database = request.app.state.database
            arguments: dict[str, Any] = {
                name: _id_or_slug(value) for name, value in request.path_params.items()
            }
            failures: FailedAuthentications = request.app.state.failed_authentications
            principal = await failures.authenticate(
                Store(database),
                request.headers.get("authorization"),
                request.client.host if request.client else None,
            )
            request.scope["state"][API_KEY_STATE_KEY] = principal.key_id
            await _count_request(request, principal)
            principal.require(spec.scope)
            query = parse_query(spec.query or NoQuery, request.query_params.dict())
            if spec.query is not None:
                arguments["query"] = query
            answer = await (_read if not spec.writes else _write)(
                request, spec, principal, handler, arguments
            )
            # Litestar types ASGI messages more narrowly than the plain callable this is.
            return cast(ASGIApp, answer)

        call.__name__ = handler.__name__
        call.__doc__ = handler.__doc__
        return route(
            spec.path,
            http_method=[HttpMethod(spec.method)],
            name=spec.operation_id,
            opt={"endpoint": spec},
            include_in_schema=False,
        )(call)

    return decorate


def options_handlers(handlers: list[HTTPRouteHandler]) -> list[HTTPRouteHandler]:
    """One ``OPTIONS`` per path whose ``Allow`` names every method the path's endpoints take.

    Register them before the endpoints: Litestar makes one per route handler otherwise, and
    where several handlers share a path it keeps the first one's, which lists only its methods.
    """
    methods: dict[str, set[str]] = {}
    for handler in handlers:
        for path in handler.paths:
            methods.setdefault(path, {"OPTIONS"}).update(handler.http_methods)
    return [_options(path, ", ".join(sorted(allowed))) for path, allowed in methods.items()]


def _options(path: str, allow: str) -> HTTPRouteHandler:
    async def options() -> Response[None]:
        return Response(content=None, status_code=204, headers={"Allow": allow})

    return route(
        path, http_method=[HttpMethod.OPTIONS], include_in_schema=False, name=f"options:{path}"
    )(options)
