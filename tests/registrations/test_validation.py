from __future__ import annotations

import pytest

from tests.conftest import Client, Tenant
from tests.support import create_event_with_run, register


async def test_an_unknown_run_is_not_found(client: Client, tenant: Tenant) -> None:
    response = await register(client, tenant.headers, "rnosuchrun00000")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"
    assert response.json()["error"]["message"] == "Event run not found"


async def test_another_tenants_run_is_not_found(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    _, run_id = await create_event_with_run(client, other_tenant.headers)

    response = await register(client, tenant.headers, run_id)

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Event run not found"


async def test_missing_required_fields_are_each_reported(client: Client, tenant: Tenant) -> None:
    response = await client.post("/registration", json={}, headers=tenant.headers)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["errors"] == {
        "eventRunId": ["Required"],
        "email": ["Required"],
        "registrationType": ["Required"],
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("email", "two words@example.com"),
        ("registrationType", "donation"),
        ("status", "pending"),
        ("name", ""),
        ("notes", 12),
    ],
)
async def test_an_invalid_field_is_reported_by_name(
    client: Client, tenant: Tenant, field: str, value: object
) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers)

    response = await register(client, tenant.headers, run_id, **{field: value})

    assert response.status_code == 422
    assert list(response.json()["error"]["errors"]) == [field]


async def test_an_unknown_field_is_reported(client: Client, tenant: Tenant) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers)

    response = await register(client, tenant.headers, run_id, bib="42")

    assert response.status_code == 422
    assert response.json()["error"]["errors"] == {"bib": ["Unknown field"]}


async def test_an_email_too_long_once_lowercased_is_reported(
    client: Client, tenant: Tenant
) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers)
    # 312 characters as sent; "İ" lowercases to two characters, 612 in all.
    email = "\u0130" * 300 + "@example.com"

    response = await register(client, tenant.headers, run_id, email=email)

    assert response.status_code == 422
    assert list(response.json()["error"]["errors"]) == ["email"]


@pytest.mark.parametrize(
    "email",
    [
        "sam\u200b@example.com",  # zero-width space
        "s\u00adam@example.com",  # soft hyphen
        "sam\u200d@example.com",  # zero-width joiner
        "\ufeffsam@example.com",  # byte order mark
        "sam@exam\u0007ple.com",  # a control character
    ],
    ids=["zero-width-space", "soft-hyphen", "zwj", "bom", "bell"],
)
async def test_an_email_with_an_invisible_or_control_character_is_refused(
    client: Client, tenant: Tenant, email: str
) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers)

    response = await register(client, tenant.headers, run_id, email=email)

    assert response.status_code == 422
    assert list(response.json()["error"]["errors"]) == ["email"]


@pytest.mark.parametrize("space", ["\ufeff", "\u001c", "\u3000"])
async def test_an_email_with_white_space_in_python_or_ecmascript_terms_is_refused(
    client: Client, tenant: Tenant, space: str
) -> None:
    # The document's pattern is read as ECMAScript, the server's as Python: both must agree.
    _, run_id = await create_event_with_run(client, tenant.headers)

    response = await register(client, tenant.headers, run_id, email=f"runner{space}@example.com")

    assert response.status_code == 422
    assert list(response.json()["error"]["errors"]) == ["email"]
