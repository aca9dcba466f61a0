"""Field types and envelopes shared by every resource."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

import msgspec

T = TypeVar("T")

# Meta(extra={MESSAGE: "must be …"}) on a str type with a pattern: what to say when a
# value does not match, instead of the pattern itself (an `x-` key, which the OpenAPI
# document may carry as an extension).
MESSAGE = "x-error-message"

LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
# White space spelled out, not `\s`: Python's `\s` also matches U+001C-U+001F and U+0085,
# ECMAScript's (which JSON Schema patterns use) also U+FEFF. This class is both, so the
# document's pattern and the server's check agree on every string.
SPACE = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"

LocalTime = Annotated[
    str,
    msgspec.Meta(
        pattern=LOCAL_TIME_PATTERN,
        description="Local time, HH:MM (HH:MM:SS accepted; seconds are dropped)",
        examples=["18:30"],
        extra={MESSAGE: "must be a time in the form HH:MM"},
    ),
]
Slug = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=100,
        description="URL-friendly slug: lowercase letters, digits and single hyphens",
        extra={MESSAGE: "must be lowercase letters, digits and single hyphens"},
    ),
]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Text = Annotated[str, msgspec.Meta(max_length=10_000)]
Url = Annotated[
    str,
    msgspec.Meta(
        pattern=rf"^https?://[^{SPACE}]+$",
        max_length=2000,
        extra={MESSAGE: "must be an http:// or https:// URL"},
    ),
]
Timezone = Annotated[
    str,
    msgspec.Meta(
        min_length=1, max_length=64, description="IANA time zone", examples=["Europe/London"]
    ),
]
ObjectId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


def present(*fields: str) -> dict[str, Any]:
    """JSON Schema: each of ``fields`` is given and not ``null`` (for ``__json_schema_extra__``,
    where a Struct states a rule across its fields; ``null`` reads as absent)."""
    return {
        "required": list(fields),
        "properties": {field: {"not": {"type": "null"}} for field in fields},
    }


class Data(msgspec.Struct, Generic[T]):
    """``{"data": ...}``: the envelope of every single object."""

    data: T


class Page(msgspec.Struct, Generic[T]):
    """``{"data": [...], "hasMore": bool}``: the envelope of every list."""

    data: list[T]
    hasMore: bool


class Struct(msgspec.Struct, kw_only=True, rename="camel", omit_defaults=True):
    """A response object: camelCase on the wire, absent optional fields left out."""


class Input(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """A request body or query: camelCase on the wire, unknown fields refused."""


def local_time(value: str) -> str:
    """``HH:MM`` from an accepted ``HH:MM`` or ``HH:MM:SS``."""
    return value[:5]
