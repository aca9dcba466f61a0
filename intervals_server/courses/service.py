from __future__ import annotations

from intervals_server.context import RequestContext
from intervals_server.courses.repository import CourseRepository
from intervals_server.kit import ids
from intervals_server.kit.errors import invalid
from intervals_server.models import Course


async def create_course(
    ctx: RequestContext,
    *,
    name: str,
    distance_meters: float,
    distance_standard: str,
    distance_label: str | None = None,
) -> Course:
    course = Course(
        id=ids.new_id(ids.COURSE),
        name=name,
        distance_meters=distance_meters,
        distance_standard=distance_standard,
        distance_label=distance_label or distance_standard,
    )
    await CourseRepository.of(ctx).add(course)
    return course


async def require_course(ctx: RequestContext, course_id: str, *, field: str) -> Course:
    """The organization's course, or a 422 naming the field that referred to it."""
    course = await CourseRepository.of(ctx).get(course_id)
    if course is None:
        raise invalid(field, "No course with this ID")
    return course
