"""How a partner request becomes a service call.

``endpoint`` turns a typed handler into a Litestar route: authenticate the key, check
its scope, parse the query and body into Structs (every problem reported at once),
run the handler in one transaction (reads in a read session, writes in a write
transaction committed before the response leaves), and encode the result with msgspec.
The declaration also feeds the OpenAPI document, so the spec and the behaviour share
one source.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from litestar import Request, Response, route
from litestar.enums import HttpMethod
from litestar.handlers import HTTPRouteHandler
from sqlalchemy.ext.asyncio import AsyncSession

from intervals.auth.scopes import Scope
from intervals.auth.service import Principal, authenticate
from intervals.db import Database
from intervals.kit.errors import PayloadTooLarge, UnsupportedMediaType
from intervals.kit.middleware import API_KEY_STATE_KEY
from intervals.kit.responses import JSON
from intervals.kit.validation import decode_body, parse_query

MAX_BODY_BYTES = 1024 * 1024

Handler = Callable[..., Awaitable[msgspec.Struct]]


class NoBody(msgspec.Struct, forbid_unknown_fields=True):
    """The body of a POST that takes none: empty, or an empty object."""


class NoQuery(msgspec.Struct, forbid_unknown_fields=True):
    """The query of a route that takes no parameters: any given is reported."""


@dataclass(frozen=True, slots=True)
class Context:
    """What a handler needs about the call: its transaction and its caller."""

    session: AsyncSession
    principal: Principal

    @property
    def organization_id(self) -> str:
        return self.principal.organization_id


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

    @property
    def writes(self) -> bool:
        return self.method != "GET"


async def read_json_body(request: Request[Any, Any, Any]) -> bytes:
    """The raw body, refused early when it is too large or not JSON."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise PayloadTooLarge()
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise PayloadTooLarge()
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if body and media_type != JSON:
        raise UnsupportedMediaType()
    return body


def _id_or_slug(value: Any) -> Any:
    """A path ID as given, except that NUL (which PostgreSQL text cannot hold) becomes U+FFFD:
    no ID or slug contains either, so the route answers its own 404 as for any unknown ID."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) else value


def _json(result: msgspec.Struct, status: int) -> Response[bytes]:
    return Response(content=msgspec.json.encode(result), status_code=status, media_type=JSON)


def endpoint(spec: Endpoint) -> Callable[[Handler], HTTPRouteHandler]:
    """Register ``handler(ctx, *path_params, [query=], [body=])`` under ``spec``."""

    def decorate(handler: Handler) -> HTTPRouteHandler:
        async def call(request: Request[Any, Any, Any]) -> Response[bytes]:
            database: Database = request.app.state.database
            arguments: dict[str, Any] = {
                name: _id_or_slug(value) for name, value in request.path_params.items()
            }
            async with database.read() as session:
                principal = await authenticate(session, request.headers.get("authorization"))
                request.scope["state"][API_KEY_STATE_KEY] = principal.key_id
                principal.require(spec.scope)
                query = parse_query(spec.query or NoQuery, request.query_params.dict())
                if spec.query is not None:
                    arguments["query"] = query
                if not spec.writes:
                    result = await handler(Context(session, principal), **arguments)
                    return _json(result, spec.status)
            # An empty body reads as {}: a missing body reports each required field.
            body = decode_body(spec.body or NoBody, await read_json_body(request) or b"{}")
            if spec.body is not None:
                arguments["body"] = body
            async with database.write() as session:
                result = await handler(Context(session, principal), **arguments)
            return _json(result, spec.status)

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
