"""The sliding windows themselves, on a clock the test moves."""

from __future__ import annotations

import pytest

from intervals_server.auth.plans import windows_for
from intervals_server.kit.rate_limit import (
    _SWEEP_ABOVE,
    MemoryLimiter,
    Window,
    format_rate,
    parse_rate,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


async def test_a_burst_beyond_the_plans_per_second_window_is_refused(clock: Clock) -> None:
    limiter = MemoryLimiter(clock)
    windows = windows_for("local", None)
    allowed = [(await limiter.hit("k", windows)).allowed for _ in range(21)]

    assert allowed == [True] * 20 + [False]


async def test_the_burst_is_free_again_a_second_later(clock: Clock) -> None:
    limiter = MemoryLimiter(clock)
    windows = windows_for("local", None)
    for _ in range(20):
        await limiter.hit("k", windows)
    refused = await limiter.hit("k", windows)
    clock.now += refused.retry_after_seconds or 0

    assert refused.retry_after_seconds == 1
    assert (await limiter.hit("k", windows)).allowed


async def test_headers_describe_the_rate_until_the_burst_runs_out(clock: Clock) -> None:
    limiter = MemoryLimiter(clock)
    windows = windows_for("local", None)
    decisions = [await limiter.hit("k", windows) for _ in range(21)]

    assert (decisions[0].limit, decisions[0].remaining) == (100, 99)
    assert (decisions[19].limit, decisions[19].remaining, decisions[19].reset_seconds) == (
        20,
        0,
        1,
    )
    assert decisions[20].allowed is False


async def test_a_slot_frees_when_the_oldest_request_leaves_the_window(clock: Clock) -> None:
    limiter = MemoryLimiter(clock)
    windows = [Window(2, 60)]
    await limiter.hit("k", windows)
    clock.now += 30
    await limiter.hit("k", windows)
    clock.now += 15
    refused = await limiter.hit("k", windows)
    clock.now += 15
    allowed = await limiter.hit("k", windows)

    assert refused.allowed is False
    assert refused.retry_after_seconds == 15
    assert refused.retry_at_ms == int((clock.now) * 1000)
    assert allowed.allowed is True


async def test_a_refused_request_is_not_counted(clock: Clock) -> None:
    limiter = MemoryLimiter(clock)
    windows = [Window(1, 10)]
    await limiter.hit("k", windows)
    for _ in range(5):
        await limiter.hit("k", windows)
    clock.now += 10

    assert (await limiter.hit("k", windows)).remaining == 0
    clock.now += 10
    assert (await limiter.hit("k", windows)).allowed


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("100/min", Window(100, 60)),
        ("5000/hour", Window(5000, 3600)),
        ("100/day", Window(100, 86400)),
        ("10/15s", Window(10, 15)),
        ("3/ 2 minutes", Window(3, 120)),
        ("20/s", Window(20, 1)),
    ],
)
def test_a_rate_is_read_as_a_window(text: str, window: Window) -> None:
    assert parse_rate(text) == window


@pytest.mark.parametrize("text", ["", "100", "100/fortnight", "0/min", "10/0s", "-1/min", "x/min"])
def test_a_malformed_rate_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_rate(text)


@pytest.mark.parametrize("text", ["100/min", "5/hour", "7/day", "10/15s"])
def test_a_rate_is_written_as_it_is_read(text: str) -> None:
    assert format_rate(parse_rate(text)) == text


async def test_a_crowded_limiter_sweeps_at_most_once_a_second(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Many recent callers (client addresses, under attack): a sweep on every request would
    # walk every log each time and find nothing to drop.
    limiter = MemoryLimiter(clock)
    sweeps: list[int] = []
    sweep = limiter._sweep

    def counted(now: int) -> None:
        sweeps.append(now)
        sweep(now)

    monkeypatch.setattr(limiter, "_sweep", counted)
    for caller in range(_SWEEP_ABOVE + 100):
        await limiter.hit(f"caller-{caller}", [Window(5, 60)])
        clock.now += 0.001

    assert len(sweeps) == 1
