"""Each plan's rate limit, and a key's override of it.

A plan's limit is two sliding windows: its rate (per minute, or per day on ``free``)
and its burst, read as "at most this many in any one second".
An operator's per-key override replaces the rate, and the burst scales with it: a key
allowed ten times the plan's rate may burst ten times as high (never lower than the
plan's burst), so an override above the plan is not capped by the plan's burst.
"""

from __future__ import annotations

import math

from intervals_server.kit.rate_limit import Window

BURST_SECONDS = 1

PLAN_LIMITS: dict[str, tuple[Window, int]] = {
    "free": (Window(100, 86400), 20),
    "local": (Window(100, 60), 20),
    "elite": (Window(100, 60), 20),
    "enterprise": (Window(1000, 60), 50),
}
_UNKNOWN_PLAN = PLAN_LIMITS["free"]


def _per_second(window: Window) -> float:
    return window.limit / window.seconds


def windows_for(plan: str, override: Window | None) -> tuple[Window, ...]:
    rate, burst = PLAN_LIMITS.get(plan, _UNKNOWN_PLAN)
    if override is None:
        return (rate, Window(burst, BURST_SECONDS))
    scaled = math.ceil(burst * _per_second(override) / _per_second(rate))
    return (override, Window(max(burst, scaled), BURST_SECONDS))
