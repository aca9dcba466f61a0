"""What each part of the schedule language means, one example at a time."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from typing import Any

import pytest

from intervals_server.recurrences.schedule import MAX_OCCURRENCES, occurrences, schedule_errors
from intervals_server.recurrences.schemas import Schedule


def weekly(**overrides: Any) -> Schedule:
    values: dict[str, Any] = {
        "frequency": "weekly",
        "days_of_week": [2],
        "start_time": "18:30",
        "duration_minutes": 60,
    }
    return Schedule(**{**values, **overrides})


def monthly(**overrides: Any) -> Schedule:
    return weekly(frequency="monthly", **{"days_of_week": None, **overrides})


def dates(schedule: Schedule, start: date, end: date) -> list[str]:
    return [occurrence.date.isoformat() for occurrence in occurrences(schedule, "UTC", start, end)]


def test_a_weekly_schedule_occurs_on_each_listed_day() -> None:
    schedule = weekly(days_of_week=[2, 4])

    assert dates(schedule, date(2030, 6, 1), date(2030, 6, 14)) == [
        "2030-06-04",
        "2030-06-06",
        "2030-06-11",
        "2030-06-13",
    ]


def test_an_occurrence_carries_its_local_time_and_utc_instants() -> None:
    schedule = weekly(start_time="18:30:45", duration_minutes=90)

    (occurrence,) = occurrences(schedule, "Europe/Paris", date(2030, 6, 4), date(2030, 6, 4))

    assert occurrence.start_time == "18:30"
    assert occurrence.starts_at == datetime(2030, 6, 4, 16, 30, tzinfo=UTC)
    assert occurrence.ends_at == datetime(2030, 6, 4, 18, 0, tzinfo=UTC)


def test_every_second_week_counts_from_the_week_of_starts_on() -> None:
    # 2030-06-05 is a Wednesday; its week began on Sunday 2030-06-02.
    schedule = weekly(days_of_week=[0, 3], interval=2, starts_on=date(2030, 6, 5))

    assert dates(schedule, date(2030, 6, 1), date(2030, 6, 30)) == [
        "2030-06-05",
        "2030-06-16",
        "2030-06-19",
        "2030-06-30",
    ]


def test_every_second_week_without_starts_on_counts_from_the_week_of_1970_01_01() -> None:
    # 1970-01-01's week began on Sunday 1969-12-28; Sunday 2030-06-09 is 3 154 weeks later.
    schedule = weekly(days_of_week=[0], interval=2)

    assert dates(schedule, date(2030, 6, 1), date(2030, 6, 30)) == ["2030-06-09", "2030-06-23"]


def test_every_third_month_counts_from_the_month_of_starts_on() -> None:
    schedule = monthly(day_of_month=10, interval=3, starts_on=date(2030, 2, 15))

    assert dates(schedule, date(2030, 1, 1), date(2030, 12, 31)) == [
        "2030-05-10",
        "2030-08-10",
        "2030-11-10",
    ]


def test_day_of_month_31_skips_months_without_one() -> None:
    schedule = monthly(day_of_month=31)

    assert dates(schedule, date(2030, 1, 1), date(2030, 6, 30)) == [
        "2030-01-31",
        "2030-03-31",
        "2030-05-31",
    ]


def test_week_of_month_5_occurs_only_in_months_with_a_fifth_such_day() -> None:
    schedule = monthly(week_of_month=5, days_of_week=[2])

    assert dates(schedule, date(2030, 1, 1), date(2030, 12, 31)) == [
        "2030-01-29",
        "2030-04-30",
        "2030-07-30",
        "2030-10-29",
        "2030-12-31",
    ]


def test_week_of_month_minus_1_is_the_last_such_day() -> None:
    schedule = monthly(week_of_month=-1, days_of_week=[5])

    assert dates(schedule, date(2030, 1, 1), date(2030, 3, 31)) == [
        "2030-01-25",
        "2030-02-22",
        "2030-03-29",
    ]


def test_week_of_month_with_two_days_is_the_nth_of_each() -> None:
    schedule = monthly(week_of_month=1, days_of_week=[4, 2])

    assert dates(schedule, date(2030, 5, 1), date(2030, 5, 31)) == ["2030-05-02", "2030-05-07"]


def test_starts_on_and_ends_on_bound_the_window() -> None:
    schedule = weekly(starts_on=date(2030, 6, 5), ends_on=date(2030, 6, 25))

    assert dates(schedule, date(2030, 1, 1), date(2030, 12, 31)) == [
        "2030-06-11",
        "2030-06-18",
        "2030-06-25",
    ]


def test_except_dates_are_skipped() -> None:
    schedule = weekly(except_dates=[date(2030, 6, 11), date(2031, 1, 1)])

    assert dates(schedule, date(2030, 6, 1), date(2030, 6, 20)) == ["2030-06-04", "2030-06-18"]


def test_an_empty_or_backwards_window_has_no_occurrences() -> None:
    assert dates(weekly(), date(2030, 6, 12), date(2030, 6, 10)) == []


def test_a_wide_window_is_capped() -> None:
    schedule = weekly(days_of_week=[0, 1, 2, 3, 4, 5, 6])

    found = occurrences(schedule, "UTC", date(2030, 1, 1), date(2039, 12, 31))

    assert len(found) == MAX_OCCURRENCES
    assert found[0].date == date(2030, 1, 1)


def test_a_limit_returns_only_the_earliest_occurrences() -> None:
    found = occurrences(weekly(), "UTC", date(2030, 6, 1), date(2030, 12, 31), limit=2)

    assert [occurrence.date for occurrence in found] == [date(2030, 6, 4), date(2030, 6, 11)]


def test_no_occurrence_falls_outside_the_supported_calendar() -> None:
    schedule = monthly(day_of_month=1)

    found = occurrences(schedule, "Pacific/Kiritimati", date.min, date.max)

    assert (found[0].date, found[-1].date) == (date(1900, 1, 1), date(1983, 4, 1))
    assert dates(schedule, date(3000, 1, 1), date.max) == []


def test_expanding_a_schedule_that_breaks_the_rules_is_refused() -> None:
    with pytest.raises(ValueError, match="daysOfWeek"):
        occurrences(weekly(days_of_week=None), "UTC", date(2030, 1, 1), date(2030, 2, 1))


def test_except_dates_outside_the_schedule_range_are_ignored() -> None:
    schedule = weekly(
        starts_on=date(2030, 6, 1),
        ends_on=date(2030, 6, 30),
        except_dates=[date(2029, 1, 1), date(2031, 1, 1)],
    )

    assert schedule_errors(schedule) == {}


def test_the_expansion_loads_no_database_or_web_code() -> None:
    probe = (
        "import sys, intervals_server.recurrences.schedule; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'litestar', "
        "'aiosqlite', 'asyncpg', 'httpx', 'redis'}))"
    )

    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout

    assert loaded.strip() == "[]"
