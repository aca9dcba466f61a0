"""Keyset pagination with ``_id`` cursors, as the reference describes it.

A cursor is an object's ``_id``. It is resolved to the object's position in the list's
order, and the page continues strictly after (or before) that position, so any page
costs what the first costs and a walk never repeats or skips a row that already existed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic

from sqlalchemy import BindParameter, ColumnElement, bindparam, select, tuple_
from sqlalchemy.orm import QueryableAttribute

from intervals_server.db.connections import Reads
from intervals_server.db.statements import Query, R, refuse_expanding
from intervals_server.kit.errors import INVALID_QUERY, ValidationFailed
from intervals_server.kit.pagination import PageQuery

OrderKey = ColumnElement[Any] | QueryableAttribute[Any]


def _invalid_cursor(parameter: str) -> ValidationFailed:
    return ValidationFailed(INVALID_QUERY, errors={parameter: ["Invalid cursor for this list"]})


Filter = Callable[[BindParameter[Any]], ColumnElement[bool]]


class Listing(Generic[R]):
    """One list's keyset-paginated ``SELECT``, built once per shape and run as a hot read.

    ``scope`` names the columns that say which list this is (the organization, a parent
    event): a cursor must belong to it. ``filters`` name the conditions a query may add;
    each is built around a bind parameter of its name, and may exclude the cursor row
    itself. ``order`` is the unique sort key, ending with the ``_id`` column. A page's
    statement depends only on which filters are given and which way it reads, so each
    such shape is built (and compiled) once.
    """

    def __init__(
        self,
        row: type[R],
        selected: Sequence[Any],
        *,
        scope: Mapping[str, ColumnElement[Any] | QueryableAttribute[Any]],
        order: Sequence[OrderKey],
        filters: Mapping[str, Filter] | None = None,
    ) -> None:
        self._row = row
        self._selected = selected
        self._scope = [column == bindparam(name) for name, column in scope.items()]
        self._order = order
        self._filters = filters or {}
        # Pages are built per shape, on first use; their filters are checked now.
        for name, condition in self._filters.items():
            refuse_expanding(condition(bindparam(name)))
        self._shapes: dict[tuple[tuple[str, ...], bool | None], Query[R]] = {}
        # The cursor's row, in this list.
        self._cursor_row = [order[-1] == bindparam("cursor"), *self._scope]
        self._cursor_in_scope = Query(select(order[-1]).where(*self._cursor_row))

    def _query(self, filters: tuple[str, ...], forwards: bool | None) -> Query[R]:
        shape = (filters, forwards)
        query = self._shapes.get(shape)
        if query is None:
            statement = select(*self._selected).where(
                *self._scope, *(self._filters[name](bindparam(name)) for name in filters)
            )
            ordering = self._order
            if forwards is not None:
                # The cursor's position as a row subquery of the page's own query: one
                # round trip, and the same index walk as the first page.
                position = select(*self._order).where(*self._cursor_row).scalar_subquery()
                key = tuple_(*self._order)
                statement = statement.where(key > position if forwards else key < position)
                if not forwards:
                    ordering = [column.desc() for column in self._order]
            query = Query(statement.order_by(*ordering).limit(bindparam("limit")), self._row)
            self._shapes[shape] = query
        return query

    async def page(
        self,
        reads: Reads,
        page: PageQuery,
        *,
        scope: Mapping[str, Any],
        filters: Mapping[str, Any] | None = None,
    ) -> tuple[list[R], bool]:
        """One page of rows, oldest first, and whether more lie beyond it."""
        if page.after is not None and page.before is not None:
            message = "Use either after or before, not both"
            raise ValidationFailed(INVALID_QUERY, errors={"after": [message], "before": [message]})
        given = {name: value for name, value in (filters or {}).items() if value is not None}
        cursor_id = page.after if page.after is not None else page.before
        forwards = None if cursor_id is None else page.before is None
        query = self._query(tuple(sorted(given)), forwards)
        values = {**scope, **given, "limit": page.limit + 1}
        if cursor_id is not None:
            values["cursor"] = cursor_id
        rows = await reads.all(query, **values)
        # An empty page: the end of the list, or a cursor that is not in it.
        if (
            cursor_id is not None
            and not rows
            and await reads.first(self._cursor_in_scope, cursor=cursor_id, **scope) is None
        ):
            raise _invalid_cursor("after" if forwards else "before")
        has_more = len(rows) > page.limit
        rows = rows[: page.limit]
        return (rows if forwards is not False else rows[::-1]), has_more
