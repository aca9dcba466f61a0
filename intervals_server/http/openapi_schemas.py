"""What the OpenAPI document adds to msgspec's JSON Schemas, for readers and generators.

- **Named enums.** msgspec writes a ``Literal`` inline, so a generator makes one enum class
  per field that uses it (``RunDistanceStandard``, ``RunCreateDistanceStandardType0`` …)
  with names such as ``VALUE_6`` for ``5K``. Every ``Literal`` a schema module names
  (``DistanceStandard = Literal[...]``) becomes one component schema of that name, with
  ``type: string`` and ``x-enum-varnames`` (``5K`` → ``FIVE_K``), referenced wherever a
  field uses it.
- **Rules across fields.** A Struct may declare ``__json_schema_extra__`` (a ClassVar):
  keywords merged into its component (``dependentRequired``, ``anyOf`` of ``required``
  sets, …) for what a single field's annotation cannot say.
"""

from __future__ import annotations

import re
import sys
import typing
from collections.abc import Iterable, Iterator
from typing import Any, Literal

import msgspec
import msgspec.inspect as mi

Schema = dict[str, Any]
REF = "#/components/schemas/{name}"

_ONES = [
    "ZERO",
    "ONE",
    "TWO",
    "THREE",
    "FOUR",
    "FIVE",
    "SIX",
    "SEVEN",
    "EIGHT",
    "NINE",
    "TEN",
    "ELEVEN",
    "TWELVE",
    "THIRTEEN",
    "FOURTEEN",
    "FIFTEEN",
    "SIXTEEN",
    "SEVENTEEN",
    "EIGHTEEN",
    "NINETEEN",
]
_TENS = ["_", "_", "TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY"]
_LEADING_NUMBER = re.compile(r"^(\d+)(.*)$")
_WORD_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+")


def _number_words(number: int) -> str:
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + (f"_{_ONES[ones]}" if ones else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        head = "HUNDRED" if hundreds == 1 else f"{_ONES[hundreds]}_HUNDRED"
        return head + (f"_{_number_words(rest)}" if rest else "")
    return f"N{number}"


def enum_varname(value: str) -> str:
    """A readable constant name for an enum value: ``5K`` → ``FIVE_K``,
    ``Half Marathon`` → ``HALF_MARATHON``, ``runClub`` → ``RUN_CLUB``."""
    head = ""
    match = _LEADING_NUMBER.match(value)
    if match:
        head, value = _number_words(int(match.group(1))), match.group(2)
    words = [word.upper() for word in _WORD_BREAK.split(value) if word]
    return "_".join([head, *words] if head else words) or "EMPTY"


def _literal_in(annotation: Any) -> Any:
    """The ``Literal[...]`` of strings inside an annotation (through Annotated and unions)."""
    if typing.get_origin(annotation) is Literal:
        values = typing.get_args(annotation)
        return annotation if values and all(isinstance(v, str) for v in values) else None
    for argument in typing.get_args(annotation):
        found = _literal_in(argument)
        if found is not None:
            return found
    return None


def _alias_of(literal: Any, module_name: str) -> str | None:
    """The name a module gives ``literal`` (``EventType = Literal[...]``), if it names it."""
    module = sys.modules.get(module_name)
    names = [
        name
        for name, value in vars(module or object()).items()
        if name[:1].isupper() and typing.get_origin(value) is Literal and value == literal
    ]
    return names[0] if len(names) == 1 else None


class NamedEnums:
    """The named enums met so far, as component schemas, and where each is used."""

    def __init__(self) -> None:
        self.components: dict[str, Schema] = {}

    def name_for(self, owner: type, field_name: str) -> tuple[str, list[str]] | None:
        """The enum name and values of ``owner``'s field, when its module names the Literal."""
        hints = typing.get_type_hints(owner, include_extras=True)
        literal = _literal_in(hints.get(field_name))
        if literal is None:
            return None
        name = _alias_of(literal, owner.__module__)
        if name is None:
            return None
        values = sorted(typing.get_args(literal))
        known = self.components.get(name)
        if known is not None and known["enum"] != values:
            return None  # two different enums under one name: leave both inline
        self.components[name] = {
            "title": name,
            "type": "string",
            "enum": values,
            "x-enum-varnames": [enum_varname(value) for value in values],
        }
        return name, values

    def replace(self, schema: Schema, name: str, values: list[str]) -> Schema:
        """``schema`` with each inline ``enum`` of ``values`` replaced by the named one."""
        if sorted(schema.get("enum", ())) == values:
            rest = {k: v for k, v in schema.items() if k not in ("enum", "type")}
            return {"$ref": REF.format(name=name), **rest}
        return {
            key: (
                [self.replace(v, name, values) if isinstance(v, dict) else v for v in value]
                if isinstance(value, list)
                else self.replace(value, name, values)
                if isinstance(value, dict)
                else value
            )
            for key, value in schema.items()
        }


def _struct_classes(types: Iterable[Any]) -> Iterator[type[msgspec.Struct]]:
    seen: set[type] = set()

    def visit(info: mi.Type) -> Iterator[type[msgspec.Struct]]:
        if isinstance(info, mi.StructType):
            if info.cls in seen:
                return
            seen.add(info.cls)
            yield info.cls
            for field in info.fields:
                yield from visit(field.type)
        elif isinstance(info, mi.Metadata):
            yield from visit(info.type)
        elif isinstance(info, mi.UnionType):
            for member in info.types:
                yield from visit(member)
        elif isinstance(info, (mi.ListType, mi.SetType, mi.FrozenSetType, mi.VarTupleType)):
            yield from visit(info.item_type)
        elif isinstance(info, mi.DictType):
            yield from visit(info.value_type)

    for info in mi.multi_type_info(list(types)):
        yield from visit(info)


def refine_components(
    types: Iterable[Any], components: dict[str, Schema], enums: NamedEnums
) -> None:
    """Name the enums of ``types``' Structs and merge their ``__json_schema_extra__``, in place."""
    for cls in _struct_classes(types):
        component = components.get(getattr(cls, "__name__", ""))
        if component is None or typing.get_origin(cls) is not None:
            continue
        extra = getattr(cls, "__json_schema_extra__", None)
        if extra:
            component.update(extra)
        properties = component.get("properties", {})
        for field in msgspec.structs.fields(cls):
            named = enums.name_for(cls, field.name)
            if named is not None and field.encode_name in properties:
                properties[field.encode_name] = enums.replace(properties[field.encode_name], *named)
