"""Schedules across daylight-saving transitions, in zones with whole, half and no shifts.

Every expected instant is written out by hand from the zone's rules for 2030.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from intervals_server.recurrences.schedule import Occurrence, occurrences
from intervals_server.recurrences.schemas import Schedule


@dataclass(frozen=True)
class Zone:
    name: str
    spring_day: date  # the Sunday clocks go forward (for Kolkata, New York's)
    fall_day: date  # the Sunday clocks go back
    spring_evenings: tuple[datetime, datetime]  # 18:30 the Sundays before and after spring_day
    fall_evenings: tuple[datetime, datetime]  # 18:30 the Sundays before and after fall_day
    gap_time: str
    gap_utc: datetime
    gap_wall: str  # what a clock in the zone shows at gap_utc
    ambiguous_time: str
    ambiguous_utc: datetime
    long_run_end_wall: tuple[str, str]
    """Local end of a 00:30 start lasting 180 minutes on spring_day, then on fall_day."""


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


ZONES = [
    Zone(
        "Europe/London",
        date(2030, 3, 31),
        date(2030, 10, 27),
        (utc(2030, 3, 24, 18, 30), utc(2030, 4, 7, 17, 30)),
        (utc(2030, 10, 20, 17, 30), utc(2030, 11, 3, 18, 30)),
        "01:30",
        utc(2030, 3, 31, 1, 30),
        "02:30",
        "01:30",
        utc(2030, 10, 27, 0, 30),
        ("04:30", "02:30"),
    ),
    Zone(
        "America/New_York",
        date(2030, 3, 10),
        date(2030, 11, 3),
        (utc(2030, 3, 3, 23, 30), utc(2030, 3, 17, 22, 30)),
        (utc(2030, 10, 27, 22, 30), utc(2030, 11, 10, 23, 30)),
        "02:30",
        utc(2030, 3, 10, 7, 30),
        "03:30",
        "01:30",
        utc(2030, 11, 3, 5, 30),
        ("04:30", "02:30"),
    ),
    Zone(
        "Australia/Sydney",
        date(2030, 10, 6),
        date(2030, 4, 7),
        (utc(2030, 9, 29, 8, 30), utc(2030, 10, 13, 7, 30)),
        (utc(2030, 3, 31, 7, 30), utc(2030, 4, 14, 8, 30)),
        "02:30",
        utc(2030, 10, 5, 16, 30),
        "03:30",
        "02:30",
        utc(2030, 4, 6, 15, 30),
        ("04:30", "02:30"),
    ),
    Zone(
        "Asia/Kolkata",
        date(2030, 3, 10),
        date(2030, 11, 3),
        (utc(2030, 3, 3, 13, 0), utc(2030, 3, 17, 13, 0)),
        (utc(2030, 10, 27, 13, 0), utc(2030, 11, 10, 13, 0)),
        "02:30",
        utc(2030, 3, 9, 21, 0),
        "02:30",
        "01:30",
        utc(2030, 11, 2, 20, 0),
        ("03:30", "03:30"),
    ),
    Zone(
        "America/St_Johns",
        date(2030, 3, 10),
        date(2030, 11, 3),
        (utc(2030, 3, 3, 22, 0), utc(2030, 3, 17, 21, 0)),
        (utc(2030, 10, 27, 21, 0), utc(2030, 11, 10, 22, 0)),
        "02:30",
        utc(2030, 3, 10, 6, 0),
        "03:30",
        "01:30",
        utc(2030, 11, 3, 4, 0),
        ("04:30", "02:30"),
    ),
]
WEEK = timedelta(weeks=1)
by_zone = pytest.mark.parametrize("zone", ZONES, ids=[zone.name for zone in ZONES])


def sundays(start_time: str, **overrides: Any) -> Schedule:
    return Schedule(
        frequency="weekly",
        days_of_week=[0],
        start_time=start_time,
        duration_minutes=60,
        **overrides,
    )


def on_day(schedule: Schedule, zone: Zone, day: date) -> Occurrence:
    (occurrence,) = occurrences(schedule, zone.name, day, day)
    return occurrence


def wall_clock(instant: datetime, zone: Zone) -> str:
    return instant.astimezone(ZoneInfo(zone.name)).strftime("%H:%M")


@by_zone
def test_a_weekly_evening_keeps_its_local_time_across_both_transitions(zone: Zone) -> None:
    around = [
        occurrence
        for day in (zone.spring_day, zone.fall_day)
        for occurrence in occurrences(sundays("18:30"), zone.name, day - WEEK, day + WEEK)
        if occurrence.date != day
    ]

    assert tuple(occurrence.starts_at for occurrence in around) == (
        zone.spring_evenings + zone.fall_evenings
    )
    assert {occurrence.start_time for occurrence in around} == {"18:30"}
    assert {wall_clock(occurrence.starts_at, zone) for occurrence in around} == {"18:30"}


@by_zone
def test_a_time_in_the_spring_forward_gap_moves_forward_by_the_gap(zone: Zone) -> None:
    occurrence = on_day(sundays(zone.gap_time), zone, zone.spring_day)

    assert occurrence.starts_at == zone.gap_utc
    assert wall_clock(occurrence.starts_at, zone) == zone.gap_wall
    assert (occurrence.date, occurrence.start_time) == (zone.spring_day, zone.gap_time)


@by_zone
def test_an_ambiguous_time_on_the_fall_back_day_takes_its_first_occurrence(zone: Zone) -> None:
    occurrence = on_day(sundays(zone.ambiguous_time), zone, zone.fall_day)

    assert occurrence.starts_at == zone.ambiguous_utc


@by_zone
def test_ends_at_is_the_duration_in_elapsed_time_across_a_transition(zone: Zone) -> None:
    schedule = Schedule(
        frequency="weekly", days_of_week=[0], start_time="00:30", duration_minutes=180
    )

    spring = on_day(schedule, zone, zone.spring_day)
    fall = on_day(schedule, zone, zone.fall_day)

    assert (wall_clock(spring.ends_at, zone), wall_clock(fall.ends_at, zone)) == (
        zone.long_run_end_wall
    )
    assert spring.ends_at - spring.starts_at == fall.ends_at - fall.starts_at
    assert (spring.ends_at - spring.starts_at).total_seconds() == 180 * 60
