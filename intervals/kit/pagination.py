"""Keyset pagination with ``_id`` cursors, as the reference describes it.

A cursor is an object's ``_id``. It is resolved to the object's position in the list's
order, and the page continues strictly after (or before) that position, so any page
costs what the first costs and a walk never repeats or skips a row that already existed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import msgspec
from sqlalchemy import ColumnElement, Select, select, tuple_
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from intervals.kit.errors import ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 100

Limit = Annotated[
    int,
    msgspec.Meta(ge=1, le=MAX_LIMIT, description="Maximum number of items to return (1-100)"),
]
OrderKey = ColumnElement[Any] | QueryableAttribute[Any]
Cursor = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class PageQuery(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    limit: Limit = DEFAULT_LIMIT
    after: Annotated[Cursor, msgspec.Meta(description="Return items after this `_id`")] | None = (
        None
    )
    before: Annotated[Cursor, msgspec.Meta(description="Return items before this `_id`")] | None = (
        None
    )


def _invalid_cursor(parameter: str) -> ValidationFailed:
    return ValidationFailed(
        "Invalid query parameters", errors={parameter: ["Invalid cursor for this list"]}
    )


async def paginate(
    session: AsyncSession,
    statement: Select[Any],
    *,
    page: PageQuery,
    scope: Sequence[ColumnElement[bool]],
    filters: Sequence[ColumnElement[bool]] = (),
    order: Sequence[OrderKey],
) -> tuple[Sequence[Row[Any]], bool]:
    """One page of ``statement`` and whether more rows lie beyond it.

    ``scope`` says which list this is (the organization, a parent event): a cursor must
    belong to it. ``filters`` narrow the list and may exclude the cursor row itself.
    ``order`` is the unique sort key, ending with the ``_id`` column.
    """
    if page.after is not None and page.before is not None:
        message = "Use either after or before, not both"
        raise ValidationFailed(
            "Invalid query parameters", errors={"after": [message], "before": [message]}
        )
    statement = statement.where(*scope, *filters)
    forwards = page.before is None
    cursor_id = page.after if forwards else page.before
    if cursor_id is not None:
        # The cursor's position as a row subquery of the page's own query: one round trip,
        # and the same index walk as the first page.
        position = select(*order).where(order[-1] == cursor_id, *scope).scalar_subquery()
        key = tuple_(*order)
        statement = statement.where(key > position if forwards else key < position)
    ordering = order if forwards else [column.desc() for column in order]
    rows = (await session.execute(statement.order_by(*ordering).limit(page.limit + 1))).all()
    if cursor_id is not None and not rows:
        # An empty page: the end of the list, or a cursor that is not in it.
        found = await session.scalar(select(order[-1]).where(order[-1] == cursor_id, *scope))
        if found is None:
            raise _invalid_cursor("after" if forwards else "before")
    has_more = len(rows) > page.limit
    rows = rows[: page.limit]
    return (rows if forwards else rows[::-1]), has_more
