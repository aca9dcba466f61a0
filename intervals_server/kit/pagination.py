"""A list's page query: ``limit`` and an ``_id`` cursor, as the reference describes them.

The keyset listing that runs it on the database is ``intervals_server.db.listing``.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

DEFAULT_LIMIT = 50
MAX_LIMIT = 100

Limit = Annotated[
    int,
    msgspec.Meta(ge=1, le=MAX_LIMIT, description="Maximum number of items to return (1-100)"),
]
Cursor = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class PageQuery(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    limit: Limit = DEFAULT_LIMIT
    after: Annotated[Cursor, msgspec.Meta(description="Return items after this `_id`")] | None = (
        None
    )
    before: Annotated[Cursor, msgspec.Meta(description="Return items before this `_id`")] | None = (
        None
    )
