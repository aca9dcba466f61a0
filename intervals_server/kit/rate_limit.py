"""Per-key rate limits: sliding windows, in one process or shared through Redis.

A caller's limit is one or more windows ("100 requests per 60 s", "20 per 1 s"); a
request passes only if every window has room, and then counts in every window. Each
window is a sliding log of request times, so the limit is exact over any stretch of
``seconds`` — no boundary where twice the limit slips through, as with fixed windows.

- ``MemoryLimiter`` keeps the logs in the process: exact for one process.
- ``RedisLimiter`` keeps them in Redis sorted sets and decides in one Lua script, so the
  check and the count are one atomic step for every process and host, timed by Redis's
  own clock. If Redis cannot be reached it logs, falls back to the process's memory
  limiter (each of the host's ``workers`` then allows its share, limit ÷ workers) and
  tries Redis again a few seconds later: the API keeps serving.
  A pooled connection that died with a restarted Redis is retried once on a fresh socket
  (redis-py's ``Retry``), idle ones are health-checked before use, and a failure drops
  the pool's idle connections, so the first check after Redis returns goes to Redis.

The headers report the first window (the caller's rate), or the window that has run
out if another has: ``RateLimit-Limit`` its size, ``RateLimit-Remaining`` what is left,
``RateLimit-Reset`` the seconds until the request whose departure makes room leaves it
(one more request fits then). A refusal names the time the
request would pass: ``Retry-After`` (seconds) and ``retryAfter`` (epoch milliseconds).
"""

from __future__ import annotations

import logging
import math
import re
import secrets
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

logger = logging.getLogger("intervals.rate_limit")

REDIS_TIMEOUT_S = 0.5
REDIS_RETRY_AFTER_S = 5.0
# A connection idle this long is PINGed before use (and replaced if the PING fails).
REDIS_HEALTH_CHECK_INTERVAL_S = 5
_SWEEP_ABOVE = 10_000
# With that many callers at once (client addresses, under attack), sweep at most this often.
_SWEEP_EVERY_MS = 1000


@dataclass(frozen=True, slots=True)
class Window:
    limit: int
    seconds: int

    @property
    def ms(self) -> int:
        return self.seconds * 1000


_UNITS = {"s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60, "h": 3600, "hour": 3600}
_UNITS |= {"d": 86400, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?\s*$")


def parse_rate(text: str) -> Window:
    """``"100/min"``, ``"5000/hour"``, ``"10/15s"`` as a window; ``ValueError`` otherwise."""
    match = _RATE.match(text.lower())
    if not match or match.group(3) not in _UNITS:
        raise ValueError("expected N/unit, e.g. 100/min (units: s, min, hour, day)")
    limit, multiple = int(match.group(1)), int(match.group(2) or 1)
    if limit < 1 or multiple < 1:
        raise ValueError("the count and the period must be at least 1")
    return Window(limit, multiple * _UNITS[match.group(3)])


def format_rate(window: Window) -> str:
    for unit in ("day", "hour", "min"):
        if window.seconds == _UNITS[unit]:
            return f"{window.limit}/{unit}"
    return f"{window.limit}/{window.seconds}s"


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int
    # When the refused request would pass (epoch ms); None when allowed.
    retry_at_ms: int | None = None
    retry_after_seconds: int | None = None

    def headers(self) -> dict[str, str]:
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
        }
        if self.retry_after_seconds is not None:
            headers["Retry-After"] = str(self.retry_after_seconds)
        return headers


def decide(
    windows: Sequence[Window], now_ms: int, logs: Sequence[tuple[int, int | None]], allowed: bool
) -> Decision:
    """The decision, from each window's count and the time its next free slot opens."""
    states = []
    for window, (count, frees_at) in zip(windows, logs, strict=True):
        wait_ms = max(frees_at - now_ms, 0) if frees_at is not None else 0
        states.append((window, max(window.limit - count, 0), wait_ms))
    exhausted = [state for state in states if state[1] == 0]
    # The first window (the rate) speaks, unless another one has run out.
    window, remaining, wait_ms = max(exhausted, key=lambda s: s[2]) if exhausted else states[0]
    if allowed:
        return Decision(True, window.limit, remaining, math.ceil(wait_ms / 1000))
    seconds = max(math.ceil(wait_ms / 1000), 1)
    return Decision(False, window.limit, 0, seconds, now_ms + wait_ms, seconds)


def _frees_at(scores: Sequence[int], window: Window) -> int | None:
    """When one more request fits: the request whose departure makes room leaves then."""
    if not scores:
        return None
    return scores[max(len(scores) - window.limit, 0)] + window.ms


class Limiter(Protocol):
    async def hit(self, key: str, windows: Sequence[Window]) -> Decision: ...

    async def close(self) -> None: ...


class MemoryLimiter:
    """Exact within one process: no await between the check and the count."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._logs: dict[tuple[str, int], deque[int]] = {}
        self._next_sweep_at = 0

    async def hit(self, key: str, windows: Sequence[Window]) -> Decision:
        now = int(self._clock() * 1000)
        if len(self._logs) > _SWEEP_ABOVE and now >= self._next_sweep_at:
            self._sweep(now)
            self._next_sweep_at = now + _SWEEP_EVERY_MS
        logs = [self._logs.setdefault((key, window.seconds), deque()) for window in windows]
        for log, window in zip(logs, windows, strict=True):
            while log and log[0] <= now - window.ms:
                log.popleft()
        allowed = all(len(log) < window.limit for log, window in zip(logs, windows, strict=True))
        if allowed:
            for log in logs:
                log.append(now)
        return decide(
            windows,
            now,
            [(len(log), _frees_at(log, window)) for log, window in zip(logs, windows, strict=True)],
            allowed,
        )

    def _sweep(self, now: int) -> None:
        for name, log in list(self._logs.items()):
            if not log or log[-1] <= now - name[1] * 1000:
                del self._logs[name]

    async def close(self) -> None:
        self._logs.clear()


# KEYS: one sorted set per window. ARGV: a unique member, then limit and length (ms) of
# each window. Returns allowed, now (ms), then per window its count and when a slot frees.
_SLIDING_WINDOWS = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local allowed = 1
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - tonumber(ARGV[2 * i + 1]))
  if redis.call('ZCARD', key) >= tonumber(ARGV[2 * i]) then allowed = 0 end
end
local result = {allowed, now}
for i, key in ipairs(KEYS) do
  local limit, length = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  if allowed == 1 then
    redis.call('ZADD', key, now, ARGV[1])
    redis.call('PEXPIRE', key, length)
  end
  local count = redis.call('ZCARD', key)
  local frees = -1
  if count > 0 then
    local index = math.max(count - limit, 0)
    frees = tonumber(redis.call('ZRANGE', key, index, index, 'WITHSCORES')[2]) + length
  end
  table.insert(result, count)
  table.insert(result, frees)
end
return result
"""


class RedisLimiter:
    """Exact across processes and hosts sharing one Redis."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str,
        workers: int = 1,
        fallback: MemoryLimiter | None = None,
    ) -> None:
        self._redis = Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT_S,
            socket_connect_timeout=REDIS_TIMEOUT_S,
            # Once more on a fresh socket: a pooled connection may have died with the server.
            # Not after a timeout: a Redis that does not answer would only hold the request.
            retry=Retry(
                ExponentialBackoff(cap=0.05, base=0.01),
                retries=1,
                supported_errors=(RedisConnectionError,),
            ),
            retry_on_error=[RedisConnectionError],
            health_check_interval=REDIS_HEALTH_CHECK_INTERVAL_S,
        )
        self._script = self._redis.register_script(_SLIDING_WINDOWS)
        self._prefix = prefix
        self._workers = max(workers, 1)
        self._fallback = fallback or MemoryLimiter()
        self._skip_redis_until = 0.0

    async def _fall_back(self, key: str, windows: Sequence[Window]) -> Decision:
        """Each worker of the host allows its share, so that together they stay in the limit."""
        shares = [Window(max(w.limit // self._workers, 1), w.seconds) for w in windows]
        return await self._fallback.hit(key, shares)

    async def hit(self, key: str, windows: Sequence[Window]) -> Decision:
        if time.monotonic() < self._skip_redis_until:
            return await self._fall_back(key, windows)
        # One hash tag per caller: a Redis Cluster keeps all of its windows on one node.
        keys = [f"{self._prefix}:rate:{{{key}}}:{window.seconds}" for window in windows]
        arguments: list[str | int] = [secrets.token_hex(8)]
        for window in windows:
            arguments += [window.limit, window.ms]
        try:
            reply = await self._script(keys=keys, args=arguments)
        except (RedisError, OSError) as exc:
            logger.warning(
                "Redis unreachable (%r): limiting in this process for %ss",
                exc,
                REDIS_RETRY_AFTER_S,
            )
            self._skip_redis_until = time.monotonic() + REDIS_RETRY_AFTER_S
            # Idle connections may be as dead as this one: the next check opens fresh ones.
            await self._redis.connection_pool.disconnect(inuse_connections=False)
            return await self._fall_back(key, windows)
        values = [int(value) for value in reply]
        logs = [
            (values[2 + 2 * i], values[3 + 2 * i] if values[3 + 2 * i] >= 0 else None)
            for i in range(len(windows))
        ]
        return decide(windows, values[1], logs, bool(values[0]))

    async def close(self) -> None:
        await self._redis.aclose()


def build_limiter(redis_url: str | None, *, prefix: str, workers: int = 1) -> Limiter:
    """Redis's limiter when a URL is given (``workers``: this host's worker processes, for
    the fallback's share), else the process's memory."""
    if redis_url:
        return RedisLimiter(redis_url, prefix=prefix, workers=workers)
    return MemoryLimiter()
