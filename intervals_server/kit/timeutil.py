"""Local dates and times in IANA zones, turned into UTC instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

# Files of the zone database that are no zone of their own: the host's setting (its meaning
# differs from one server to the next), the "-00" placeholder, and the POSIX rules default.
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=1)
def timezones() -> frozenset[str]:
    """Every IANA zone name this server accepts, read once per process."""
    return frozenset(available_timezones() - _NOT_ZONES)


def is_timezone(name: str) -> bool:
    """Whether ``name`` is a zone of the IANA database (``Europe/London``, ``UTC``); a
    folder of it (``America``), a file of another kind or a path is not."""
    return name in timezones()


def local_to_utc(day: date, hhmm: str, timezone: str) -> datetime:
    """The UTC instant of a wall-clock time.

    With ``fold=0`` zoneinfo reads an ambiguous time as its first occurrence, and a time
    in a spring-forward gap with the offset before the gap: that is, moved forward by it.
    """
    hour, minute = int(hhmm[:2]), int(hhmm[3:5])
    local = datetime.combine(day, time(hour, minute), tzinfo=zone(timezone))
    return local.astimezone(UTC)
