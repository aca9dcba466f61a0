"""The OpenAPI document: valid 3.1, complete, and true to what the routes accept."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from openapi_spec_validator import validate

from intervals_server.http.routing import Endpoint
from intervals_server.kit import errors
from tests.conftest import Client, Tenant
from tests.endpoints import ENDPOINTS, each_endpoint, sample_path

Document = dict[str, Any]
_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


def _path(spec: Endpoint) -> str:
    return _PARAMETER.sub(r"{\1}", spec.path)


@pytest.fixture
async def document(client: Client) -> Document:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    body: Document = response.json()
    return body


def _operation(document: Document, spec: Endpoint) -> Document:
    operation: Document = document["paths"][_path(spec)][spec.method.lower()]
    return operation


def _resolve(document: Document, node: Document) -> Document:
    while "$ref" in node:
        *_, section, name = node["$ref"].split("/")
        node = document["components"][section][name]
    return node


def _contains(actual: Any, expected: Any) -> bool:
    """Whether ``actual`` holds every field of ``expected`` with the same values."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and _contains(actual[key], value) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_contains(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return bool(actual == expected)


async def test_document_is_served_without_a_key(client: Client) -> None:
    response = await client.get("/openapi.json")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")


async def test_document_is_valid_openapi_3_1(document: Document) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document)


async def test_every_route_the_app_serves_is_documented(app: Litestar, document: Document) -> None:
    served = {
        (method.lower(), _PARAMETER.sub(r"{\1}", route.path))
        for route in app.routes
        for method in getattr(route, "methods", ())
        # The docs pages are for people (HTML), not part of the API.
        if method not in ("OPTIONS", "HEAD") and not route.path.startswith("/docs")
    }
    documented = {
        (method, path) for path, operations in document["paths"].items() for method in operations
    }

    assert served == documented


async def test_bearer_scheme_is_declared(document: Document) -> None:
    scheme = document["components"]["securitySchemes"]["bearerAuth"]

    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"


@pytest.mark.parametrize("spec", each_endpoint())
async def test_operation_names_its_scope(document: Document, spec: Endpoint) -> None:
    operation = _operation(document, spec)

    assert operation["x-scope"] == spec.scope
    assert operation["security"] == [{"bearerAuth": [str(spec.scope)]}]
    assert str(spec.scope) in operation["description"]


@pytest.mark.parametrize("spec", each_endpoint())
async def test_operation_documents_its_success_schema(document: Document, spec: Endpoint) -> None:
    success = _operation(document, spec)["responses"][str(spec.status)]

    schema = _resolve(document, success["content"]["application/json"]["schema"])
    assert "data" in schema["properties"]
    assert "Request-Id" in success["headers"]


@pytest.mark.parametrize("spec", each_endpoint())
async def test_operation_documents_its_error_responses(document: Document, spec: Endpoint) -> None:
    responses = _operation(document, spec)["responses"]

    expected = {"401", "403", "422", "500"}
    if "{" in spec.path:
        expected.add("404")
    if spec.writes:
        expected |= {"400", "413", "415"}
    assert expected <= set(responses)
    for status in expected:
        error = _resolve(document, responses[status])
        example = error["content"]["application/json"]["example"]["error"]
        assert set(example) >= {"code", "message", "requestId"}


@pytest.mark.parametrize("spec", each_endpoint())
async def test_operation_documents_its_path_parameters(document: Document, spec: Endpoint) -> None:
    parameters = [_resolve(document, p) for p in _operation(document, spec)["parameters"]]

    in_path = {p["name"] for p in parameters if p["in"] == "path"}
    assert in_path == set(re.findall(r"\{(\w+)\}", _path(spec)))


@pytest.mark.parametrize("spec", each_endpoint(lambda spec: spec.writes))
async def test_write_operation_documents_its_request_body(
    document: Document, spec: Endpoint
) -> None:
    body = _operation(document, spec)["requestBody"]

    schema = _resolve(document, body["content"]["application/json"]["schema"])
    assert schema["type"] == "object"
    assert body["required"] is bool(schema.get("required"))


def _requires_fields(body: type[msgspec.Struct] | None) -> bool:
    return body is not None and any(f.required for f in msgspec.structs.fields(body))


@pytest.mark.parametrize(
    "spec", each_endpoint(lambda spec: spec.writes and not _requires_fields(spec.body))
)
async def test_a_body_documented_as_optional_may_be_left_out(
    client: Client, tenant: Tenant, spec: Endpoint
) -> None:
    response = await client.request(spec.method, sample_path(spec), headers=tenant.headers)

    # The sample path names nothing, so the route gets as far as looking it up.
    assert response.status_code == 404, response.text


def _documented_query(document: Document, spec: Endpoint) -> dict[str, Document]:
    parameters = [_resolve(document, p) for p in _operation(document, spec)["parameters"]]
    return {p["name"]: p for p in parameters if p["in"] == "query"}


def _sample(schema: Document) -> str:
    """A value the parameter's schema allows."""
    if "examples" in schema:
        return str(schema["examples"][0])
    if "default" in schema:
        return str(schema["default"])
    if "enum" in schema:
        return str(schema["enum"][0])
    if schema.get("format") == "date":
        return "2031-01-01"
    return "e00000000000000"


# A cursor must name an object of the list; the pagination tests give it one.
CURSORS = frozenset({"after", "before"})


def _query_names(spec: Endpoint) -> set[str]:
    fields = msgspec.structs.fields(spec.query) if spec.query else ()
    return {field.encode_name for field in fields} - CURSORS


@pytest.mark.parametrize("spec", each_endpoint(lambda spec: bool(_query_names(spec))))
async def test_each_documented_query_parameter_is_accepted(
    client: Client, tenant: Tenant, document: Document, spec: Endpoint
) -> None:
    documented = {
        name: parameter
        for name, parameter in _documented_query(document, spec).items()
        if name not in CURSORS
    }
    assert set(documented) == _query_names(spec)
    for name, parameter in documented.items():
        response = await client.request(
            spec.method,
            sample_path(spec),
            params={name: _sample(_resolve(document, parameter["schema"]))},
            headers=tenant.headers,
        )

        assert response.status_code < 500, (name, response.text)
        errors = response.json().get("error", {}).get("errors", {}) if response.is_error else {}
        assert name not in errors, (name, response.text)


@pytest.mark.parametrize("spec", each_endpoint())
async def test_documented_query_parameters_are_exactly_those_the_route_takes(
    document: Document, spec: Endpoint
) -> None:
    documented = _documented_query(document, spec)

    accepted = (
        {field.encode_name for field in msgspec.structs.fields(spec.query)} if spec.query else set()
    )
    assert set(documented) == accepted
    for parameter in documented.values():
        assert {"type": "null"} not in parameter["schema"].get("anyOf", [])


async def test_list_parameters_of_the_reference_are_documented(document: Document) -> None:
    def names(path: str) -> set[str]:
        parameters = document["paths"][path]["get"]["parameters"]
        return {p["name"] for p in parameters if "name" in p}

    assert {"limit", "after", "before", "type", "dateFrom", "dateTo"} <= names("/events")
    assert {"eventId", "limit", "after", "before"} <= names("/registration")
    assert {"status", "limit", "after", "before"} <= names("/recurrences")
    assert {"status", "limit", "after", "before"} <= names("/groups")
    assert {"limit", "after", "before"} <= names("/groups/{slug}/events")


REFERENCE_EXAMPLES = [
    pytest.param(
        "/recurrences",
        "get",
        {
            "data": [
                {
                    "_id": "rc91abc234def567",
                    "eventId": "e72tuv901wxy234",
                    "label": "Tuesday tempo",
                    "schedule": {
                        "frequency": "weekly",
                        "daysOfWeek": [2],
                        "startTime": "18:30",
                        "durationMinutes": 60,
                    },
                    "status": "active",
                    "autoPublishHorizonWeeks": 8,
                }
            ]
        },
        id="All recurrences",
    ),
    pytest.param(
        "/organization",
        "get",
        {
            "data": {
                "_id": "k57abc123def456",
                "name": "North Shore Race Management",
                "slug": "north-shore-race-mgmt",
                "roles": ["organizer"],
                "plan": "local",
            }
        },
        id="Your organization",
    ),
    pytest.param(
        "/events",
        "get",
        {
            "data": [
                {
                    "_id": "e72tuv901wxy234",
                    "name": "Lakefront 5K - June 14",
                    "slug": "lakefront-5k-june-14",
                    "type": "race",
                    "date": "2025-06-14",
                    "organizationId": "k57abc123def456",
                    "startTime": "08:00",
                    "description": "Weekly lakefront 5K race along the scenic shore path.",
                    "websiteUrl": "https://northshorerace.com/lakefront-5k",
                }
            ]
        },
        id="All events",
    ),
    pytest.param(
        "/events/{event_id}",
        "get",
        {
            "data": {
                "event": {"_id": "e72tuv901wxy234", "name": "Lakefront 5K - June 14"},
                "runs": [
                    {
                        "_id": "r41abc567def890",
                        "eventId": "e72tuv901wxy234",
                        "distanceMeters": 5000,
                        "distanceStandard": "5K",
                        "distanceLabel": "5K",
                        "date": "2025-06-14",
                        "startTime": "08:00",
                        "eventStatus": "scheduled",
                    }
                ],
            }
        },
        id="Retrieve an event",
    ),
    pytest.param("/events", "post", {"data": {"eventId": "e83ghi012jkl345"}}, id="Create an event"),
    pytest.param(
        "/registration",
        "get",
        {
            "data": [
                {
                    "_id": "p89xyz345uvw678",
                    "eventId": "e72tuv901wxy234",
                    "eventRunId": "r41abc567def890",
                    "email": "runner@example.com",
                    "name": "Alex Johnson",
                    "registrationType": "free",
                    "registrationStatus": "confirmed",
                    "checkedIn": False,
                }
            ]
        },
        id="All registrations",
    ),
    pytest.param(
        "/registration",
        "post",
        {"data": {"participantId": "p89xyz345uvw678"}},
        id="Register a participant",
    ),
    pytest.param(
        "/groups/{slug}",
        "get",
        {
            "data": {
                "_id": "g14abc789def012",
                "organizationId": "k57abc123def456",
                "name": "Friday Night Lights",
                "slug": "friday-night-lights",
                "description": "Our weekly Friday evening track workouts.",
                "status": "active",
            }
        },
        id="Retrieve a group",
    ),
]


@pytest.mark.parametrize(("path", "method", "example"), REFERENCE_EXAMPLES)
async def test_reference_response_example_is_present(
    document: Document, path: str, method: str, example: Document
) -> None:
    responses = document["paths"][path][method]["responses"]
    success = responses.get("200") or responses["201"]

    assert _contains(success["content"]["application/json"]["example"], example)


@pytest.mark.parametrize(
    ("path", "example"),
    [
        (
            "/events",
            {
                "name": "Summer Solstice 10K",
                "slug": "summer-solstice-10k",
                "type": "race",
                "date": "2025-06-21",
                "startTime": "07:30",
            },
        ),
        (
            "/registration",
            {
                "eventRunId": "r41abc567def890",
                "email": "runner@example.com",
                "name": "Alex Johnson",
                "registrationType": "free",
                "status": "confirmed",
            },
        ),
    ],
)
async def test_reference_request_example_is_present(
    document: Document, path: str, example: Document
) -> None:
    body = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]

    assert _contains(body["example"], example)


async def test_reference_error_examples_are_present(document: Document) -> None:
    responses = document["components"]["responses"]

    not_found = responses["NotFound"]["content"]["application/json"]["example"]["error"]
    invalid = responses["ValidationError"]["content"]["application/json"]["example"]["error"]
    conflict = responses["Conflict"]["content"]["application/json"]["example"]["error"]
    assert (not_found["code"], not_found["message"]) == ("NOT_FOUND", "Event not found")
    assert invalid["code"] == "VALIDATION_ERROR" and invalid["message"] == "Invalid request body"
    assert invalid["errors"]["eventRunId"] == ["Required"]
    assert conflict["message"] == "Idempotency key already used with different request body"


async def test_every_error_class_a_partner_receives_has_a_response_component(
    document: Document,
) -> None:
    # 405 (each path lists its methods), 408 and 499 (a body that never came) are not.
    kinds = [
        kind
        for kind in vars(errors).values()
        if isinstance(kind, type)
        and issubclass(kind, errors.ApiError)
        and kind.status not in (405, 408, 499)
    ]
    components = document["components"]["responses"].values()

    documented = {
        component["description"]: component["content"]["application/json"]["example"]["error"]
        for component in components
    }
    assert {kind.code for kind in kinds} <= documented.keys()
    assert all(documented[kind.code]["code"] == kind.code for kind in kinds)


def test_every_declared_endpoint_has_an_operation_id() -> None:
    ids = [spec.operation_id for spec in ENDPOINTS]

    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("spec", each_endpoint(lambda spec: 404 in spec.errors))
async def test_not_found_example_carries_the_routes_message(
    document: Document, spec: Endpoint
) -> None:
    not_found = _resolve(document, _operation(document, spec)["responses"]["404"])

    example = not_found["content"]["application/json"]["example"]["error"]
    assert spec.not_found is not None
    assert (example["code"], example["message"]) == ("NOT_FOUND", spec.not_found)


@pytest.mark.parametrize(
    ("path", "method", "message"),
    [
        ("/events/{event_id}", "get", "Event not found"),
        ("/registration", "get", "Event not found"),
        ("/registration", "post", "Event run not found"),
    ],
)
async def test_reference_not_found_examples_are_present(
    document: Document, path: str, method: str, message: str
) -> None:
    not_found = _resolve(document, document["paths"][path][method]["responses"]["404"])

    assert not_found["content"]["application/json"]["example"] == {
        "error": {"code": "NOT_FOUND", "message": message, "requestId": "req_4f1c2a9b8e7d"}
    }


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/events", "GET, OPTIONS, POST"),
        ("/events/e00000000000000", "GET, OPTIONS, PATCH"),
        ("/registration", "GET, OPTIONS, POST"),
        ("/recurrences/rc000000000000000", "GET, OPTIONS, PATCH"),
    ],
)
async def test_options_allows_every_documented_method_of_a_path(
    client: Client, document: Document, path: str, allow: str
) -> None:
    response = await client.options(path)

    assert response.status_code == 204
    assert response.headers["Allow"] == allow


@pytest.mark.parametrize("spec", each_endpoint(lambda spec: spec.method == "POST"))
async def test_every_post_documents_the_idempotency_key_and_its_conflicts(
    document: Document, spec: Endpoint
) -> None:
    operation = _operation(document, spec)
    parameters = [_resolve(document, p) for p in operation["parameters"]]
    replay_header = operation["responses"][str(spec.status)]["headers"]

    assert {p["name"]: p["in"] for p in parameters if p["name"] == "Idempotency-Key"} == {
        "Idempotency-Key": "header"
    }
    assert "409" in operation["responses"]
    assert "Idempotent-Replayed" in replay_header


@pytest.mark.parametrize("spec", each_endpoint())
async def test_every_operation_documents_its_rate_limit(document: Document, spec: Endpoint) -> None:
    responses = _operation(document, spec)["responses"]
    too_many = _resolve(document, responses["429"])

    assert {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= set(
        responses[str(spec.status)]["headers"]
    )
    assert "Retry-After" in too_many["headers"]
    example = too_many["content"]["application/json"]["example"]["error"]
    assert (example["code"], example["message"]) == ("RATE_LIMITED", "Rate limit exceeded")
    assert isinstance(example["retryAfter"], int)


def _inline_string_enums(node: Any, where: str = "") -> list[str]:
    """Where the document spells a string enum inline instead of naming it."""
    found: list[str] = []
    if isinstance(node, dict):
        values = node.get("enum")
        if values and all(isinstance(v, str) for v in values) and "title" not in node:
            found.append(where)
        for key, value in node.items():
            found += _inline_string_enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _inline_string_enums(value, f"{where}/{index}")
    return found


async def test_string_enums_are_named_component_schemas(document: Document) -> None:
    paths_and_schemas = {"paths": document["paths"], "schemas": document["components"]["schemas"]}
    inline = [
        where
        for where in _inline_string_enums(paths_and_schemas)
        if "/headers/" not in where  # response headers make no classes
    ]

    assert inline == []


async def test_enum_values_have_readable_names(document: Document) -> None:
    standard = document["components"]["schemas"]["DistanceStandard"]
    names = dict(zip(standard["enum"], standard["x-enum-varnames"], strict=True))

    assert standard["type"] == "string"
    assert (names["5K"], names["Half Marathon"], names["100M"]) == (
        "FIVE_K",
        "HALF_MARATHON",
        "HUNDRED_M",
    )


async def test_every_parameter_has_a_description(document: Document) -> None:
    undescribed = [
        (path, method, parameter.get("name"))
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for parameter in (_resolve(document, p) for p in operation.get("parameters", []))
        if not parameter.get("description")
    ]

    assert undescribed == []


async def test_document_names_the_server_it_is_served_from(client: Client) -> None:
    response = await client.get("/openapi.json", headers={"Host": "intervals.example.org:8443"})

    assert response.json()["servers"] == [
        {"url": "http://intervals.example.org:8443", "description": "This server"}
    ]
    assert "api.intervals.run" not in response.text
    assert "http://intervals.example.org:8443/organization" in response.text


async def test_a_host_that_is_not_a_plain_name_is_not_printed(client: Client) -> None:
    response = await client.get("/openapi.json", headers={"Host": "under_score.example"})

    assert response.json()["servers"][0]["url"] == "http://127.0.0.1:8000"
    assert "under_score" not in response.text


async def test_introduction_and_getting_started_come_first(document: Document) -> None:
    description = document["info"]["description"]

    assert "# Getting started" in description
    assert "curl" in description


async def test_operator_routes_come_last_under_their_own_tag(document: Document) -> None:
    tags = [tag["name"] for tag in document["tags"]]
    operations = [
        operation["tags"][0]
        for operations in document["paths"].values()
        for operation in operations.values()
    ]
    first_operator = operations.index("Operations")

    assert tags[-1] == "Operations"
    assert set(operations[first_operator:]) == {"Operations"}
    assert {"/healthz", "/readyz", "/metrics", "/openapi.json"} == {
        path
        for path, operations in document["paths"].items()
        if "Operations" in {o["tags"][0] for o in operations.values()}
    }


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
async def test_probe_answers_match_their_documented_schema(
    client: Client, document: Document, path: str
) -> None:
    schema = _resolve(
        document,
        document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
    )
    body = (await client.get(path)).json()

    assert schema["type"] == "object"
    assert set(schema["required"]) <= body.keys() <= schema["properties"].keys()


@pytest.mark.parametrize("spec", each_endpoint())
async def test_every_operation_has_a_curl_sample(document: Document, spec: Endpoint) -> None:
    (sample,) = _operation(document, spec)["x-codeSamples"]

    assert sample["source"].startswith("curl ")
    assert "Authorization: Bearer $KEY" in sample["source"]


def _has_null(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_null(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_null(v) for v in value)
    return value is None


@pytest.mark.parametrize("spec", each_endpoint(lambda spec: spec.writes and spec.body is not None))
async def test_write_operation_has_a_curated_body_example_without_nulls(
    document: Document, spec: Endpoint
) -> None:
    example = _operation(document, spec)["requestBody"]["content"]["application/json"]["example"]

    assert example
    assert not _has_null(example)


@pytest.mark.parametrize("spec", each_endpoint(lambda spec: spec.method == "PATCH"))
async def test_patch_operation_says_null_clears_a_field(document: Document, spec: Endpoint) -> None:
    assert "`null` clears" in _operation(document, spec)["description"]


async def test_patterns_spell_white_space_out(document: Document) -> None:
    # `\s` matches different characters in Python (the server) and ECMAScript (the schema).
    text = msgspec.json.encode(document["components"]["schemas"]).decode()

    assert "\\\\s" not in text
    assert "\\\\S" not in text
