from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from intervals_server.kit.pagination import PageQuery
from intervals_server.kit.schemas import Struct

GroupStatus = Literal["active", "paused", "archived"]


class Group(Struct, kw_only=True):
    id: str = msgspec.field(name="_id")
    organization_id: str
    name: str
    slug: str
    status: GroupStatus
    description: str | None = None
    card_image_id: str | None = None
    cover_image_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class GroupListQuery(PageQuery, kw_only=True):
    status: GroupStatus | None = None
