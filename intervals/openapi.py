"""The OpenAPI 3.1 document, built from the same declarations the router uses."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from intervals import __version__
from intervals.kit.idempotency import KEY_PATTERN
from intervals.kit.responses import ErrorBody
from intervals.routing import Endpoint
from intervals.versions import LATEST, VERSIONS

_PATH_PARAMETER = re.compile(r"\{(\w+):\w+\}")
_REF = "#/components/schemas/{name}"

_ERRORS: dict[int, tuple[str, str, str]] = {
    400: ("BadRequest", "BAD_REQUEST", "Malformed JSON: Input data was truncated"),
    401: ("Unauthorized", "UNAUTHORIZED", "Invalid or revoked API key"),
    403: ("Forbidden", "FORBIDDEN", "This API key lacks the read:events scope"),
    404: ("NotFound", "NOT_FOUND", "Event not found"),
    409: ("Conflict", "CONFLICT", "Idempotency key already used with different request body"),
    413: ("PayloadTooLarge", "PAYLOAD_TOO_LARGE", "Request body is larger than 1 MiB"),
    415: (
        "UnsupportedMediaType",
        "UNSUPPORTED_MEDIA_TYPE",
        "Request body must be application/json",
    ),
    422: ("ValidationError", "VALIDATION_ERROR", "Invalid request body"),
    429: ("RateLimited", "RATE_LIMITED", "Rate limit exceeded"),
    500: ("InternalError", "INTERNAL_ERROR", "Internal error"),
    503: ("ServiceUnavailable", "SERVICE_UNAVAILABLE", "The service is temporarily unavailable"),
}
_ALWAYS = (400, 401, 403, 422, 429, 500, 503)
_WITH_BODY = (413, 415)
# A POST may carry an Idempotency-Key, which has conflicts of its own.
_ON_POST = (409,)

_HEADERS = {
    "Request-Id": {
        "description": "Unique ID of this request; quote it when asking for support.",
        "schema": {"type": "string", "example": "req_4f1c2a9b8e7d6c5b4a3f2e1d"},
    },
    "Intervals-Version": {
        "description": "The API version that answered.",
        "schema": {"type": "string", "enum": list(VERSIONS)},
    },
}
_RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": {
        "description": "Requests this key may make in the current window (its rate, or its "
        "per-second burst once that has run out).",
        "schema": {"type": "integer", "example": 1000},
    },
    "RateLimit-Remaining": {
        "description": "Requests left in that window.",
        "schema": {"type": "integer", "example": 999},
    },
    "RateLimit-Reset": {
        "description": "Seconds until one more request fits in that window.",
        "schema": {"type": "integer", "example": 60},
    },
}
_OTHER_HEADERS = {
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "integer", "example": 1},
    },
    "Idempotent-Replayed": {
        "description": "`true` when this is the stored response to an earlier request "
        "with the same Idempotency-Key.",
        "schema": {"type": "string", "enum": ["true"]},
    },
}
_IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "1 to 255 printable ASCII characters, unique per request you mean to make "
    "once. A retry with the same key, method, path and body within 24 hours gets the first "
    "response (with `Idempotent-Replayed: true`) and does nothing again.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": KEY_PATTERN},
}


# The document describes itself too: every route the server answers is in it.
_DOCUMENT_OPERATION: dict[str, Any] = {
    "operationId": "getOpenApiDocument",
    "summary": "This document",
    "description": "The OpenAPI 3.1 description of this API. No API key needed.",
    "tags": ["Meta"],
    "security": [],
    "responses": {
        "200": {
            "description": "Success",
            "headers": {"Request-Id": {"$ref": "#/components/headers/Request-Id"}},
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
}


def _error_example(status: int, message: str | None = None) -> dict[str, Any]:
    _, code, default_message = _ERRORS[status]
    message = message or default_message
    detail: dict[str, Any] = {"code": code, "message": message, "requestId": "req_4f1c2a9b8e7d"}
    if status == 422:
        detail["errors"] = {"eventRunId": ["Required"], "email": ["Required"]}
    if status == 409:
        detail["reason"] = "idempotency_key_reused"
    if status == 429:
        detail["retryAfter"] = 1767225600000
    return {"error": detail}


def _header_refs(*extra: str, authenticated: bool = True) -> dict[str, Any]:
    names = [*_HEADERS, *(_RATE_LIMIT_HEADERS if authenticated else ()), *extra]
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def _query_schema(annotation: Any) -> dict[str, Any]:
    """The schema of one query parameter: an optional one is absent, never ``null``."""
    schema = msgspec.json.schema(annotation)
    options = schema.get("anyOf")
    if options and {"type": "null"} in options:
        rest = [option for option in options if option != {"type": "null"}]
        schema = rest[0] if len(rest) == 1 else {"anyOf": rest}
    return schema


def _parameters(spec: Endpoint) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _PATH_PARAMETER.findall(spec.path)
    ]
    parameters.append({"$ref": "#/components/parameters/IntervalsVersion"})
    if spec.method == "POST":
        parameters.append({"$ref": "#/components/parameters/IdempotencyKey"})
    if spec.query is None:
        return parameters
    for field in msgspec.structs.fields(spec.query):
        schema = _query_schema(field.type)
        parameter: dict[str, Any] = {
            "name": field.encode_name,
            "in": "query",
            "required": field.required,
            "schema": schema,
        }
        if "description" in schema:
            parameter["description"] = schema["description"]
        if field.default is not msgspec.NODEFAULT and field.default is not None:
            schema["default"] = field.default
        parameters.append(parameter)
    return parameters


def _error_response(spec: Endpoint, status: int, schema_of: dict[Any, Any]) -> dict[str, Any]:
    if status == 404 and spec.not_found:
        return _error_component(status, schema_of, spec.not_found)
    return {"$ref": f"#/components/responses/{_ERRORS[status][0]}"}


def _error_component(
    status: int, schema_of: dict[Any, Any], message: str | None = None
) -> dict[str, Any]:
    extra = ("Retry-After",) if status in (409, 429) else ()
    return {
        "description": _ERRORS[status][1],
        "headers": _header_refs(*extra, authenticated=status != 401),
        "content": {
            "application/json": {
                "schema": schema_of[ErrorBody],
                "example": _error_example(status, message),
            }
        },
    }


def _operation(spec: Endpoint, schema_of: dict[Any, Any]) -> dict[str, Any]:
    success: dict[str, Any] = {
        "description": "Created" if spec.status == 201 else "Success",
        "headers": _header_refs(*(("Idempotent-Replayed",) if spec.method == "POST" else ())),
        "content": {"application/json": {"schema": schema_of[spec.response]}},
    }
    if spec.examples:
        success["content"]["application/json"]["example"] = spec.examples
    statuses = sorted(
        {
            *spec.errors,
            *_ALWAYS,
            *(_WITH_BODY if spec.writes else ()),
            *(_ON_POST if spec.method == "POST" else ()),
        }
    )
    operation: dict[str, Any] = {
        "operationId": spec.operation_id,
        "summary": spec.summary,
        "description": f"{spec.description}\n\nRequired scope: `{spec.scope}`.",
        "tags": [spec.tag],
        "security": [{"bearerAuth": [str(spec.scope)]}],
        "x-scope": str(spec.scope),
        "parameters": _parameters(spec),
        "responses": {
            str(spec.status): success,
            **{str(status): _error_response(spec, status, schema_of) for status in statuses},
        },
    }
    if spec.writes:
        body: dict[str, Any] = {"content": {"application/json": {}}}
        if spec.body is not None:
            # An empty body reads as {}: one whose fields are all optional may be left out.
            body["required"] = any(f.required for f in msgspec.structs.fields(spec.body))
            body["content"]["application/json"]["schema"] = schema_of[spec.body]
            if spec.body_example:
                body["content"]["application/json"]["example"] = spec.body_example
        else:
            body["required"] = False
            body["content"]["application/json"]["schema"] = {
                "type": "object",
                "additionalProperties": False,
            }
        operation["requestBody"] = body
    return operation


def build_openapi(
    endpoints: Iterable[Endpoint], *, public: Mapping[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The document of ``endpoints``, plus ``public``: paths (with their operations) that
    need no key, documented by whoever serves them."""
    specs = list(endpoints)
    types = list(
        dict.fromkeys([ErrorBody, *(s.response for s in specs), *(s.body for s in specs if s.body)])
    )
    refs, components = msgspec.json.schema_components(types, ref_template=_REF)
    schema_of = dict(zip(types, refs, strict=True))
    paths: dict[str, dict[str, Any]] = {
        "/openapi.json": {"get": _DOCUMENT_OPERATION},
        **{path: dict(operations) for path, operations in (public or {}).items()},
    }
    for spec in specs:
        path = _PATH_PARAMETER.sub(r"{\1}", spec.path)
        paths.setdefault(path, {})[spec.method.lower()] = _operation(spec, schema_of)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Intervals API",
            "version": __version__,
            "description": "The Intervals Partner API: events, recurring schedules, "
            "registrations and groups of a running organization.",
        },
        "servers": [
            {"url": "/", "description": "This server"},
            {"url": "https://api.intervals.run", "description": "Production"},
        ],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API key of your organization; each key carries scopes.",
                }
            },
            "parameters": {
                "IntervalsVersion": {
                    "name": "Intervals-Version",
                    "in": "header",
                    "required": False,
                    "description": f"API version; the latest ({LATEST}) when absent.",
                    "schema": {"type": "string", "enum": list(VERSIONS)},
                },
                "IdempotencyKey": _IDEMPOTENCY_KEY,
            },
            "headers": {**_HEADERS, **_RATE_LIMIT_HEADERS, **_OTHER_HEADERS},
            "responses": {
                name: _error_component(status, schema_of)
                for status, (name, _, _) in _ERRORS.items()
            },
        },
    }
