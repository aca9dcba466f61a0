"""Each resource's Row (what a hot read returns) holds exactly its table's columns, typed
as its model's, so a presenter handed either is handed the same fields."""

from __future__ import annotations

import typing

import pytest
from sqlalchemy import select

from intervals_server import models
from intervals_server.db import Query, row_columns
from intervals_server.models.base import Row

ROWS: dict[type[Row], type[models.Base]] = {
    models.EventRow: models.Event,
    models.RunRow: models.Run,
    models.RegistrationRow: models.Registration,
    models.GroupRow: models.Group,
}


def _mapped_types(model: type[models.Base]) -> dict[str, object]:
    hints: dict[str, object] = {}
    for klass in reversed(model.__mro__):
        for name, hint in typing.get_type_hints(klass).items():
            if typing.get_origin(hint) is not None and typing.get_args(hint):
                hints[name] = typing.get_args(hint)[0]
    return hints


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.__name__)
def test_a_row_holds_its_tables_columns_with_its_models_types(row: type[Row]) -> None:
    model = ROWS[row]
    columns = {column.key for column in model.__table__.columns}
    fields = typing.get_type_hints(row)
    mapped = _mapped_types(model)

    assert set(fields) == columns
    assert {name: fields[name] for name in columns} == {name: mapped[name] for name in columns}


def test_a_query_refuses_a_row_type_without_its_columns() -> None:
    statement = select(*row_columns(models.EventRow, models.Event)[:-1])

    with pytest.raises(TypeError, match="EventRow does not have the selected columns"):
        Query(statement, models.EventRow)
