from __future__ import annotations

from intervals_server.db import Repository
from intervals_server.models import Course


class CourseRepository(Repository):
    async def get(self, course_id: str) -> Course | None:
        return await self._get_owned(Course, course_id)

    async def add(self, course: Course) -> None:
        course.organization_id = self.organization_id
        self.store.session.add(course)
        await self.store.session.flush()
