"""The OpenAPI 3.1 document, built from the same declarations the router uses."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from intervals_server import __version__
from intervals_server.auth.service import REFUSED_MESSAGE
from intervals_server.events.errors import EventNotFound
from intervals_server.http.openapi_schemas import REF as _REF
from intervals_server.http.openapi_schemas import NamedEnums, refine_components
from intervals_server.http.responses import ErrorBody
from intervals_server.http.routing import Endpoint
from intervals_server.http.versions import LATEST, VERSIONS
from intervals_server.idempotency import KEY_PATTERN, REUSED_MESSAGE
from intervals_server.kit import errors

_PATH_PARAMETER = re.compile(r"\{(\w+):\w+\}")

# The document names the server it is served from (its servers, curl samples, links):
# built once with this mark, which each answer replaces with the request's own base URL.
BASE_URL_MARK = "__INTERVALS_BASE_URL__"
# A base URL to print in the document: scheme, host, port, nothing that could escape JSON
# or Markdown (the Host header is the client's).
_SAFE_BASE_URL = re.compile(
    r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?$"
)
FALLBACK_BASE_URL = "http://127.0.0.1:8000"
# Operator routes (probes, metrics, this document) come last in the reference, under this tag.
OPERATIONS_TAG = "Operations"

# The errors the document describes, by status: each class of kit/errors.py, so a new
# one documents itself. Left out: 405 (each path lists its methods), 408 and 499 (a
# request body that never arrived, answered on a closing connection or to no one).
_UNDOCUMENTED = (errors.MethodNotAllowed, errors.RequestTimeout, errors.ClientClosedRequest)
_ERRORS: dict[int, type[errors.ApiError]] = dict(
    sorted(
        (kind.status, kind)
        for kind in vars(errors).values()
        if isinstance(kind, type)
        and issubclass(kind, errors.ApiError)
        and kind not in (errors.ApiError, *_UNDOCUMENTED)
    )
)
# Real messages, more telling than a generic default message, for the examples.
_EXAMPLE_MESSAGES = {
    400: "Malformed JSON: Input data was truncated",
    401: REFUSED_MESSAGE,
    403: "This API key lacks the read:events scope",
    404: EventNotFound.default_message,
    409: REUSED_MESSAGE,
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
        "schema": {"$ref": _REF.format(name="ApiVersion")},
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
    "tags": [OPERATIONS_TAG],
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
    kind = _ERRORS[status]
    message = message or _EXAMPLE_MESSAGES.get(status, kind.default_message)
    detail: dict[str, Any] = {
        "code": kind.code,
        "message": message,
        "requestId": "req_4f1c2a9b8e7d",
    }
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


def _owner_of(name: str, path: str) -> str:
    """The kind of object a path parameter names: ``event_id`` → event, ``/groups/{slug}`` →
    group."""
    if name.endswith("_id"):
        return name[: -len("_id")].replace("_", " ")
    segments = path.split("/")
    index = next(i for i, segment in enumerate(segments) if segment.startswith("{" + name))
    return segments[index - 1].removesuffix("s") if index > 1 else name


def _path_description(name: str, path: str) -> str:
    owner = _owner_of(name, path)
    if name.endswith("_id"):
        return f"The {owner}'s `_id`."
    return f"The {owner}'s `{name}`."


def _filter_description(name: str, schema: dict[str, Any]) -> str | None:
    """What a list filter without a description of its own means, when its type says it."""
    if "$ref" in schema:
        return f"Only items whose `{name}` is this value."
    if name.endswith("Id"):
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name[: -len("Id")]).lower()
        return f"Only items of the {words} with this `_id`."
    return None


def _parameters(spec: Endpoint, enums: NamedEnums) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": _path_description(name, spec.path),
            "schema": {"type": "string"},
        }
        for name in _PATH_PARAMETER.findall(spec.path)
    ]
    parameters.append({"$ref": "#/components/parameters/IntervalsVersion"})
    if spec.method == "POST":
        parameters.append({"$ref": "#/components/parameters/IdempotencyKey"})
    if spec.query is None:
        return parameters
    for field in msgspec.structs.fields(spec.query):
        schema = _query_schema(field.type)
        named = enums.name_for(spec.query, field.name)
        if named is not None:
            schema = enums.replace(schema, *named)
        parameter: dict[str, Any] = {
            "name": field.encode_name,
            "in": "query",
            "required": field.required,
            "schema": schema,
        }
        description = schema.get("description") or _filter_description(field.encode_name, schema)
        if description:
            parameter["description"] = description
        if field.default is not msgspec.NODEFAULT and field.default is not None:
            schema["default"] = field.default
        parameters.append(parameter)
    return parameters


def _error_response(spec: Endpoint, status: int, schema_of: dict[Any, Any]) -> dict[str, Any]:
    if status == 404 and spec.not_found:
        return _error_component(status, schema_of, spec.not_found)
    return {"$ref": f"#/components/responses/{_component_name(_ERRORS[status])}"}


def _component_name(kind: type[errors.ApiError]) -> str:
    """The error's response component, named after its code: ``VALIDATION_ERROR`` is
    ``ValidationError``."""
    return "".join(word.capitalize() for word in kind.code.split("_"))


def _error_component(
    status: int, schema_of: dict[Any, Any], message: str | None = None
) -> dict[str, Any]:
    extra = ("Retry-After",) if status in (409, 429) else ()
    return {
        "description": _ERRORS[status].code,
        "headers": _header_refs(*extra, authenticated=status != 401),
        "content": {
            "application/json": {
                "schema": schema_of[ErrorBody],
                "example": _error_example(status, message),
            }
        },
    }


def _shell_placeholder(name: str, path: str) -> str:
    if name.endswith("_id"):
        return "$" + name.upper()
    return "$" + f"{_owner_of(name, path)}_{name}".upper().replace(" ", "_")


def _query_sample(spec: Endpoint) -> str:
    """The required query parameters with sample values (optional ones are left out)."""
    if spec.query is None:
        return ""
    pairs: list[str] = []
    dates = iter(("2027-06-01", "2027-06-30"))
    for field in msgspec.structs.fields(spec.query):
        if not field.required:
            continue
        if field.encode_name.endswith("Id"):
            value = "$" + re.sub(r"(?<=[a-z])(?=[A-Z])", "_", field.encode_name).upper()
        else:
            value = next(dates, "…") if "date" in str(field.type) else "…"
        pairs.append(f"{field.encode_name}={value}")
    return "?" + "&".join(pairs) if pairs else ""


def _curl(spec: Endpoint) -> str:
    """A curl line for the operation, against the server the document is served from."""
    path = spec.path
    for name in _PATH_PARAMETER.findall(spec.path):
        path = re.sub(r"\{" + name + r":\w+\}", _shell_placeholder(name, spec.path), path)
    url = f"{BASE_URL_MARK}{path}{_query_sample(spec)}"
    lines = [f'curl -X {spec.method} "{url}"' if spec.writes else f'curl "{url}"']
    lines.append('-H "Authorization: Bearer $KEY"')
    if spec.method == "POST":
        lines.append('-H "Idempotency-Key: $(uuidgen)"')
    if spec.writes and spec.body_example:
        body = json.dumps(spec.body_example, indent=2, ensure_ascii=False).replace("'", "'\\''")
        lines += ['-H "Content-Type: application/json"', f"-d '{body}'"]
    return " \\\n  ".join(lines)


_PATCH_NOTE = (
    "Send only the fields to change: an omitted field stays as it is, and `null` clears "
    "an optional field."
)


def _operation(spec: Endpoint, schema_of: dict[Any, Any], enums: NamedEnums) -> dict[str, Any]:
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
        "description": "\n\n".join(
            [
                spec.description,
                *((_PATCH_NOTE,) if spec.method == "PATCH" else ()),
                f"Required scope: `{spec.scope}`.",
            ]
        ),
        "tags": [spec.tag],
        "security": [{"bearerAuth": [str(spec.scope)]}],
        "x-scope": str(spec.scope),
        "x-codeSamples": [{"lang": "Shell", "label": "curl", "source": _curl(spec)}],
        "parameters": _parameters(spec, enums),
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


_INTRODUCTION = f"""\
# Introduction

The Intervals Partner API reads and writes a running organization's events and their \
runs, the recurring schedules that keep future runs published, participant registrations \
and groups.

JSON in and out, camelCase field names, IDs in `_id`. A single object comes as \
`{{"data": {{…}}}}`, a list as `{{"data": […], "hasMore": true|false}}`, an error as \
`{{"error": {{"code", "message", "requestId"}}}}`. Guides: \
[Authentication]({BASE_URL_MARK}/docs/authentication), [Errors]({BASE_URL_MARK}/docs/errors), \
[Pagination]({BASE_URL_MARK}/docs/pagination), [Rate limits]({BASE_URL_MARK}/docs/rate-limits), \
[Idempotency]({BASE_URL_MARK}/docs/idempotency), [Changelog]({BASE_URL_MARK}/docs/changelog).

# Getting started

1. Get an API key for your organization from whoever runs this server (on a demo server, \
`intervals demo` prints one). Send it on every request as `Authorization: Bearer <key>`; \
its scopes decide what it may do.
2. Read your organization and its events:

```sh
export KEY=ik_live_…
curl -H "Authorization: Bearer $KEY" {BASE_URL_MARK}/organization
curl -H "Authorization: Bearer $KEY" "{BASE_URL_MARK}/events?limit=5"
```

3. Retrieve an event with its runs, and register a participant on a run (`$EVENT_ID` \
and `$RUN_ID` from the answers above):

```sh
curl -H "Authorization: Bearer $KEY" {BASE_URL_MARK}/events/$EVENT_ID
curl -X POST {BASE_URL_MARK}/registration -H "Authorization: Bearer $KEY" \\
  -H "Content-Type: application/json" -H "Idempotency-Key: $(uuidgen)" \\
  -d '{{"eventRunId": "'$RUN_ID'", "email": "runner@example.com", "registrationType": "free"}}'
```

Every operation below has a curl sample for this server. The operator's routes (health, \
readiness, metrics and this document) come last.
"""


def build_openapi(
    endpoints: Iterable[Endpoint],
    *,
    public: Mapping[str, dict[str, Any]] | None = None,
    public_schemas: Iterable[type[msgspec.Struct]] = (),
) -> dict[str, Any]:
    """The document of ``endpoints``, plus ``public``: paths (with their operations) that
    need no key, documented by whoever serves them (listed last, as the operator's), whose
    answers refer to the components of ``public_schemas``.

    The server's URL appears as ``BASE_URL_MARK``: serve it through ``for_base_url``."""
    specs = list(endpoints)
    types = list(
        dict.fromkeys(
            [
                ErrorBody,
                *(s.response for s in specs),
                *(s.body for s in specs if s.body),
                *public_schemas,
            ]
        )
    )
    refs, components = msgspec.json.schema_components(types, ref_template=_REF)
    enums = NamedEnums()
    refine_components(types, components, enums)
    schema_of = dict(zip(types, refs, strict=True))
    paths: dict[str, dict[str, Any]] = {}
    for spec in specs:
        path = _PATH_PARAMETER.sub(r"{\1}", spec.path)
        paths.setdefault(path, {})[spec.method.lower()] = _operation(spec, schema_of, enums)
    paths.update({path: dict(operations) for path, operations in (public or {}).items()})
    paths["/openapi.json"] = {"get": _DOCUMENT_OPERATION}
    components.update(enums.components)
    components["ApiVersion"] = {
        "title": "ApiVersion",
        "type": "string",
        "enum": list(VERSIONS),
        "x-enum-varnames": ["V" + version.replace("-", "_") for version in VERSIONS],
    }
    tags = list(dict.fromkeys(spec.tag for spec in specs))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Intervals API",
            "version": __version__,
            "description": _INTRODUCTION,
        },
        "servers": [{"url": BASE_URL_MARK, "description": "This server"}],
        "tags": [
            *({"name": tag} for tag in tags if tag != OPERATIONS_TAG),
            {
                "name": OPERATIONS_TAG,
                "description": "For the operator: probes, metrics and this document. "
                "No API key needed.",
            },
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
                    "schema": {"$ref": _REF.format(name="ApiVersion")},
                },
                "IdempotencyKey": _IDEMPOTENCY_KEY,
            },
            "headers": {**_HEADERS, **_RATE_LIMIT_HEADERS, **_OTHER_HEADERS},
            "responses": {
                _component_name(kind): _error_component(status, schema_of)
                for status, kind in _ERRORS.items()
            },
        },
    }


def for_base_url(document: bytes, base_url: str) -> bytes:
    """The encoded document naming ``base_url`` (e.g. ``http://127.0.0.1:8000``) as its
    server; a base URL that is not a plain scheme, host and port gives the fallback."""
    base_url = base_url.rstrip("/")
    if not _SAFE_BASE_URL.match(base_url):
        base_url = FALLBACK_BASE_URL
    return document.replace(BASE_URL_MARK.encode(), base_url.encode())
