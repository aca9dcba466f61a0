"""Prepared statements themselves: the SQL each dialect runs, the refused list parameter,
and rows read on the raw driver exactly as SQLAlchemy reads them (NULLs, offsets)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import create_async_engine

from intervals_server.db import Command, Database, Insert, InTransaction, Query
from intervals_server.models.base import UTCDateTime, utcnow

# A table of the tests' own, created and dropped around them: a column of each type the
# conversion treats apart, every one nullable.
_metadata = MetaData()
probe = Table(
    "db_layer_probe",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("label", String(20)),
    Column("seats", Integer),
    Column("at", UTCDateTime()),
    Column("plain_at", DateTime()),
    Column("day", Date),
    Column("doc", JSON),
)
# One of each kind of default an Insert fills: a scalar, a function serving two columns,
# and none (NULL).
ticket = Table(
    "db_layer_probe_ticket",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("status", String(20), nullable=False, default="open"),
    Column("note", String(20)),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("updated_at", UTCDateTime(), nullable=False, default=utcnow),
)
EVERY_COLUMN = Query(select(probe).where(probe.c.id == bindparam("id")))
AT_INSTANT = Query(select(probe.c.id).where(probe.c.at == bindparam("at")).order_by(probe.c.id))
# The dialects the server's engines use (an engine connects only when first used).
DIALECTS: dict[str, Dialect] = {
    "sqlite": create_async_engine("sqlite+aiosqlite://").dialect,
    "postgresql": create_async_engine("postgresql+asyncpg://127.0.0.1/none").dialect,
}

EXPECTED_SQL = {
    # SQLite's LIMIT comes with an OFFSET, a constant of the plan.
    "sqlite": "SELECT db_layer_probe.id, coalesce(db_layer_probe.label, ?) AS coalesce_1 "
    "FROM db_layer_probe WHERE db_layer_probe.seats >= ? AND db_layer_probe.day = ? "
    "LIMIT ? OFFSET ?",
    # asyncpg's numbered parameters, each cast to its column's type.
    "postgresql": "SELECT db_layer_probe.id, coalesce(db_layer_probe.label, $1::VARCHAR) "
    "AS coalesce_1 FROM db_layer_probe WHERE db_layer_probe.seats >= $2::INTEGER "
    "AND db_layer_probe.day = $3::DATE LIMIT $4",
}
EXPECTED_PARAMETERS = {
    "sqlite": ("coalesce_2", "least", "day", "limit", "param_1"),
    "postgresql": ("coalesce_2", "least", "day", "limit"),
}
EXPECTED_CONSTANTS = {
    "sqlite": {"coalesce_2": "", "param_1": 0},
    "postgresql": {"coalesce_2": ""},
}


@pytest.fixture
async def table(database: Database) -> AsyncIterator[Table]:
    async with database.writer.begin() as connection:
        await connection.run_sync(_metadata.create_all)
    yield probe
    async with database.writer.begin() as connection:
        await connection.run_sync(_metadata.drop_all)


async def _insert(database: Database, *rows: dict[str, Any]) -> None:
    async with database.write() as session:
        for row in rows:  # one by one: an executemany would take the first row's columns
            await session.execute(insert(probe).values(row))


async def _through_sqlalchemy(database: Database, query: Query[Any], **values: Any) -> list[Any]:
    async with database.read() as session:
        return [tuple(row) for row in (await session.execute(query.statement, values)).all()]


def _plain(rows: list[Any]) -> list[tuple[Any, ...]]:
    return [tuple(getattr(row, name) for name in row.__struct_fields__) for row in rows]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_declared_query_compiles_to_each_dialects_sql_with_its_parameters_in_order(
    dialect: str,
) -> None:
    query = Query(
        select(probe.c.id, func.coalesce(probe.c.label, ""))
        .where(probe.c.seats >= bindparam("least"), probe.c.day == bindparam("day"))
        .limit(bindparam("limit"))
    )

    plan = query.plan(DIALECTS[dialect])

    assert plan.sql.split() == EXPECTED_SQL[dialect].split()
    assert plan.parameters == EXPECTED_PARAMETERS[dialect]
    assert plan.constants == EXPECTED_CONSTANTS[dialect]


def test_a_query_with_an_in_list_parameter_is_refused_when_declared() -> None:
    with pytest.raises(TypeError, match=r"list parameter \(IN\): ids"):
        Query(select(probe.c.id).where(probe.c.id.in_(bindparam("ids", expanding=True))))


def test_a_query_with_a_literal_in_list_is_refused_when_declared() -> None:
    with pytest.raises(TypeError, match="list parameter"):
        Query(select(probe.c.id).where(probe.c.id.in_([1, 2, 3])))


def test_a_command_with_an_in_list_parameter_is_refused_when_declared() -> None:
    with pytest.raises(TypeError, match="list parameter"):
        Command(update(probe).where(probe.c.id.in_(bindparam("ids", expanding=True))))


async def test_a_row_of_nulls_reads_as_nones(database: Database, table: Table) -> None:
    await _insert(database, {"id": 1})

    rows = await database.reads.all(EVERY_COLUMN, id=1)

    assert _plain(rows) == [(1, None, None, None, None, None, None)]


async def test_rows_read_on_the_driver_equal_sqlalchemys_with_nulls_among_values(
    database: Database, table: Table
) -> None:
    await _insert(
        database,
        {"id": 1},
        {
            "id": 2,
            "label": "full",
            "seats": 7,
            "at": dt.datetime(2030, 6, 1, 18, 30, tzinfo=dt.UTC),
            "plain_at": dt.datetime(2030, 6, 1, 18, 30),
            "day": dt.date(2030, 6, 1),
            "doc": {"daysOfWeek": [0, 6], "note": None},
        },
    )
    every_row = Query(select(probe).order_by(probe.c.id))

    rows = await database.reads.all(every_row)

    assert _plain(rows) == await _through_sqlalchemy(database, every_row)
    assert rows[1].doc == {"daysOfWeek": [0, 6], "note": None}


async def test_an_instant_given_with_an_offset_is_stored_and_read_back_in_utc(
    database: Database, table: Table
) -> None:
    paris = dt.timezone(dt.timedelta(hours=2))
    await _insert(database, {"id": 1, "at": dt.datetime(2030, 6, 1, 20, 30, tzinfo=paris)})

    row = await database.reads.first(EVERY_COLUMN, id=1)

    assert row is not None
    assert row.at == dt.datetime(2030, 6, 1, 18, 30, tzinfo=dt.UTC)
    assert row.at.utcoffset() == dt.timedelta(0)


async def test_a_parameter_given_with_an_offset_matches_the_same_instant(
    database: Database, table: Table
) -> None:
    await _insert(database, {"id": 1, "at": dt.datetime(2030, 6, 1, 18, 30, tzinfo=dt.UTC)})
    new_york = dt.timezone(dt.timedelta(hours=-4))

    rows = await database.reads.all(AT_INSTANT, at=dt.datetime(2030, 6, 1, 14, 30, tzinfo=new_york))

    assert [row.id for row in rows] == [1]


async def test_a_command_in_a_transaction_answers_its_row_count_and_its_writes_commit(
    database: Database, table: Table
) -> None:
    await _insert(database, {"id": 1}, {"id": 2}, {"id": 3, "seats": 5})
    fill = Command(update(probe).where(probe.c.seats.is_(None)).values(seats=bindparam("seats")))

    async with database.write() as session:
        transaction, first = await InTransaction.starting_with(session, EVERY_COLUMN, id=3)
        touched = await transaction.run(fill, seats=9)

    assert first is not None and first.seats == 5
    assert touched == 2
    counts = Query(select(probe.c.seats).order_by(probe.c.id))
    assert [row.seats for row in await database.reads.all(counts)] == [9, 9, 5]


def _model(table: Table) -> type[Any]:
    return type("Model", (), {"__table__": table})


def test_an_insert_fills_each_column_left_out_from_its_default_and_one_instant_per_row() -> None:
    row = Insert(_model(ticket)).complete({"id": 1})

    assert row["status"] == "open"
    assert row["note"] is None
    assert row["created_at"] == row["updated_at"]
    assert row["created_at"].tzinfo is dt.UTC


def test_an_insert_keeps_the_values_given_over_the_defaults() -> None:
    at = dt.datetime(2030, 6, 1, tzinfo=dt.UTC)

    row = Insert(_model(ticket)).complete({"id": 1, "status": "closed", "created_at": at})

    assert (row["status"], row["created_at"]) == ("closed", at)
    assert row["updated_at"] != at  # left out: its own default


def test_an_insert_into_a_table_with_a_server_default_is_refused_when_declared() -> None:
    served = Table(
        "db_layer_served", MetaData(), Column("id", Integer), Column("x", Text, server_default="a")
    )

    with pytest.raises(TypeError, match=r"db_layer_served\.x: a server default"):
        Insert(_model(served))


async def test_a_completed_insert_writes_the_row_sqlalchemy_reads_back(
    database: Database, table: Table
) -> None:
    tickets = Insert(_model(ticket))
    row = tickets.complete({"id": 7})

    async with database.write() as session:
        transaction, _ = await InTransaction.starting_with(session, EVERY_COLUMN, id=0)
        await transaction.run(tickets, **row)

    async with database.read() as session:
        stored = (await session.execute(select(ticket))).one()
    assert stored._asdict() == row
