"""A key's windows: its plan's rate and burst, or an operator's override of both."""

from __future__ import annotations

from intervals_server.auth.plans import windows_for
from intervals_server.kit.rate_limit import Window


def test_a_plan_key_has_the_plans_rate_and_burst() -> None:
    assert windows_for("enterprise", None) == (Window(1000, 60), Window(50, 1))


def test_an_override_above_the_plan_scales_the_burst_with_the_rate() -> None:
    assert windows_for("enterprise", Window(60_000, 60)) == (Window(60_000, 60), Window(3000, 1))


def test_an_override_below_the_plan_keeps_the_plans_burst() -> None:
    assert windows_for("local", Window(5, 3600)) == (Window(5, 3600), Window(20, 1))
