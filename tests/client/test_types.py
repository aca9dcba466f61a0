"""The SDK's typed dicts say what the server's OpenAPI document says, field for field."""

from __future__ import annotations

import typing
from typing import Any

import pytest

from intervals_client import types
from tests.conftest import Client

# Each typed dict of the SDK and the component schema it mirrors.
SCHEMA_OF = {
    "Address": "Address",
    "Event": "Event",
    "EventNew": "EventCreate",
    "EventUpdate": "EventUpdate",
    "EventWithRuns": "EventWithRuns",
    "Group": "Group",
    "Occurrence": "Occurrence",
    "Organization": "Organization",
    "Recurrence": "Recurrence",
    "RecurrenceCreate": "RecurrenceCreate",
    "RecurrenceNew": "RecurrenceNew",
    "RecurrenceUpdate": "RecurrenceUpdate",
    "Registration": "Registration",
    "RegistrationNew": "RegistrationCreate",
    "Run": "Run",
    "RunNew": "RunCreate",
    "RunUpdate": "RunUpdate",
    "Schedule": "Schedule",
}


def required_keys(typed_dict: Any) -> set[str]:
    """The keys a type checker treats as required.

    ``__required_keys__`` alone is not enough: under ``from __future__ import annotations``
    Python 3.11 sees ``NotRequired[...]`` as a string and goes by ``total`` only.
    """
    required = set()
    for key, annotation in typed_dict.__annotations__.items():
        text = getattr(annotation, "__forward_arg__", str(annotation))
        if text.startswith("Required[") or (
            key in typed_dict.__required_keys__ and not text.startswith("NotRequired[")
        ):
            required.add(key)
    return required


def public_typed_dicts() -> set[str]:
    return {
        name
        for name, value in vars(types).items()
        if not name.startswith("_") and typing.is_typeddict(value)
    }


def test_every_public_typed_dict_names_its_schema() -> None:
    assert public_typed_dicts() == set(SCHEMA_OF)


@pytest.fixture(scope="module")
async def schemas(client: Client) -> dict[str, Any]:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    found: dict[str, Any] = response.json()["components"]["schemas"]
    return found


@pytest.mark.parametrize("name", sorted(SCHEMA_OF))
async def test_typed_dict_has_the_schemas_fields(name: str, schemas: dict[str, Any]) -> None:
    typed_dict = getattr(types, name)
    schema = schemas[SCHEMA_OF[name]]

    assert set(typed_dict.__annotations__) == set(schema["properties"])


@pytest.mark.parametrize("name", sorted(SCHEMA_OF))
async def test_typed_dict_requires_what_the_schema_requires(
    name: str, schemas: dict[str, Any]
) -> None:
    typed_dict = getattr(types, name)
    schema = schemas[SCHEMA_OF[name]]

    assert required_keys(typed_dict) == set(schema.get("required", []))
