"""A realistic demo organization: a running club with groups, courses, a race and a weekly run.

Seeding twice does not duplicate the club: the second time only issues a new key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from intervals_server.auth.scopes import ALL_SCOPES
from intervals_server.auth.service import issue_key
from intervals_server.context import RequestContext
from intervals_server.courses.service import create_course
from intervals_server.db import Store
from intervals_server.events.schemas import EventCreate
from intervals_server.events.service import create_event
from intervals_server.groups.service import create_group
from intervals_server.http.validation import convert
from intervals_server.organizations import repository as organizations
from intervals_server.organizations.service import create_organization
from intervals_server.registrations.schemas import RegistrationCreate
from intervals_server.registrations.service import register
from intervals_server.runs.repository import RunRepository

DEMO_SLUG = "north-shore-running-club"
RUNNERS = [
    ("alex.johnson@example.com", "Alex Johnson", "A"),
    ("maria.garcia@example.com", "Maria Garcia", "B"),
    ("sam.lee@example.com", "Sam Lee", "A"),
    ("priya.patel@example.com", "Priya Patel", "C"),
    ("tom.baker@example.com", "Tom Baker", "B"),
]


@dataclass(frozen=True)
class DemoCredentials:
    organization_id: str
    slug: str
    api_key: str


def _next_weekday(start: date, weekday: int) -> date:
    """The first date on or after ``start`` falling on ``weekday`` (Monday = 0)."""
    return start + timedelta(days=(weekday - start.weekday()) % 7)


async def _seed_club(store: Store, today: date) -> str:
    club = await create_organization(
        store.session,
        name="North Shore Running Club",
        slug=DEMO_SLUG,
        plan="enterprise",
        timezone="America/Chicago",
        roles=["organizer"],
    )
    org = club.id
    ctx = RequestContext(org, store)
    track = await create_group(
        ctx,
        name="Friday Night Lights",
        slug="friday-night-lights",
        description="Our weekly Friday evening track workouts.",
    )
    await create_group(ctx, name="Race Series", slug="race-series")
    lakefront = await create_course(
        ctx, name="Lakefront loop", distance_meters=5000, distance_standard="5K"
    )
    await create_course(ctx, name="River path", distance_meters=10000, distance_standard="10K")
    race_day = _next_weekday(today + timedelta(days=30), 5)
    race = await create_event(
        ctx,
        convert(
            EventCreate,
            {
                "name": "Lakefront 5K & 10K",
                "slug": "lakefront-5k-10k",
                "type": "race",
                "date": race_day.isoformat(),
                "startTime": "08:00",
                "description": "Our autumn race along the scenic shore path.",
                "websiteUrl": "https://example.com/lakefront",
                "address": {
                    "line1": "1 Lakefront Dr",
                    "city": "Chicago",
                    "region": "IL",
                    "postalCode": "60601",
                    "country": "US",
                },
                "lat": 41.8864,
                "lng": -87.6155,
                "runs": [
                    {"courseId": lakefront.id, "maxParticipants": 200},
                    {
                        "distanceMeters": 10000,
                        "distanceStandard": "10K",
                        "startTime": "08:30",
                        "maxParticipants": 150,
                    },
                ],
            },
        ),
    )
    await create_event(
        ctx,
        convert(
            EventCreate,
            {
                "name": "Tuesday tempo",
                "slug": "tuesday-tempo",
                "type": "runClub",
                "date": _next_weekday(today, 1).isoformat(),
                "startTime": "18:30",
                "groupId": track.id,
                "description": "Tempo run from the boathouse, all paces welcome.",
                "recurrence": {
                    "label": "Tuesday tempo",
                    "schedule": {
                        "frequency": "weekly",
                        "daysOfWeek": [2],
                        "startTime": "18:30",
                        "durationMinutes": 60,
                    },
                    "defaultCourseId": lakefront.id,
                    "autoPublishHorizonWeeks": 8,
                },
            },
        ),
    )
    five_k = (await RunRepository.of(ctx).models_of_event(race.data.eventId))[0]
    for email, name, pace in RUNNERS:
        await register(
            ctx,
            convert(
                RegistrationCreate,
                {
                    "eventRunId": five_k.id,
                    "email": email,
                    "name": name,
                    "registrationType": "free",
                    "paceGroup": pace,
                },
            ),
        )
    return org


async def seed_demo(store: Store, today: date | None = None) -> DemoCredentials:
    """Seed the demo club (once) and issue a key holding every scope."""
    existing = await organizations.get_by_slug(store.session, DEMO_SLUG)
    org = existing.id if existing else await _seed_club(store, today or date.today())
    issued = await issue_key(store.session, org, name="Demo key", scopes=ALL_SCOPES)
    return DemoCredentials(organization_id=org, slug=DEMO_SLUG, api_key=issued.secret)
