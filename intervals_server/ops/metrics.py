"""Prometheus metrics, correct across granian's worker processes.

``intervals serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at a folder before its workers
start (spawned, so each imports ``prometheus_client`` with it set): every process writes
its samples there and ``/metrics``, whichever worker answers, sums them all. Without the
variable (tests, a single process) the process's own registry is served.

Route labels are route templates (``/events/{event_id}``), never raw paths, so the
number of series stays bounded whatever clients request.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Iterable
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
UNMATCHED_ROUTE = "unmatched"

REQUESTS = Counter(
    "intervals_http_requests_total",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "intervals_http_request_duration_seconds",
    "Time from request to the end of the response, by method, route template and status.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
# Which route was limited is in intervals_http_requests_total{status="429"}.
RATE_LIMIT_REJECTIONS = Counter(
    "intervals_rate_limit_rejections_total",
    "Requests refused with 429 because their API key ran out of its rate limit.",
)
PUBLISHED_RUNS = Counter(
    "intervals_publisher_runs_published_total",
    "Runs created by the auto-publisher.",
)
PUBLISHER_PASSES = Counter(
    "intervals_publisher_passes_total",
    "Publishing passes, by outcome (ok, failed).",
    ["outcome"],
)
PUBLISHER_LAST_SUCCESS = Gauge(
    "intervals_publisher_last_success_timestamp_seconds",
    "Unix time at which the last publishing pass finished without error.",
    multiprocess_mode="max",
)
_LAG = "intervals_publisher_lag_seconds"


def record_request(method: str, route: str, status: int, seconds: float) -> None:
    count, latency = _request_series(method, route, status)
    count.inc()
    latency.observe(seconds)


@functools.lru_cache(maxsize=4096)
def _request_series(method: str, route: str, status: int) -> tuple[Counter, Histogram]:
    """The two series of one (method, route template, status): looked up once, not on
    every request (route templates keep the combinations few)."""
    labels = (method, route, str(status))
    return REQUESTS.labels(*labels), LATENCY.labels(*labels)


def record_rate_limit_rejection() -> None:
    """Count one request refused by the rate limiter (call it where the 429 is raised)."""
    RATE_LIMIT_REJECTIONS.inc()


def record_publish_pass(published: int | None) -> None:
    """Count a finished publishing pass: the runs it created, or ``None`` if it failed."""
    if published is None:
        PUBLISHER_PASSES.labels("failed").inc()
        return
    PUBLISHER_PASSES.labels("ok").inc()
    PUBLISHED_RUNS.inc(published)
    PUBLISHER_LAST_SUCCESS.set(time.time())


class _PublisherLag(Collector):
    """Seconds since any publisher last finished a pass, computed at scrape time; absent
    until one has (alert on it above a few publish intervals)."""

    def __init__(self, source: CollectorRegistry) -> None:
        self.source = source

    def collect(self) -> Iterable[Metric]:
        last = self.source.get_sample_value(PUBLISHER_LAST_SUCCESS._name)
        if last:
            lag = GaugeMetricFamily(
                _LAG, "Seconds since the last successful publishing pass of any publisher."
            )
            lag.add_metric([], max(time.time() - last, 0.0))
            yield lag


def prepare_multiprocess_dir(folder: Path) -> None:
    """Make ``folder`` the shared metrics folder of the processes started from now on,
    clearing what a previous server left there (its counters would add up otherwise)."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROC_ENV] = str(folder)


def render() -> tuple[bytes, str]:
    """The exposition text of every process's metrics, and its content type."""
    if os.environ.get(MULTIPROC_ENV):
        source = CollectorRegistry()
        MultiProcessCollector(source)  # type: ignore[no-untyped-call]
    else:
        source = REGISTRY
    registry = CollectorRegistry()
    registry.register(_Delegate(source))
    registry.register(_PublisherLag(source))
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _Delegate(Collector):
    def __init__(self, source: CollectorRegistry) -> None:
        self.source = source

    def collect(self) -> Iterable[Metric]:
        return self.source.collect()
