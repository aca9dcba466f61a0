"""A recurrence's schedule expanded into dated occurrences. Pure: no I/O, no clock.

The calendar work is dateutil's ``rrule``; the local → UTC step is ``zoneinfo`` through
``kit.timeutil.local_to_utc`` (a time in a spring-forward gap moves forward by the gap,
an ambiguous time takes its first occurrence).

Choices the contract leaves open:

- Weeks start on Sunday, as ``daysOfWeek`` counts from Sunday (0). It matters only with
  ``interval`` > 1: ``[0, 1]`` every two weeks is a Sunday and the Monday after it.
- ``interval`` counts weeks (or months) from the week (month) holding ``startsOn``; a
  schedule without ``startsOn`` counts from the week (month) holding ``EPOCH``, so an
  expansion never depends on the window it is asked for, nor on when it is asked.
- ``weekOfMonth`` with several ``daysOfWeek`` means the nth of each of those weekdays
  (first Tuesday and first Thursday), not the nth of their union.
- An occurrence keeps the schedule's ``startTime`` as its local time even on a day
  that lacks it (spring forward); only its UTC ``starts_at`` moves.
- Only local dates in ``FIRST_DAY`` .. ``LAST_DAY`` occur; ``startsOn`` and ``endsOn``
  must lie there. ``exceptDates`` outside the schedule's range are ignored.
- A schedule that can never occur is invalid (``schedule_errors``), for example the
  31st every twelve months counted from April, or a range ``exceptDates`` empties.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice

from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule, weekday

from intervals_server.kit.schemas import local_time
from intervals_server.kit.timeutil import local_to_utc
from intervals_server.recurrences.schemas import Schedule

EPOCH = date(1970, 1, 1)
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
MAX_OCCURRENCES = 1000
"""At most this many occurrences per expansion, so a wide window cannot be abused."""

_CYCLE_YEARS = 400  # the Gregorian calendar repeats itself every 400 years
_WEEKDAYS: tuple[weekday, ...] = (SU, MO, TU, WE, TH, FR, SA)  # indexed by daysOfWeek

Errors = dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence: its local ``date`` and ``start_time`` and its UTC instants."""

    date: date
    start_time: str
    starts_at: datetime
    ends_at: datetime


def schedule_errors(schedule: Schedule) -> Errors:
    """Every reason ``schedule`` cannot work, by field name (``daysOfWeek``, ...).

    Field types and ranges are msgspec's business; these are the rules that need more
    than one field, or the calendar.
    """
    errors = _shape_errors(schedule)
    if not errors:
        errors = _emptiness_errors(schedule)
    return errors


def occurrences(
    schedule: Schedule, timezone: str, start: date, end: date, *, limit: int = MAX_OCCURRENCES
) -> list[Occurrence]:
    """The first ``limit`` (at most ``MAX_OCCURRENCES``) occurrences dated ``start`` .. ``end``.

    ``timezone`` is an IANA name the caller has already checked.
    """
    problems = _shape_errors(schedule)
    if problems:
        raise ValueError(f"Invalid schedule: {problems}")
    excepted = set(schedule.except_dates or ())
    wall_time = local_time(schedule.start_time)
    duration = timedelta(minutes=schedule.duration_minutes)
    days = (day for day in _days_in_window(schedule, start, end) if day not in excepted)
    result = []
    for day in islice(days, max(0, min(limit, MAX_OCCURRENCES))):
        starts_at = local_to_utc(day, wall_time, timezone)
        result.append(Occurrence(day, wall_time, starts_at, starts_at + duration))
    return result


def _shape_errors(schedule: Schedule) -> Errors:
    errors: Errors = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    days = schedule.days_of_week
    if schedule.frequency == "weekly":
        if days is None:
            add("daysOfWeek", "Required for a weekly schedule")
        if schedule.day_of_month is not None:
            add("dayOfMonth", "Only for a monthly schedule")
        if schedule.week_of_month is not None:
            add("weekOfMonth", "Only for a monthly schedule")
    else:
        if (schedule.day_of_month is None) == (schedule.week_of_month is None):
            for field in ("dayOfMonth", "weekOfMonth"):
                add(field, "A monthly schedule needs exactly one of dayOfMonth and weekOfMonth")
        if schedule.week_of_month is not None and days is None:
            add("daysOfWeek", "Required with weekOfMonth")
        if schedule.day_of_month is not None and days is not None:
            add("daysOfWeek", "Not allowed with dayOfMonth")
    if days is not None and len(set(days)) != len(days):
        add("daysOfWeek", "Each day may appear only once")
    for field, value in (("startsOn", schedule.starts_on), ("endsOn", schedule.ends_on)):
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            add(field, f"Must be between {FIRST_DAY} and {LAST_DAY}")
    if (
        schedule.starts_on is not None
        and schedule.ends_on is not None
        and schedule.ends_on < schedule.starts_on
    ):
        add("endsOn", "Must be on or after startsOn")
    return errors


def _emptiness_errors(schedule: Schedule) -> Errors:
    """Schedules whose rules are each fine but that never produce an occurrence."""
    phase = schedule.starts_on or EPOCH
    cycle_end = phase.replace(year=phase.year + _CYCLE_YEARS, day=1)
    if next(_matching_days(schedule, phase, cycle_end), None) is None:
        months = f"Never occurs: counting every {schedule.interval} months from {phase:%B %Y}"
        if schedule.day_of_month is not None:
            return {"dayOfMonth": [f"{months}, no month has this day"]}
        return {"weekOfMonth": [f"{months}, no month has a fifth such weekday"]}
    excepted = set(schedule.except_dates or ())
    first_days = list(islice(_days_in_window(schedule, FIRST_DAY, LAST_DAY), len(excepted) + 1))
    if not first_days:
        field = "endsOn" if schedule.ends_on is not None else "startsOn"
        return {field: ["No occurrence falls between startsOn and endsOn"]}
    if excepted.issuperset(first_days):
        return {"exceptDates": ["Leaves the schedule without any occurrence"]}
    return {}


def _days_in_window(schedule: Schedule, start: date, end: date) -> Iterator[date]:
    """The schedule's dates in ``start`` .. ``end``, within its own range and the calendar's."""
    first = max(start, schedule.starts_on or FIRST_DAY, FIRST_DAY)
    last = min(end, schedule.ends_on or LAST_DAY, LAST_DAY)
    if first > last:
        return iter(())
    return _matching_days(schedule, first, last)


def _matching_days(schedule: Schedule, first: date, last: date) -> Iterator[date]:
    """Dates in ``first`` .. ``last`` on the schedule's rule, ignoring its range and exceptions."""
    days = [_WEEKDAYS[day] for day in sorted(schedule.days_of_week or ())]
    if schedule.week_of_month is not None:
        days = [day(schedule.week_of_month) for day in days]
    rule = rrule(
        WEEKLY if schedule.frequency == "weekly" else MONTHLY,
        dtstart=datetime.combine(_period_start(schedule, first), time()),
        until=datetime.combine(last, time()),
        interval=schedule.interval,
        wkst=SU,
        byweekday=days or None,
        bymonthday=schedule.day_of_month,
    )
    return (moment.date() for moment in rule if moment.date() >= first)


def _period_start(schedule: Schedule, day: date) -> date:
    """The first day of the last period on the schedule's interval that begins by ``day``.

    Starting the rule there, rather than at the schedule's phase, skips the periods
    before the window while keeping every ``interval``-th period in step with the phase.
    """
    phase, step = schedule.starts_on or EPOCH, schedule.interval
    if schedule.frequency == "weekly":
        origin = _sunday_of(phase)
        weeks = (_sunday_of(day) - origin).days // 7
        return origin + timedelta(weeks=weeks // step * step)
    origin_month = _month_number(phase)
    month = origin_month + (_month_number(day) - origin_month) // step * step
    return date(month // 12, month % 12 + 1, 1)


def _sunday_of(day: date) -> date:
    return day - timedelta(days=day.isoweekday() % 7)


def _month_number(day: date) -> int:
    return day.year * 12 + day.month - 1
