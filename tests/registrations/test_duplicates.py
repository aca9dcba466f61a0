from __future__ import annotations

import pytest

from tests.conftest import Client, Tenant
from tests.registrations.support import cancel, fullwidth, registration_id, registrations
from tests.support import create_event_with_run, create_run, register


@pytest.mark.parametrize("first_status", ["confirmed", "waitlist"])
async def test_a_second_live_registration_for_the_same_email_is_a_conflict(
    client: Client, tenant: Tenant, first_status: str
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    await registration_id(
        client, tenant.headers, run_id, email="Sam.Lee@Example.com", status=first_status
    )

    response = await register(client, tenant.headers, run_id, email="sam.lee@example.COM")

    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["reason"]) == ("CONFLICT", "duplicate_registration")
    assert len(await registrations(client, tenant.headers, event_id)) == 1


async def test_the_same_email_may_register_again_after_cancelling(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    first = await registration_id(client, tenant.headers, run_id, email="sam@example.com")
    assert (await cancel(client, tenant.headers, first)).status_code == 200

    response = await register(client, tenant.headers, run_id, email="SAM@example.com")

    assert response.status_code == 201
    items = await registrations(client, tenant.headers, event_id, email="sam@example.com")
    assert [item["registrationStatus"] for item in items] == ["cancelled", "confirmed"]


async def test_the_same_email_may_register_for_another_run(client: Client, tenant: Tenant) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    other_run_id = await create_run(client, tenant.headers, event_id, distanceMeters=10000)
    await registration_id(client, tenant.headers, run_id, email="sam@example.com")

    response = await register(client, tenant.headers, other_run_id, email="sam@example.com")

    assert response.status_code == 201


async def test_retrying_a_registration_that_took_the_last_seat_is_a_duplicate_not_sold_out(
    client: Client, tenant: Tenant
) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers, maxParticipants=1)
    await registration_id(client, tenant.headers, run_id, email="sam@example.com")

    retry = await register(
        client, tenant.headers, run_id, email="sam@example.com", status="confirmed"
    )

    assert retry.status_code == 409
    assert retry.json()["error"]["reason"] == "duplicate_registration"


@pytest.mark.parametrize(
    "variant",
    [
        fullwidth("SAM") + "@" + fullwidth("example") + "." + fullwidth("com"),
        "sam@example.com.",  # the domain's trailing dot
        "SAM@EXAMPLE.COM..",
    ],
    ids=["fullwidth", "trailing-dot", "trailing-dots-and-case"],
)
async def test_a_variant_spelling_of_a_registered_email_is_a_conflict(
    client: Client, tenant: Tenant, variant: str
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)
    await registration_id(client, tenant.headers, run_id, email="Sam@Example.com")

    response = await register(client, tenant.headers, run_id, email=variant)

    assert response.status_code == 409, response.text
    assert response.json()["error"]["reason"] == "duplicate_registration"
    assert len(await registrations(client, tenant.headers, event_id)) == 1


async def test_composed_and_decomposed_accents_are_one_email(
    client: Client, tenant: Tenant
) -> None:
    _, run_id = await create_event_with_run(client, tenant.headers)
    await registration_id(client, tenant.headers, run_id, email="ren\u00e9@example.com")

    response = await register(client, tenant.headers, run_id, email="rene\u0301@example.com")

    assert response.status_code == 409
    assert response.json()["error"]["reason"] == "duplicate_registration"


async def test_a_variant_spelling_is_stored_and_shown_as_given(
    client: Client, tenant: Tenant
) -> None:
    event_id, run_id = await create_event_with_run(client, tenant.headers)

    await registration_id(client, tenant.headers, run_id, email=fullwidth("SAM") + "@Example.com.")

    (item,) = await registrations(client, tenant.headers, event_id)
    assert item["email"] == fullwidth("SAM") + "@Example.com."
