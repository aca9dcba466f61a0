"""SIGTERM stops the server gracefully: what it began, it answers in full.

Requests the workers had taken finish and get their response; connections not yet
taken are refused or closed unanswered, and those requests did nothing (granian closes
them without passing them to the app), so a client may safely retry them.
"""

from __future__ import annotations

import httpx

from intervals_server.testing import server_process
from tests.conftest import Tenant
from tests.ops.support import (
    Outcome,
    acknowledged,
    all_registrations,
    client,
    interrupted_volley,
)
from tests.support import create_event_with_run

REGISTRATIONS = 60
STOP_AFTER = 10


async def test_sigterm_answers_every_request_it_carried_out(
    database_url: str, tenant: Tenant
) -> None:
    async with server_process(database_url, workers=2) as server:
        async with client(server.base_url, REGISTRATIONS) as http:
            event_id, run_id = await create_event_with_run(http, tenant.headers)
            outcomes = await interrupted_volley(
                http,
                tenant,
                run_id,
                REGISTRATIONS,
                interrupt_after=STOP_AFTER,
                interrupt=server.terminate,
            )
        exit_code = await server.wait()
    async with server_process(database_url) as restarted, client(restarted.base_url, 2) as http:
        stored = await all_registrations(http, tenant.headers, event_id)

    assert exit_code == 0
    assert all(_answered_or_unanswered(outcome) for outcome in outcomes), _describe(outcomes)
    made = acknowledged(outcomes)
    assert len(made) >= STOP_AFTER
    assert sorted(item["_id"] for item in stored) == sorted(made)


def _answered_or_unanswered(outcome: Outcome) -> bool:
    """A complete 2xx, or no answer at all (refused, or closed before a response)."""
    if isinstance(outcome, httpx.Response):
        return outcome.is_success
    if isinstance(outcome, httpx.RemoteProtocolError):
        # Closed before any response; a response cut mid-way reads differently.
        return "without sending a response" in str(outcome)
    return isinstance(outcome, httpx.ConnectError | httpx.ReadError)


def _describe(outcomes: list[Outcome]) -> str:
    return repr(
        [
            outcome.status_code if isinstance(outcome, httpx.Response) else repr(outcome)
            for outcome in outcomes
        ]
    )
