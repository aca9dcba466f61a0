"""How routing reads a request body: each endpoint's own size limit."""

from __future__ import annotations

import json

from tests.conftest import Client, Tenant
from tests.kit.test_errors import assert_error
from tests.support import create_event, create_event_with_run, register

KiB = 1024


async def test_a_body_over_its_endpoint_limit_is_payload_too_large(
    client: Client, tenant: Tenant
) -> None:
    event_id = await create_event(client, tenant.headers)
    body = json.dumps({"description": "x" * 300 * KiB}).encode()
    headers = {**tenant.headers, "Content-Type": "application/json"}

    response = await client.patch(f"/events/{event_id}", content=body, headers=headers)

    error = assert_error(response, 413, "PAYLOAD_TOO_LARGE")
    assert error["message"] == "Request body is larger than 256 KiB"


async def test_a_post_that_takes_no_body_refuses_a_large_one(
    client: Client, tenant: Tenant
) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers)
    registration = await register(client, tenant.headers, run_id)
    participant_id = registration.json()["data"]["participantId"]
    body = json.dumps({"padding": "x" * 2 * KiB}).encode()
    headers = {**tenant.headers, "Content-Type": "application/json"}

    response = await client.post(
        f"/registration/{participant_id}/cancel", content=body, headers=headers
    )

    error = assert_error(response, 413, "PAYLOAD_TOO_LARGE")
    assert error["message"] == "Request body is larger than 1 KiB"


async def test_the_largest_valid_body_fits_its_endpoint_limit(
    client: Client, tenant: Tenant
) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers)
    body = {
        "eventRunId": run_id,
        "email": "runner@example.com",
        "registrationType": "free",
        "name": "\u00e9" * 200,
        "paceGroup": "\u00e9" * 100,
        "notes": "\u00e9" * 10_000,
    }
    # Every character escaped (six bytes each): the most bytes a valid body can take.
    content = json.dumps(body, ensure_ascii=True, indent=4).encode()
    headers = {**tenant.headers, "Content-Type": "application/json"}

    response = await client.post("/registration", content=content, headers=headers)

    assert response.status_code == 201, response.text
