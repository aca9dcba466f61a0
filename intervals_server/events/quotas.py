"""What one event may hold: bounds a real club never reaches, so that no partner (or a
runaway script) can grow an event without limit. Refusals are 409 ``quota_exceeded``."""

from __future__ import annotations

from intervals_server.kit.errors import Conflict

# Runs of one event, however made (POST /events/{id}/runs, a recurrence's publishing);
# past and cancelled runs count too. 10 daily recurrences with a 52-week horizon: 3,640.
MAX_RUNS_PER_EVENT = 5_000
# Active or paused recurrences of one event (archived ones do not count).
MAX_RECURRENCES_PER_EVENT = 10

QUOTA_EXCEEDED = "quota_exceeded"


def runs_left(existing: int) -> int:
    """How many more runs an event holding ``existing`` may get."""
    return max(MAX_RUNS_PER_EVENT - existing, 0)


def too_many_runs() -> Conflict:
    return Conflict(
        f"An event holds at most {MAX_RUNS_PER_EVENT} runs, and this one would exceed it",
        reason=QUOTA_EXCEEDED,
    )


def too_many_recurrences() -> Conflict:
    return Conflict(
        f"An event has at most {MAX_RECURRENCES_PER_EVENT} active or paused recurrences; "
        "archive one first",
        reason=QUOTA_EXCEEDED,
    )
