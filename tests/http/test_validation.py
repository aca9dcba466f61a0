"""Unknown or invalid query parameters and body fields are a 422 naming each of them."""

from __future__ import annotations

import httpx
import pytest

from intervals_server.http.routing import Endpoint
from intervals_server.kit.pagination import PageQuery
from tests.conftest import Client, Tenant
from tests.endpoints import each_endpoint, sample_path
from tests.support import event_body

LIST_ROUTES = each_endpoint(
    lambda spec: spec.query is not None and issubclass(spec.query, PageQuery)
)
WRITE_ROUTES = each_endpoint(lambda spec: spec.writes)


def validation_errors(response: httpx.Response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["requestId"] == response.headers["Request-Id"]
    errors: dict[str, list[str]] = error["errors"]
    return errors


def test_every_list_route_is_covered() -> None:
    assert len(LIST_ROUTES) >= 5


@pytest.mark.parametrize("spec", each_endpoint())
async def test_unknown_query_parameter_is_named(
    client: Client, tenant: Tenant, spec: Endpoint
) -> None:
    response = await client.request(
        spec.method, sample_path(spec), params={"colour": "blue"}, headers=tenant.headers
    )

    assert "colour" in validation_errors(response)


@pytest.mark.parametrize("spec", LIST_ROUTES)
async def test_repeated_query_parameter_is_refused(
    client: Client, tenant: Tenant, spec: Endpoint
) -> None:
    path = sample_path(spec)

    response = await client.get(
        path, params=[("limit", "5"), ("limit", "6")], headers=tenant.headers
    )

    assert "limit" in validation_errors(response)


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-1", "1.5", ""])
@pytest.mark.parametrize("spec", LIST_ROUTES)
async def test_limit_outside_one_to_a_hundred_is_refused(
    client: Client, tenant: Tenant, spec: Endpoint, limit: str
) -> None:
    response = await client.get(sample_path(spec), params={"limit": limit}, headers=tenant.headers)

    assert "limit" in validation_errors(response)


@pytest.mark.parametrize("spec", WRITE_ROUTES)
async def test_unknown_body_field_is_named(client: Client, tenant: Tenant, spec: Endpoint) -> None:
    response = await client.request(
        spec.method, sample_path(spec), json={"colour": "blue"}, headers=tenant.headers
    )

    assert validation_errors(response)["colour"] == ["Unknown field"]


async def test_every_problem_in_a_body_is_reported_at_once(client: Client, tenant: Tenant) -> None:
    body = {"email": "not-an-email", "colour": "blue"}

    response = await client.post("/registration", json=body, headers=tenant.headers)

    errors = validation_errors(response)
    assert set(errors) == {"eventRunId", "email", "registrationType", "colour"}
    assert response.json()["error"]["message"] == "Invalid request body"


async def test_nested_unknown_field_is_named_with_its_path(client: Client, tenant: Tenant) -> None:
    body = {
        "name": "Lakefront 5K",
        "slug": "lakefront-5k",
        "type": "race",
        "date": "2030-06-14",
        "address": {"city": "Chicago", "planet": "Earth"},
    }

    response = await client.post("/events", json=body, headers=tenant.headers)

    assert validation_errors(response) == {"address.planet": ["Unknown field"]}


async def test_every_problem_in_a_query_is_reported_at_once(client: Client, tenant: Tenant) -> None:
    params = {"limit": "0", "type": "marathon", "dateFrom": "yesterday", "colour": "blue"}

    response = await client.get("/events", params=params, headers=tenant.headers)

    assert set(validation_errors(response)) == {"limit", "type", "dateFrom", "colour"}


async def test_nul_character_in_a_body_field_is_named(client: Client, tenant: Tenant) -> None:
    body = event_body(description="a\u0000b", address={"city": "\u0000"})

    response = await client.post("/events", json=body, headers=tenant.headers)

    assert set(validation_errors(response)) == {"description", "address.city"}


async def test_nul_character_in_a_query_parameter_is_named(client: Client, tenant: Tenant) -> None:
    response = await client.get("/events", params={"groupId": "g\u0000"}, headers=tenant.headers)

    assert set(validation_errors(response)) == {"groupId"}


@pytest.mark.parametrize("spec", each_endpoint(lambda spec: "{" in spec.path))
async def test_nul_character_in_a_path_id_is_a_client_error(
    client: Client, tenant: Tenant, spec: Endpoint
) -> None:
    response = await client.request(
        spec.method, sample_path(spec, "e%00"), json={}, headers=tenant.headers
    )

    assert response.status_code in (404, 422), response.text
    assert response.json()["error"]["requestId"] == response.headers["Request-Id"]


async def test_nul_character_in_an_id_answers_like_an_unknown_id(
    client: Client, tenant: Tenant
) -> None:
    response = await client.get("/events/e%00", headers=tenant.headers)

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Event not found"


@pytest.mark.parametrize(
    ("path", "name"), [("/events", "type"), ("/groups", "status"), ("/recurrences", "status")]
)
async def test_an_optional_query_parameter_given_as_null_is_refused(
    client: Client, tenant: Tenant, path: str, name: str
) -> None:
    response = await client.get(path, params={name: "null"}, headers=tenant.headers)

    assert name in validation_errors(response)


async def test_a_list_over_its_bound_is_refused_before_its_items_are_checked(
    client: Client, tenant: Tenant
) -> None:
    body = event_body(runs=[{"a": 1}] * 120_000)  # just under 1 MiB

    response = await client.post("/events", json=body, headers=tenant.headers)

    assert validation_errors(response) == {"runs": ["Expected `array` of length <= 50"]}


async def test_at_most_fifty_invalid_fields_are_listed_with_their_count(
    client: Client, tenant: Tenant
) -> None:
    body = event_body(runs=[{"colour": "blue", "distanceMeters": "far"}] * 50)

    response = await client.post("/events", json=body, headers=tenant.headers)

    errors = validation_errors(response)
    error = response.json()["error"]
    assert len(errors) == 50
    assert error["errorCount"] == 100
    assert error["message"] == "Invalid request body: 100 invalid fields, the first 50 listed"
    assert list(errors)[:2] == ["runs.0.colour", "runs.0.distanceMeters"]


async def test_a_body_with_few_problems_has_no_error_count(client: Client, tenant: Tenant) -> None:
    response = await client.post("/events", json=event_body(colour="blue"), headers=tenant.headers)

    assert validation_errors(response) == {"colour": ["Unknown field"]}
    assert "errorCount" not in response.json()["error"]


async def test_an_enum_error_lists_the_allowed_values(client: Client, tenant: Tenant) -> None:
    response = await client.post(
        "/events", json=event_body(type="marathon"), headers=tenant.headers
    )

    assert validation_errors(response) == {
        "type": ["must be one of: race, runClub, timeTrial, other"]
    }


async def test_an_enum_error_in_a_query_lists_the_allowed_values(
    client: Client, tenant: Tenant
) -> None:
    response = await client.get("/events", params={"type": "marathon"}, headers=tenant.headers)

    assert validation_errors(response) == {
        "type": ["must be one of: race, runClub, timeTrial, other"]
    }
    assert response.json()["error"]["message"] == "Invalid query parameters"
    assert "errorCount" not in response.json()["error"]


@pytest.mark.parametrize("date", ["21/06/2030", "2030-13-01", "tomorrow"])
async def test_a_date_error_says_the_expected_form(
    client: Client, tenant: Tenant, date: str
) -> None:
    response = await client.post("/events", json=event_body(date=date), headers=tenant.headers)

    assert validation_errors(response) == {"date": ["must be a date in the form YYYY-MM-DD"]}


async def test_an_email_error_says_what_is_expected_without_a_regex(
    client: Client, tenant: Tenant
) -> None:
    body = {
        "eventRunId": "r000000000001",
        "email": "runner.example.com",
        "registrationType": "free",
    }

    response = await client.post("/registration", json=body, headers=tenant.headers)

    assert validation_errors(response) == {"email": ["must be an email address"]}


async def test_an_unknown_field_close_to_a_known_one_suggests_it(
    client: Client, tenant: Tenant
) -> None:
    body = {
        "eventRunId": "r000000000001",
        "email": "runner@example.com",
        "registrationType": "free",
        "registrationStatus": "waitlist",
    }

    response = await client.post("/registration", json=body, headers=tenant.headers)

    assert validation_errors(response) == {
        "registrationStatus": ["Unknown field; did you mean `status`?"]
    }


async def test_a_misspelt_query_parameter_suggests_the_known_one(
    client: Client, tenant: Tenant
) -> None:
    response = await client.get(
        "/events", params={"datefrom": "2030-01-01"}, headers=tenant.headers
    )

    assert validation_errors(response) == {"datefrom": ["Unknown field; did you mean `dateFrom`?"]}


async def test_at_most_fifty_invalid_query_parameters_are_listed_with_their_count(
    client: Client, tenant: Tenant
) -> None:
    params = "limit=1&limit=2&" + "&".join(f"colour{index}=blue" for index in range(80))

    response = await client.get("/events", params=params, headers=tenant.headers)

    errors = validation_errors(response)
    assert len(errors) == 50
    assert errors["limit"] == ["Give this parameter once"]
    assert response.json()["error"]["errorCount"] == 81
