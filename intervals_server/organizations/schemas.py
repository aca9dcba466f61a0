from __future__ import annotations

from typing import Literal

import msgspec

from intervals_server.kit.schemas import Struct

Plan = Literal["free", "local", "elite", "enterprise"]
Role = Literal["organizer", "sponsor", "federation"]


class Organization(Struct, kw_only=True):
    id: str = msgspec.field(name="_id")
    name: str
    slug: str
    roles: list[Role]
    plan: Plan
    timezone: str
