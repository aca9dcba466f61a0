"""Local dates and times in IANA zones, turned into UTC instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def is_timezone(name: str) -> bool:
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_to_utc(day: date, hhmm: str, timezone: str) -> datetime:
    """The UTC instant of a wall-clock time.

    With ``fold=0`` zoneinfo reads an ambiguous time as its first occurrence, and a time
    in a spring-forward gap with the offset before the gap: that is, moved forward by it.
    """
    hour, minute = int(hhmm[:2]), int(hhmm[3:5])
    local = datetime.combine(day, time(hour, minute), tzinfo=zone(timezone))
    return local.astimezone(UTC)
