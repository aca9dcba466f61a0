from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from intervals_server.courses import repository
from intervals_server.kit import ids
from intervals_server.kit.errors import invalid
from intervals_server.models import Course


async def create_course(
    session: AsyncSession,
    organization_id: str,
    *,
    name: str,
    distance_meters: float,
    distance_standard: str,
    distance_label: str | None = None,
) -> Course:
    course = Course(
        id=ids.new_id(ids.COURSE),
        organization_id=organization_id,
        name=name,
        distance_meters=distance_meters,
        distance_standard=distance_standard,
        distance_label=distance_label or distance_standard,
    )
    session.add(course)
    await session.flush()
    return course


async def require_course(
    session: AsyncSession, organization_id: str, course_id: str, *, field: str
) -> Course:
    """The organization's course, or a 422 naming the field that referred to it."""
    course = await repository.get(session, organization_id, course_id)
    if course is None:
        raise invalid(field, "No course with this ID")
    return course
