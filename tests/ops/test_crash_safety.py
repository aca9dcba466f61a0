"""A server killed outright (SIGKILL, every worker) loses nothing it acknowledged.

Each registration is one transaction committed before its 201 leaves: after a crash and
a restart, every acknowledged registration is there, each whole (the run's seat counts
agree with its rows), and capacity still holds.
"""

from __future__ import annotations

import httpx

from intervals_server.testing import server_process
from tests.conftest import Tenant
from tests.ops.support import acknowledged, all_registrations, client, interrupted_volley
from tests.registrations.support import registration_id, run_of
from tests.support import create_event_with_run

SEATS = 50
REGISTRATIONS = 200
# Past the seats, so the run is sold out when the crash comes, with most still in flight.
KILL_AFTER = 60


async def test_a_crash_mid_volley_keeps_every_acknowledged_registration_whole(
    database_url: str, tenant: Tenant
) -> None:
    async with server_process(database_url, workers=2) as server:
        async with client(server.base_url, REGISTRATIONS) as http:
            event_id, run_id = await create_event_with_run(
                http, tenant.headers, maxParticipants=SEATS
            )
            outcomes = await interrupted_volley(
                http,
                tenant,
                run_id,
                REGISTRATIONS,
                interrupt_after=KILL_AFTER,
                interrupt=server.kill,
            )
        await server.wait()

    made = acknowledged(outcomes)
    assert len(made) >= KILL_AFTER  # every request answered before the kill was a 201
    assert any(isinstance(outcome, httpx.TransportError) for outcome in outcomes)
    async with server_process(database_url) as restarted, client(restarted.base_url, 2) as http:
        stored = await all_registrations(http, tenant.headers, event_id)
        run = await run_of(http, tenant.headers, event_id, run_id)
        late = await registration_id(http, tenant.headers, run_id, email="late@example.com")
        after = {
            item["_id"]: item for item in await all_registrations(http, tenant.headers, event_id)
        }

    assert set(made) <= {item["_id"] for item in stored}
    confirmed = [item for item in stored if item["registrationStatus"] == "confirmed"]
    waitlisted = [item for item in stored if item["registrationStatus"] == "waitlist"]
    assert len(confirmed) == SEATS
    assert len(confirmed) + len(waitlisted) == len(stored)
    assert [item["waitlistPosition"] for item in waitlisted] == list(range(1, len(waitlisted) + 1))
    assert (run["confirmedCount"], run["waitlistCount"]) == (SEATS, len(waitlisted))
    assert after[late]["registrationStatus"] == "waitlist"
