"""Keys with a rate limit override, and apps and servers that enforce limits."""

from __future__ import annotations

import os
import secrets

from intervals.auth.scopes import ALL_SCOPES
from intervals.auth.service import issue_key
from intervals.db import Database
from intervals.kit.rate_limit import parse_rate
from tests.conftest import Tenant

REDIS_URL = os.environ.get("INTERVALS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Redis is shared: this session's keys live under a prefix of their own (and expire).
REDIS_PREFIX = f"intervals-test-{secrets.token_hex(6)}"


async def key_with_rate_limit(database: Database, tenant: Tenant, rate: str) -> dict[str, str]:
    """A key of ``tenant`` with every scope, limited to ``rate`` (e.g. ``"3/min"``)."""
    async with database.write() as session:
        issued = await issue_key(
            session,
            tenant.organization_id,
            name="limited",
            scopes=ALL_SCOPES,
            rate_limit=parse_rate(rate),
        )
    return {"Authorization": f"Bearer {issued.secret}"}
