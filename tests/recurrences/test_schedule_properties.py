"""The expansion against an oracle that shares no code with it.

The oracle walks the window one day at a time and decides each day by arithmetic on
weekdays, day numbers and week/month counts from the schedule's phase; the UTC instants
come from zoneinfo directly. No rrule, no ``local_to_utc``.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings, target
from hypothesis import strategies as st

from intervals_server.recurrences.schedule import (
    EPOCH,
    FIRST_DAY,
    LAST_DAY,
    occurrences,
    schedule_errors,
)
from intervals_server.recurrences.schemas import Schedule

TIMEZONES = (
    "UTC",
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/St_Johns",
    "Pacific/Chatham",
    "Australia/Lord_Howe",
    "America/Santiago",
)
PROPERTY_SETTINGS = settings(
    max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def sunday_based_weekday(day: date) -> int:
    return (day.weekday() + 1) % 7


def on_rule(schedule: Schedule, day: date) -> bool:
    phase = schedule.starts_on or EPOCH
    days = set(schedule.days_of_week or ())
    weekday = sunday_based_weekday(day)
    if schedule.frequency == "weekly":
        week_of_day = day.toordinal() - weekday
        week_of_phase = phase.toordinal() - sunday_based_weekday(phase)
        weeks = (week_of_day - week_of_phase) // 7
        return weekday in days and weeks % schedule.interval == 0
    months = (day.year - phase.year) * 12 + day.month - phase.month
    if months % schedule.interval:
        return False
    if schedule.day_of_month is not None:
        return day.day == schedule.day_of_month
    if weekday not in days:
        return False
    if schedule.week_of_month == -1:
        return day.day + 7 > calendar.monthrange(day.year, day.month)[1]
    return (day.day - 1) // 7 + 1 == schedule.week_of_month


def expected_dates(schedule: Schedule, start: date, end: date) -> list[date]:
    excepted = set(schedule.except_dates or ())
    dates = []
    day = start
    while day <= end:
        in_range = (schedule.starts_on is None or day >= schedule.starts_on) and (
            schedule.ends_on is None or day <= schedule.ends_on
        )
        if in_range and day not in excepted and on_rule(schedule, day):
            dates.append(day)
        day += timedelta(days=1)
    return dates


@st.composite
def windows(draw: st.DrawFn) -> tuple[date, date]:
    start = draw(st.dates(date(1995, 1, 1), date(2060, 12, 31)))
    return start, start + timedelta(days=draw(st.integers(0, 500)))


def dates_near(start: date, end: date) -> st.SearchStrategy[date]:
    return st.dates(start - timedelta(days=400), end + timedelta(days=400))


@st.composite
def schedules(draw: st.DrawFn, start: date, end: date) -> Schedule:
    """A schedule that passes the shape rules, its dates around the window."""
    frequency = draw(st.sampled_from(["weekly", "monthly"]))
    values: dict[str, Any] = {
        "frequency": frequency,
        "start_time": draw(st.times()).strftime(draw(st.sampled_from(["%H:%M", "%H:%M:%S"]))),
        "duration_minutes": draw(st.integers(1, 1440)),
        "interval": draw(st.one_of(st.integers(1, 4), st.integers(1, 52))),
        "days_of_week": draw(st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True)),
    }
    if frequency == "monthly":
        if draw(st.booleans()):
            values["day_of_month"] = draw(st.integers(1, 31))
            values["days_of_week"] = None
        else:
            values["week_of_month"] = draw(st.sampled_from([1, 2, 3, 4, 5, -1]))
    bounds = sorted(draw(st.lists(dates_near(start, end), min_size=2, max_size=2)))
    if draw(st.booleans()):
        values["starts_on"] = bounds[0]
    if draw(st.booleans()):
        values["ends_on"] = bounds[1]
    if draw(st.booleans()):
        values["except_dates"] = draw(st.lists(st.dates(start, end), max_size=30))
    return Schedule(**values)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Schedule, date, date]:
    start, end = draw(windows())
    return draw(schedules(start, end)), start, end


@PROPERTY_SETTINGS
@given(case=cases())
def test_occurrence_dates_are_the_days_the_schedule_describes(
    case: tuple[Schedule, date, date],
) -> None:
    schedule, start, end = case

    found = occurrences(schedule, "UTC", start, end)

    # Steer towards windows that hold dates (half the drawn cases hold none); capped, as
    # chasing the longest windows only makes the oracle slow.
    target(min(len(found), 10), label="occurrences, up to 10")
    assert [occurrence.date for occurrence in found] == expected_dates(schedule, start, end)


@PROPERTY_SETTINGS
@given(case=cases(), timezone=st.sampled_from(TIMEZONES))
def test_occurrences_start_at_the_first_reading_of_their_local_wall_time(
    case: tuple[Schedule, date, date], timezone: str
) -> None:
    schedule, start, end = case
    hour, minute = int(schedule.start_time[:2]), int(schedule.start_time[3:5])
    found = occurrences(schedule, timezone, start, end)
    assume(found)  # an empty window checks nothing here; its dates are tested above

    for occurrence in found:
        wall = datetime.combine(occurrence.date, time(hour, minute, fold=0), ZoneInfo(timezone))
        assert occurrence.start_time == f"{hour:02d}:{minute:02d}"
        assert occurrence.starts_at == wall.astimezone(UTC)
        assert occurrence.starts_at.utcoffset() == timedelta(0)
        assert occurrence.ends_at - occurrence.starts_at == timedelta(
            minutes=schedule.duration_minutes
        )


@settings(max_examples=1000, deadline=None)
@given(case=cases(), split=st.integers(0, 500))
def test_splitting_the_window_does_not_change_the_occurrences(
    case: tuple[Schedule, date, date], split: int
) -> None:
    schedule, start, end = case
    middle = min(start + timedelta(days=split), end)

    whole = occurrences(schedule, "Europe/London", start, end)
    assume(whole)  # nothing to split in an empty window
    parts = occurrences(schedule, "Europe/London", start, middle) + occurrences(
        schedule, "Europe/London", middle + timedelta(days=1), end
    )

    assert parts == whole


@settings(max_examples=1000, deadline=None)
@given(
    case=cases(),
    interval=st.sampled_from([1, 2, 3, 12, 24, 36, 48]),
)
def test_a_schedule_is_refused_exactly_when_it_never_occurs(
    case: tuple[Schedule, date, date], interval: int
) -> None:
    schedule = Schedule(**{**_fields(case[0]), "interval": interval})

    never = occurrences(schedule, "UTC", FIRST_DAY, LAST_DAY, limit=1) == []

    assert bool(schedule_errors(schedule)) == never


def _fields(schedule: Schedule) -> dict[str, Any]:
    return {name: getattr(schedule, name) for name in schedule.__struct_fields__}
