"""Prepared statements: Core statements built once, compiled once per dialect.

Each hot statement is declared once, at import, with named ``bindparam``s, and compiled
once per dialect by SQLAlchemy itself, so the SQL is what the ORM would send. Values
still pass through the column types' own bind and result processors, so a row reads
exactly like the ORM's (timezone-aware instants, dates, decoded JSON). A statement is
compiled once for every call, so it cannot hold an expanding (``IN`` list) parameter,
whose SQL depends on each call's list: declaring one is refused. A prepared ``Insert``
fills the columns its caller leaves out from the table's own defaults, as SQLAlchemy would.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import starmap
from typing import Any, Generic, TypeVar, cast, overload

import msgspec
from sqlalchemy import (
    JSON,
    BindParameter,
    ClauseElement,
    Date,
    DateTime,
    Select,
    Table,
    bindparam,
    insert,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import iterate
from sqlalchemy.types import TypeEngine

R = TypeVar("R")
Processor = Callable[[Any], Any]
# Converts a whole column of a page at once: mapped in C where it can be, not row by row.
ColumnProcessor = Callable[[tuple[Any, ...]], tuple[Any, ...]]
Results = tuple[tuple[int, ColumnProcessor], ...]


@dataclass(frozen=True, slots=True)
class _Plan:
    """A query compiled for one dialect: its SQL, its parameters in order, their processors."""

    sql: str
    parameters: tuple[str, ...]
    binds: tuple[Processor | None, ...]
    # Values written into the statement itself (``coalesce(x, '')``), by parameter name.
    constants: dict[str, Any]


class _Compiled:
    """A statement built once, compiled once per dialect."""

    __slots__ = ("_plans", "statement")

    def __init__(self, statement: ClauseElement) -> None:
        refuse_expanding(statement)
        self.statement = statement
        self._plans: dict[str, _Plan] = {}

    def plan(self, dialect: Dialect) -> _Plan:
        plan = self._plans.get(dialect.name)
        if plan is None:
            compiled = cast(SQLCompiler, self.statement.compile(dialect=dialect))
            names = tuple(compiled.positiontup or ())
            parameters = [compiled.binds[name] for name in names]
            binds = tuple(p.type.dialect_impl(dialect).bind_processor(dialect) for p in parameters)
            constants = {
                name: p.value
                for name, p in zip(names, parameters, strict=True)
                if p.value is not None
            }
            plan = _Plan(compiled.string, names, binds, constants)
            self._plans[dialect.name] = plan
        return plan

    def arguments(self, plan: _Plan, values: dict[str, Any]) -> list[Any]:
        if plan.constants:
            values = plan.constants | values
        return [
            values[name] if bind is None else bind(values[name])
            for name, bind in zip(plan.parameters, plan.binds, strict=True)
        ]


def refuse_expanding(statement: ClauseElement) -> None:
    """Raise a TypeError if ``statement`` holds an expanding (``IN`` list) parameter."""
    expanding = sorted(
        str(element.key)
        for element in iterate(statement)
        if isinstance(element, BindParameter) and element.expanding
    )
    if expanding:
        raise TypeError(
            f"A prepared statement cannot take a list parameter (IN): {', '.join(expanding)}; "
            "its SQL is compiled once for every call. Run it through a session instead."
        )


class Command(_Compiled):
    """An ``INSERT``, ``UPDATE`` or ``DELETE`` built once; running it answers its row count."""


_UNSET = object()


class Insert(Command):
    """An ``INSERT`` of one row of ``model``'s table (every column bound), built once.

    ``complete(values)`` gives the row a caller decides with the rest filled as SQLAlchemy
    fills an insert: a column's scalar default, its callable default (called once per row
    for every column it serves, so ``created_at`` and ``updated_at`` agree), else NULL. The
    scalars are gathered here, once; only the callables run per row.
    """

    __slots__ = ("_calls", "_fixed")

    def __init__(self, model: type[Any]) -> None:
        table: Table = model.__table__
        super().__init__(insert(table).values({c.key: bindparam(c.key) for c in table.columns}))
        fixed: dict[str, Any] = {}
        calls: dict[Callable[[], Any], list[str]] = {}
        for column in table.columns:
            default: Any = column.default
            if default is None and column.server_default is None:
                if column.nullable:
                    fixed[column.key] = None
            elif default is None:
                # Bound as every other column, it would be overridden: leave it to the ORM.
                raise TypeError(f"{table.name}.{column.key}: a server default, unknown here")
            elif default.is_scalar:
                fixed[column.key] = default.arg
            elif default.is_callable and hasattr(default.arg, "__wrapped__"):
                # SQLAlchemy wraps a function of no arguments to take an execution context.
                calls.setdefault(default.arg.__wrapped__, []).append(column.key)
            else:
                raise TypeError(f"{table.name}.{column.key}: a default that needs the database")
        self._fixed = fixed
        self._calls = tuple((make, tuple(keys)) for make, keys in calls.items())

    def complete(self, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` and, for each column they leave out, its default."""
        row = self._fixed | values
        for make, keys in self._calls:
            value: Any = _UNSET
            for key in keys:
                if key not in values:
                    if value is _UNSET:
                        value = make()
                    row[key] = value
        return row


class Query(_Compiled, Generic[R]):
    """A ``SELECT`` built once; rows come back as frozen Structs of its selected columns
    (read by attribute like a model; built in C, where a named tuple's constructor runs
    Python code for every row). A resource's query names its row type (``models``' read
    side), whose fields must be the selected columns in order; others get an anonymous one."""

    __slots__ = ("_results", "row")

    @overload
    def __init__(self: Query[Any], statement: Select[Any]) -> None: ...

    @overload
    def __init__(self, statement: Select[Any], row: type[R]) -> None: ...

    def __init__(self, statement: Select[Any], row: type[R] | None = None) -> None:
        super().__init__(statement)
        self.statement: Select[Any] = statement
        keys = tuple(str(column.key) for column in statement.selected_columns)
        if row is None:
            # Untracked by the collector: a row holds plain values, never a cycle.
            row = cast(type[R], msgspec.defstruct("Row", keys, frozen=True, gc=False))
        elif getattr(row, "__struct_fields__", None) != keys:
            raise TypeError(f"{row.__name__} does not have the selected columns {keys}")
        self.row: type[R] = row
        self._results: dict[str, Results] = {}

    def known_results(self, dialect: Dialect) -> Results | None:
        return self._results.get(dialect.name)

    def results(self, dialect: Dialect, driver_types: Sequence[Any]) -> Results:
        """The columns whose values need converting, each with its column processor."""
        processors = (
            (index, _column_processor(column.type, dialect, driver_type))
            for index, (column, driver_type) in enumerate(
                zip(self.statement.selected_columns, driver_types, strict=True)
            )
        )
        found = tuple((index, p) for index, p in processors if p is not None)
        self._results[dialect.name] = found
        return found

    def rows(self, raw: Sequence[Sequence[Any]], processors: Results) -> list[R]:
        if not processors or not raw:
            return list(starmap(self.row, raw))
        # Column by column: only the converted columns are touched.
        columns = list(zip(*raw, strict=True))
        for index, processor in processors:
            columns[index] = processor(columns[index])
        return list(map(self.row, *columns))


# SQLite hands back text for these; SQLAlchemy's own processors parse it with regular
# expressions and the json module, several times slower than these C parsers.
_SQLITE_TEXT_PARSERS: tuple[tuple[type[TypeEngine[Any]], Processor], ...] = (
    (DateTime, dt.datetime.fromisoformat),
    (Date, dt.date.fromisoformat),
    (JSON, msgspec.json.decode),
)


def _column_processor(
    column_type: TypeEngine[Any], dialect: Dialect, driver_type: Any
) -> ColumnProcessor | None:
    """How a column of this type is converted, or None when the driver's values are final.
    A type that knows the driver's values better says so with
    ``driver_column_processor(dialect)``; SQLite's text is parsed in C."""
    declared = getattr(column_type, "driver_column_processor", None)
    if declared is not None:
        return cast(ColumnProcessor | None, declared(dialect))
    parse = _sqlite_text_parser(column_type) if dialect.name == "sqlite" else None
    if parse is not None:
        return functools.partial(_parsed, parse)
    # SQLAlchemy's own, as the ORM would run it (a TypeDecorator's process_result_value
    # included), chosen by the column's type and the type the driver reports.
    processor = column_type.dialect_impl(dialect).result_processor(dialect, driver_type)
    return None if processor is None else functools.partial(_each, processor)


def _parsed(parse: Processor, values: tuple[Any, ...]) -> tuple[Any, ...]:
    if None in values:
        return tuple(None if value is None else parse(value) for value in values)
    return tuple(map(parse, values))


def _each(processor: Processor, values: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(map(processor, values))


def _sqlite_text_parser(stored: TypeEngine[Any]) -> Processor | None:
    return next((p for kind, p in _SQLITE_TEXT_PARSERS if isinstance(stored, kind)), None)
