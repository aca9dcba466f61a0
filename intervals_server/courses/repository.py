from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.kit.repository import get_owned
from intervals_server.models import Course


async def get(session: AsyncSession, organization_id: str, course_id: str) -> Course | None:
    return await get_owned(session, Course, organization_id, course_id)
