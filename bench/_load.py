"""Load from wrk, bounded in time, with figures read back as JSON from its Lua ``done``."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_DONE = r"""
function done(summary, latency, requests)
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"bad_status": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""

# Each POST gets a unique email: a run prefix, the wrk thread and a per-thread counter.
_POST = r"""
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local counter = 0
function request()
  counter = counter + 1
  local run = RUNS[(counter + tid) %% #RUNS + 1]
  local body = string.format(
    '{"eventRunId": "%%s", "email": "%s-%%d-%%d@example.com", "registrationType": "free"}',
    run, tid, counter)
  return wrk.format("POST", PATH, HEADERS, body)
end
"""

# A paced connection waits a random, exponentially distributed time between requests,
# so arrivals are close to a Poisson stream. A fixed wait keeps connections that started
# together in step: the server would see bursts of all of them at once, and the p99 would
# measure how long one burst takes to drain, not the latency at that average rate.
_THINK = r"""
math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))
function delay()
  return math.floor(-MEAN_DELAY_MS * math.log(1 - math.random()))
end
"""

_STOP = r"""
local responses = 0
function response(status, headers, body)
  responses = responses + 1
  if responses >= STOP_AFTER then wrk.thread:stop() end
end
"""


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    bad_status: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal here


def _script(
    path: str,
    headers: dict[str, str],
    *,
    post_runs: list[str] | None,
    email_prefix: str,
    delay_ms: int | None,
    stop_after: int | None,
) -> str:
    table = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
    parts = [f"PATH = {_lua_string(path)}", f"HEADERS = {{{table}}}"]
    if post_runs is not None:
        runs = ", ".join(_lua_string(run) for run in post_runs)
        parts += [f"RUNS = {{{runs}}}", _POST % email_prefix]
    else:
        parts.append(
            'local prepared\nfunction init(args) prepared = wrk.format("GET", PATH, HEADERS) end'
        )
        parts.append("function request() return prepared end")
    if delay_ms is not None:
        parts += [f"MEAN_DELAY_MS = {delay_ms}", _THINK]
    if stop_after is not None:
        parts += [f"STOP_AFTER = {stop_after}", _STOP]
    parts.append(_DONE)
    return "\n".join(parts)


def run(
    base_url: str,
    path: str,
    *,
    seconds: float,
    connections: int,
    threads: int = 1,
    headers: dict[str, str] | None = None,
    post_runs: list[str] | None = None,
    email_prefix: str = "bench",
    delay_ms: int | None = None,
    stop_after: int | None = None,
) -> Result:
    """One wrk run against ``base_url + path`` for at most ``seconds``."""
    script = _script(
        path,
        {**(headers or {}), **({"Content-Type": "application/json"} if post_runs else {})},
        post_runs=post_runs,
        email_prefix=email_prefix,
        delay_ms=delay_ms,
        stop_after=stop_after,
    )
    with tempfile.TemporaryDirectory(prefix="intervals-wrk-") as folder:
        lua = Path(folder) / "load.lua"
        lua.write_text(script)
        command = [
            "wrk",
            f"-t{threads}",
            f"-c{max(connections, threads)}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(lua),
            base_url + path,
        ]
        output = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 30, check=True
        ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    figures = json.loads(line.removeprefix("RESULT "))
    return Result(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        bad_status=figures["bad_status"],
        socket_errors=figures["socket_errors"],
    )
