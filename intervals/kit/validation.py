"""Turn untrusted JSON bodies and query strings into typed msgspec Structs.

msgspec stops at the first error; partners want every problem at once, the way the
reference shows it (``{"eventRunId": ["Required"], "email": ["Required"]}``). So each
field of an input msgspec refuses is converted on its own, nested Structs recursively with
dotted names, to report them all.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Mapping
from contextlib import suppress
from typing import Any, TypeVar

import msgspec

from intervals.kit.errors import BadRequest, ValidationFailed

S = TypeVar("S", bound=msgspec.Struct)
Errors = dict[str, list[str]]

_AT_PATH = re.compile(r" - at `\$[^`]*`$")
_UNWRAP = (typing.Union, types.UnionType)


def _message(exc: Exception) -> str:
    return _AT_PATH.sub("", str(exc))


def _struct_in(annotation: Any) -> tuple[type[msgspec.Struct], bool] | None:
    """The Struct type inside ``annotation`` and whether it is a list of them, if any."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _struct_in(typing.get_args(annotation)[0])
    if origin in _UNWRAP:
        for arg in typing.get_args(annotation):
            found = _struct_in(arg)
            if found:
                return found
        return None
    if origin is list:
        (item,) = typing.get_args(annotation)
        inner = _struct_in(item)
        return (inner[0], True) if inner and not inner[1] else None
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return annotation, False
    return None


Field = tuple[msgspec.structs.FieldInfo, tuple[type[msgspec.Struct], bool] | None]


@functools.cache
def _fields(model: type[msgspec.Struct]) -> tuple[tuple[Field, ...], frozenset[str]]:
    """A model's fields, each with the Struct nested in it, and their wire names: worked
    out once per model, as msgspec resolves the annotations anew on every call."""
    fields = msgspec.structs.fields(model)
    return (
        tuple((field, _struct_in(field.type)) for field in fields),
        frozenset(field.encode_name for field in fields),
    )


@functools.cache
def _refuses_unknown_fields(model: type[msgspec.Struct]) -> bool:
    """Whether msgspec alone refuses what ``_check_fields`` does: unknown fields, at every
    level of nesting."""
    fields, _ = _fields(model)
    return model.__struct_config__.forbid_unknown_fields and all(
        _refuses_unknown_fields(nested[0]) for _, nested in fields if nested is not None
    )


def _check_fields(
    model: type[msgspec.Struct], data: Mapping[str, Any], prefix: str, errors: Errors, strict: bool
) -> None:
    fields, known = _fields(model)
    for key in data:
        if key not in known:
            errors.setdefault(f"{prefix}{key}", []).append("Unknown field")
    for field, nested in fields:
        name = f"{prefix}{field.encode_name}"
        if field.encode_name not in data:
            if field.required:
                errors.setdefault(name, []).append("Required")
            continue
        value = data[field.encode_name]
        if nested is not None and value is not None:
            nested_model, is_list = nested
            if is_list and isinstance(value, list):
                for index, item in enumerate(value):
                    _check_nested(nested_model, item, f"{name}.{index}", errors, strict)
                continue
            if not is_list and isinstance(value, dict):
                _check_nested(nested_model, value, name, errors, strict)
                continue
        try:
            msgspec.convert(value, field.type, strict=strict)
        except msgspec.ValidationError as exc:
            errors.setdefault(name, []).append(_message(exc))


def _check_nested(
    model: type[msgspec.Struct], value: Any, name: str, errors: Errors, strict: bool
) -> None:
    if not isinstance(value, dict):
        errors.setdefault(name, []).append("Expected `object`")
        return
    _check_fields(model, value, f"{name}.", errors, strict)


def _check_nul(data: Any, errors: Errors) -> None:
    """Report strings holding U+0000: PostgreSQL text cannot store it, so none is valid.

    A loop, not recursion: a body may nest as deep as the JSON decoder allows.
    """
    pending: list[tuple[str, Any]] = [("", data)]
    while pending:
        name, value = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                errors.setdefault(name, []).append("Must not contain the NUL character (U+0000)")
        elif isinstance(value, Mapping):
            pending.extend((f"{name}.{key}" if name else str(key), v) for key, v in value.items())
        elif isinstance(value, list):
            pending.extend((f"{name}.{index}", item) for index, item in enumerate(value))


def convert(
    model: type[S],
    data: Mapping[str, Any],
    *,
    strict: bool = True,
    message: str = "Invalid request body",
) -> S:
    """Build ``model`` from ``data`` or raise 422 listing every invalid field."""
    errors: Errors = {}
    _check_nul(data, errors)
    if not errors and _refuses_unknown_fields(model):
        # Most input is valid: one conversion. Only a failure needs the field-by-field
        # pass that names every problem (it finds the same ones msgspec would).
        with suppress(msgspec.ValidationError):
            return msgspec.convert(data, model, strict=strict)
    _check_fields(model, data, "", errors, strict)
    if not errors:
        try:
            return msgspec.convert(data, model, strict=strict)
        except msgspec.ValidationError as exc:  # a cross-field rule in __post_init__
            errors["_"] = [_message(exc)]
    raise ValidationFailed(message, errors=errors)


def decode_body(model: type[S], body: bytes) -> S:
    """Parse a JSON object body: 400 when it is not one, 422 when its fields are wrong."""
    try:
        data = msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        raise BadRequest(f"Malformed JSON: {_message(exc)}") from exc
    except RecursionError as exc:
        raise BadRequest("Malformed JSON: nested too deeply") from exc
    if not isinstance(data, dict):
        raise BadRequest("Request body must be a JSON object")
    return convert(model, data)


def parse_query(model: type[S], params: Mapping[str, list[str]]) -> S:
    """Parse query parameters, each given at most once, into ``model``."""
    errors: Errors = {}
    single: dict[str, str] = {}
    for key, values in params.items():
        if len(values) > 1:
            errors[key] = ["Give this parameter once"]
        else:
            single[key] = values[0]
    try:
        result = convert(model, single, strict=False, message="Invalid query parameters")
    except ValidationFailed as exc:
        errors.update(exc.errors or {})
    else:
        errors.update(_given_but_none(model, single, result))
    if errors:
        raise ValidationFailed("Invalid query parameters", errors=errors)
    return result


def _given_but_none(model: type[S], given: Mapping[str, str], result: S) -> Errors:
    """Lax parsing reads ``?type=null`` as ``None``, i.e. absent; a value given is never that."""
    fields, _ = _fields(model)
    return {
        field.encode_name: [f"Invalid value: {given[field.encode_name]!r}"]
        for field, _ in fields
        if field.encode_name in given and getattr(result, field.name) is None
    }


def invalid(field: str, message: str, *, body: bool = True) -> ValidationFailed:
    """A 422 for one field, for rules that need more than the field's type to check."""
    return ValidationFailed(
        "Invalid request body" if body else "Invalid query parameters", errors={field: [message]}
    )
