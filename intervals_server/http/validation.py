"""Turn untrusted JSON bodies and query strings into typed msgspec Structs.

msgspec stops at the first error; partners want every problem at once, the way the
reference shows it (``{"eventRunId": ["Required"], "email": ["Required"]}``). So each
field of an input msgspec refuses is converted on its own, nested Structs recursively with
dotted names, to report them all, in words a partner can act on (the allowed values of an
enum, the form of a date, the field an unknown one was probably meant to be).

The pass costs what the schema allows, not what the body holds: a list's length is
checked before its items, and at most ``MAX_LISTED_ERRORS`` fields are listed (the
error's ``errorCount`` says how many there were).
"""

from __future__ import annotations

import difflib
import functools
import re
import types
import typing
from collections.abc import Mapping
from contextlib import suppress
from typing import Any, TypeVar

import msgspec

from intervals_server.kit.errors import INVALID_BODY, INVALID_QUERY, BadRequest, ValidationFailed
from intervals_server.kit.schemas import MESSAGE

S = TypeVar("S", bound=msgspec.Struct)
MAX_LISTED_ERRORS = 50


class Errors(dict[str, list[str]]):
    """Field → messages for the first ``MAX_LISTED_ERRORS`` fields; past those, only how
    many more there were (the pass gives each field one message, so each is one field)."""

    def __init__(self) -> None:
        super().__init__()
        self.omitted = 0

    def add(self, name: str, message: str) -> None:
        if name in self:
            self[name].append(message)
        elif len(self) < MAX_LISTED_ERRORS:
            self[name] = [message]
        else:
            self.omitted += 1

    @property
    def count(self) -> int:
        return len(self) + self.omitted


_AT_PATH = re.compile(r" - at `\$[^`]*`$")
_UNWRAP = (typing.Union, types.UnionType)
_DATE_MESSAGE = "must be a date in the form YYYY-MM-DD"
_INSTANT_EXAMPLE = "e.g. 2030-06-14T08:00:00Z"
# msgspec's wording of a few errors, in words (the prefix is what msgspec says).
_REWORDED = (
    (
        "Invalid RFC3339 encoded datetime",
        f"must be a date and time in RFC 3339 form, {_INSTANT_EXAMPLE}",
    ),
    ("Invalid RFC3339 encoded date", _DATE_MESSAGE),
    ("Expected `date", _DATE_MESSAGE),
    ("Expected `datetime` with a timezone", f"must include a time zone offset, {_INSTANT_EXAMPLE}"),
)


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


class _Hints(typing.NamedTuple):
    """What a field's annotation says beyond its type, for the field-by-field pass."""

    choices: tuple[Any, ...] = ()  # a Literal's values
    min_length: int | None = None  # a list's bounds
    max_length: int | None = None
    pattern_message: str | None = None


_NO_HINTS = _Hints()


def _hints(annotation: Any, hints: _Hints = _NO_HINTS) -> _Hints:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *metas = typing.get_args(annotation)
        for meta in metas:
            if not isinstance(meta, msgspec.Meta):
                continue
            if typing.get_origin(inner) is list:
                hints = hints._replace(min_length=meta.min_length, max_length=meta.max_length)
            if meta.extra and MESSAGE in meta.extra:
                hints = hints._replace(pattern_message=meta.extra[MESSAGE])
        return _hints(inner, hints)
    if origin in _UNWRAP:
        for arg in typing.get_args(annotation):
            hints = _hints(arg, hints)
        return hints
    if origin is typing.Literal:
        return hints._replace(choices=typing.get_args(annotation))
    return hints


def _reworded(message: str, hints: _Hints) -> str:
    if hints.choices and not message.startswith("Expected `array"):
        return "must be one of: " + ", ".join(str(choice) for choice in hints.choices)
    if hints.pattern_message and message.startswith("Expected `str` matching regex"):
        return hints.pattern_message
    for prefix, words in _REWORDED:
        if message.startswith(prefix):
            return words
    return message


def _length_error(value: list[Any], hints: _Hints) -> str | None:
    """msgspec's own message for a list out of its bounds, found before any item is read."""
    if hints.max_length is not None and len(value) > hints.max_length:
        return f"Expected `array` of length <= {hints.max_length}"
    if hints.min_length is not None and len(value) < hints.min_length:
        return f"Expected `array` of length >= {hints.min_length}"
    return None


def _unknown_field(key: str, known: frozenset[str]) -> str:
    """``Unknown field``, with the known field it was probably meant to be, if one is close:
    a known name the key ends or starts with (``registrationStatus`` → ``status``), else
    one spelt almost the same (``datefrom`` → ``dateFrom``)."""
    lowered = key.lower()
    by_lower = {name.lower(): name for name in known}
    within = [
        name
        for lower, name in by_lower.items()
        if len(lower) >= 4 and (lowered.endswith(lower) or lowered.startswith(lower))
    ]
    close = difflib.get_close_matches(lowered, by_lower, n=1, cutoff=0.8)
    if within:
        return f"Unknown field; did you mean `{max(within, key=len)}`?"
    if close:
        return f"Unknown field; did you mean `{by_lower[close[0]]}`?"
    return "Unknown field"


Field = tuple[msgspec.structs.FieldInfo, tuple[type[msgspec.Struct], bool] | None, _Hints]


@functools.cache
def _fields(model: type[msgspec.Struct]) -> tuple[tuple[Field, ...], frozenset[str]]:
    """A model's fields, each with the Struct nested in it, and their wire names: worked
    out once per model, as msgspec resolves the annotations anew on every call."""
    fields = msgspec.structs.fields(model)
    return (
        tuple((field, _struct_in(field.type), _hints(field.type)) for field in fields),
        frozenset(field.encode_name for field in fields),
    )


@functools.cache
def _refuses_unknown_fields(model: type[msgspec.Struct]) -> bool:
    """Whether msgspec alone refuses what ``_check_fields`` does: unknown fields, at every
    level of nesting."""
    fields, _ = _fields(model)
    return model.__struct_config__.forbid_unknown_fields and all(
        _refuses_unknown_fields(nested[0]) for _, nested, _ in fields if nested is not None
    )


def _check_fields(
    model: type[msgspec.Struct],
    data: Mapping[str, Any],
    prefix: str,
    errors: Errors,
    strict: bool,
    nul: bool,
) -> None:
    fields, known = _fields(model)
    unknown = [key for key in data if key not in known]
    for index, key in enumerate(unknown):
        if len(errors) >= MAX_LISTED_ERRORS:  # past what is listed, only the count matters
            errors.omitted += len(unknown) - index
            break
        errors.add(f"{prefix}{key}", _unknown_field(key, known))
    for field, nested, hints in fields:
        name = f"{prefix}{field.encode_name}"
        if field.encode_name not in data:
            if field.required:
                errors.add(name, "Required")
            continue
        value = data[field.encode_name]
        if nested is not None and value is not None:
            nested_model, is_list = nested
            if is_list and isinstance(value, list):
                too_long_or_short = _length_error(value, hints)
                if too_long_or_short is not None:
                    errors.add(name, too_long_or_short)
                    continue
                for index, item in enumerate(value):
                    _check_nested(nested_model, item, f"{name}.{index}", errors, strict, nul)
                continue
            if not is_list and isinstance(value, dict):
                _check_nested(nested_model, value, name, errors, strict, nul)
                continue
        try:
            msgspec.convert(value, field.type, strict=strict)
        except msgspec.ValidationError as exc:
            errors.add(name, _reworded(_message(exc), hints))
            continue
        if nul and _holds_nul(value):
            errors.add(name, "Must not contain the NUL character (U+0000)")


def _check_nested(
    model: type[msgspec.Struct], value: Any, name: str, errors: Errors, strict: bool, nul: bool
) -> None:
    if not isinstance(value, dict):
        errors.add(name, "Expected `object`")
        return
    _check_fields(model, value, f"{name}.", errors, strict, nul)


def _holds_nul(value: Any) -> bool:
    """Whether a string in ``value`` holds U+0000: PostgreSQL text cannot store it, so no
    such string is valid. Asked only of values their type accepted, so bounded by it."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, Mapping):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def convert(
    model: type[S],
    data: Mapping[str, Any],
    *,
    strict: bool = True,
    message: str = INVALID_BODY,
    may_hold_nul: bool = True,
) -> S:
    """Build ``model`` from ``data`` or raise 422 listing every invalid field.

    ``may_hold_nul=False`` says no string in ``data`` holds U+0000, which msgspec accepts
    and this server refuses: the one conversion of valid input then suffices.
    """
    errors = Errors()
    if not may_hold_nul and _refuses_unknown_fields(model):
        # Most input is valid: one conversion. Only a failure needs the field-by-field
        # pass that names every problem (it finds the same ones msgspec would).
        with suppress(msgspec.ValidationError):
            return msgspec.convert(data, model, strict=strict)
    _check_fields(model, data, "", errors, strict, may_hold_nul)
    if not errors:
        try:
            return msgspec.convert(data, model, strict=strict)
        except msgspec.ValidationError as exc:  # a cross-field rule in __post_init__
            errors.add("_", _message(exc))
    raise failed(message, errors)


def failed(message: str, errors: Errors) -> ValidationFailed:
    """The 422 for ``errors``: the fields listed, and how many there were when some were
    left out (a body can be wrong in thousands of places; its answer stays small)."""
    if not errors.omitted:
        return ValidationFailed(message, errors=errors)
    error = ValidationFailed(
        f"{message}: {errors.count} invalid fields, the first {len(errors)} listed",
        errors=errors,
    )
    error.error_count = errors.count
    return error


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
    # JSON can only write U+0000 escaped (the decoder refuses the raw byte): without the
    # escape, no string holds one and the walk through every value is spared.
    return convert(model, data, may_hold_nul=b"\\u0000" in body)


def parse_query(model: type[S], params: Mapping[str, list[str]]) -> S:
    """Parse query parameters, each given at most once, into ``model``."""
    errors = Errors()
    single: dict[str, str] = {}
    for key, values in params.items():
        if len(values) > 1:
            errors.add(key, "Give this parameter once")
        else:
            single[key] = values[0]
    try:
        result = convert(
            model,
            single,
            strict=False,
            message=INVALID_QUERY,
            may_hold_nul=any("\x00" in value for value in single.values()),
        )
    except ValidationFailed as exc:
        for name, messages in (exc.errors or {}).items():
            for each in messages:
                errors.add(name, each)
        if exc.error_count is not None:  # what the conversion left out of its list
            errors.omitted += exc.error_count - len(exc.errors or {})
    else:
        for name, messages in _given_but_none(model, single, result).items():
            errors.add(name, messages[0])
    if errors:
        raise failed(INVALID_QUERY, errors)
    return result


def _given_but_none(model: type[S], given: Mapping[str, str], result: S) -> dict[str, list[str]]:
    """Lax parsing reads ``?type=null`` as ``None``, i.e. absent; a value given is never that."""
    fields, _ = _fields(model)
    return {
        field.encode_name: [f"Invalid value: {given[field.encode_name]!r}"]
        for field, _, _ in fields
        if field.encode_name in given and getattr(result, field.name) is None
    }
