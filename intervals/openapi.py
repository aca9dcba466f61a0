"""The OpenAPI 3.1 document, built from the same declarations the router uses."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from intervals import __version__
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
    500: ("InternalError", "INTERNAL_ERROR", "Internal error"),
    503: ("ServiceUnavailable", "SERVICE_UNAVAILABLE", "The service is temporarily unavailable"),
}
_ALWAYS = (400, 401, 403, 422, 500, 503)
_WITH_BODY = (413, 415)

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
    return {"error": detail}


def _header_refs() -> dict[str, Any]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in _HEADERS}


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
    return {
        "description": _ERRORS[status][1],
        "headers": _header_refs(),
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
        "headers": _header_refs(),
        "content": {"application/json": {"schema": schema_of[spec.response]}},
    }
    if spec.examples:
        success["content"]["application/json"]["example"] = spec.examples
    statuses = sorted({*spec.errors, *_ALWAYS, *(_WITH_BODY if spec.writes else ())})
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
            body["required"] = True
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
                }
            },
            "headers": _HEADERS,
            "responses": {
                name: _error_component(status, schema_of)
                for status, (name, _, _) in _ERRORS.items()
            },
        },
    }
