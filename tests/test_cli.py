"""The operator's command line, run as a real process against the test database."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from intervals.auth.cache import TTL_SECONDS
from intervals.auth.service import verified_keys
from intervals.kit.ids import new_id
from tests.conftest import Client
from tests.factories import create_event

EXECUTABLE = str(Path(sys.executable).with_name("intervals"))


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        assert self.code == 0, self.err
        return json.loads(self.out)


@dataclass(frozen=True)
class Cli:
    database_url: str

    async def __call__(self, *args: str) -> Result:
        env = {
            **os.environ,
            "INTERVALS_DATABASE_URL": self.database_url,
            "COLUMNS": "200",
            "NO_COLOR": "1",
            "TERM": "dumb",
        }
        process = await asyncio.create_subprocess_exec(
            EXECUTABLE,
            *args,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            out, err = await asyncio.wait_for(process.communicate(), timeout=60)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert process.returncode is not None
        return Result(process.returncode, out.decode(), err.decode())

    async def new_org(self) -> dict[str, str]:
        slug = f"club-{new_id('')}"
        org: dict[str, str] = (
            await self("orgs", "create", "--name", "CLI Club", "--slug", slug, "--json")
        ).json()
        return org


@pytest.fixture
def cli(database_url: str) -> Cli:
    return Cli(database_url)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


async def test_orgs_create_prints_the_new_organization(cli: Cli) -> None:
    slug = f"club-{new_id('')}"

    org = (await cli("orgs", "create", "--name", "CLI Club", "--slug", slug, "--json")).json()

    assert org["slug"] == slug
    assert org["organizationId"].startswith("k") and len(org["organizationId"]) == 15


async def test_orgs_create_with_a_taken_slug_fails(cli: Cli) -> None:
    org = await cli.new_org()

    result = await cli("orgs", "create", "--name", "Again", "--slug", org["slug"])

    assert result.code != 0
    assert org["slug"] in result.err


async def test_orgs_create_with_an_unknown_plan_fails(cli: Cli) -> None:
    result = await cli("orgs", "create", "--name", "X", "--slug", "x-club", "--plan", "gold")

    assert result.code != 0
    assert "--plan" in result.err


async def test_orgs_create_with_a_time_zone_folder_fails_naming_the_time_zone(cli: Cli) -> None:
    slug = f"club-{new_id('')}"

    result = await cli("orgs", "create", "--name", "X", "--slug", slug, "--timezone", "America")

    assert result.code != 0
    assert "timezone" in result.err
    assert "Traceback" not in result.err


async def test_key_created_with_a_scope_works_within_that_scope(cli: Cli, client: Client) -> None:
    org = await cli.new_org()

    key = (
        await cli("keys", "create", "--org", org["slug"], "--scope", "read:events", "--json")
    ).json()

    assert (await client.get("/events", headers=bearer(key["apiKey"]))).status_code == 200
    assert (await client.get("/organization", headers=bearer(key["apiKey"]))).status_code == 403


async def test_key_created_with_all_scopes_reads_its_organization(cli: Cli, client: Client) -> None:
    org = await cli.new_org()

    key = (await cli("keys", "create", "--org", org["slug"], "--all-scopes", "--json")).json()

    response = await client.get("/organization", headers=bearer(key["apiKey"]))
    assert response.status_code == 200
    assert response.json()["data"]["_id"] == org["organizationId"]


async def test_keys_create_without_a_scope_fails(cli: Cli) -> None:
    org = await cli.new_org()

    result = await cli("keys", "create", "--org", org["slug"])

    assert result.code != 0
    assert "--scope" in result.err


async def test_keys_create_with_an_unknown_scope_fails(cli: Cli) -> None:
    org = await cli.new_org()

    result = await cli("keys", "create", "--org", org["slug"], "--scope", "admin:everything")

    assert result.code != 0
    assert "admin:everything" in result.err


async def test_keys_list_never_prints_secrets(cli: Cli) -> None:
    org = await cli.new_org()
    key = (await cli("keys", "create", "--org", org["slug"], "--all-scopes", "--json")).json()

    text = await cli("keys", "list", "--org", org["slug"])
    as_json = await cli("keys", "list", "--org", org["slug"], "--json")

    assert text.code == as_json.code == 0
    for output in (text.out + text.err, as_json.out + as_json.err):
        assert key["apiKey"] not in output
        assert key["keyId"] in output
    assert as_json.json()[0]["prefix"] == key["apiKey"][: len(as_json.json()[0]["prefix"])]


async def test_revoked_key_is_refused(cli: Cli, client: Client) -> None:
    org = await cli.new_org()
    key = (await cli("keys", "create", "--org", org["slug"], "--all-scopes", "--json")).json()

    # Not used before: a server that verified it would honour this only once its cache
    # entry expires (tests/auth/test_key_cache.py).
    revoked = await cli("keys", "revoke", key["keyId"])

    assert revoked.code == 0
    response = await client.get("/organization", headers=bearer(key["apiKey"]))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"


async def test_revoking_an_unknown_key_fails(cli: Cli) -> None:
    result = await cli("keys", "revoke", "aknosuchkey0000")

    assert result.code != 0
    assert "aknosuchkey0000" in result.err


async def test_groups_create_makes_a_group_the_api_serves(cli: Cli, client: Client) -> None:
    org = await cli.new_org()
    key = (await cli("keys", "create", "--org", org["slug"], "--all-scopes", "--json")).json()

    created = await cli(
        "groups", "create", "--org", org["slug"], "--name", "Track Tuesdays", "--slug", "track"
    )

    assert created.code == 0, created.err
    response = await client.get("/groups/track", headers=bearer(key["apiKey"]))
    assert response.status_code == 200
    assert response.json()["data"]["name"] == "Track Tuesdays"


async def test_groups_create_with_an_invalid_slug_fails(cli: Cli) -> None:
    org = await cli.new_org()

    result = await cli(
        "groups", "create", "--org", org["slug"], "--name", "T", "--slug", "Bad Slug"
    )

    assert result.code != 0
    assert "--slug" in result.err


async def test_courses_create_makes_a_course_runs_can_use(cli: Cli, client: Client) -> None:
    org = await cli.new_org()
    key = (await cli("keys", "create", "--org", org["slug"], "--all-scopes", "--json")).json()
    headers = bearer(key["apiKey"])

    course = (
        await cli(
            "courses",
            "create",
            "--org",
            org["slug"],
            "--name",
            "River path",
            "--distance-meters",
            "21097.5",
            "--distance-standard",
            "Half Marathon",
            "--json",
        )
    ).json()

    event_id = await create_event(client, headers)
    response = await client.post(
        f"/events/{event_id}/runs", json={"courseId": course["courseId"]}, headers=headers
    )
    assert response.status_code == 201, response.text
    runs = (await client.get(f"/events/{event_id}", headers=headers)).json()["data"]["runs"]
    assert runs[0]["distanceStandard"] == "Half Marathon"


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--distance-standard", "7K"),
        ("--distance-standard", "half marathon"),
        ("--distance-meters", "-5"),
    ],
)
async def test_courses_create_with_an_invalid_distance_fails_clearly(
    cli: Cli, option: str, value: str
) -> None:
    org = await cli.new_org()
    arguments = {"--distance-meters": "5000", "--distance-standard": "5K", option: value}

    result = await cli(
        "courses",
        "create",
        "--org",
        org["slug"],
        "--name",
        "Loop",
        *(item for pair in arguments.items() for item in pair),
    )

    assert result.code != 0
    assert option in result.err
    assert "Traceback" not in result.err


async def test_demo_prints_an_organization_and_a_working_key(cli: Cli, client: Client) -> None:
    demo = (await cli("demo", "--json")).json()

    assert set(demo) == {"organizationId", "apiKey"}
    response = await client.get("/organization", headers=bearer(demo["apiKey"]))
    assert response.status_code == 200
    assert response.json()["data"]["_id"] == demo["organizationId"]


async def test_demo_run_twice_keeps_one_organization(cli: Cli, client: Client) -> None:
    first = (await cli("demo", "--json")).json()
    events_before = await client.get("/events", headers=bearer(first["apiKey"]))

    second = (await cli("demo", "--json")).json()

    assert second["organizationId"] == first["organizationId"]
    assert second["apiKey"] != first["apiKey"]
    events_after = await client.get("/events", headers=bearer(second["apiKey"]))
    assert events_after.json()["data"] == events_before.json()["data"]


async def test_demo_key_has_every_scope(cli: Cli, client: Client) -> None:
    demo = (await cli("demo", "--json")).json()

    for path in ("/organization", "/events", "/recurrences", "/groups"):
        response = await client.get(path, headers=bearer(demo["apiKey"]))
        assert response.status_code == 200, (path, response.text)


async def test_keys_create_with_a_rate_limit_limits_the_key(
    cli: Cli, limited_client: Client
) -> None:
    org = await cli.new_org()
    key = (
        await cli(
            "keys",
            "create",
            "--org",
            org["slug"],
            "--all-scopes",
            "--rate-limit",
            "2/min",
            "--json",
        )
    ).json()

    response = await limited_client.get("/organization", headers=bearer(key["apiKey"]))

    assert key["rateLimit"] == "2/min"
    assert response.headers["RateLimit-Limit"] == "2"


async def test_keys_update_sets_and_clears_a_keys_rate_limit(
    cli: Cli, limited_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = await cli.new_org()
    key = (await cli("keys", "create", "--org", org["slug"], "--all-scopes", "--json")).json()
    headers = bearer(key["apiKey"])

    overridden = await cli("keys", "update", key["keyId"], "--rate-limit", "7/hour")
    during = await limited_client.get("/organization", headers=headers)
    restored = await cli("keys", "update", key["keyId"], "--rate-limit", "plan")
    # The server remembers a verified key for TTL_SECONDS; another process's change shows after.
    later = verified_keys._clock() + TTL_SECONDS
    monkeypatch.setattr(verified_keys, "_clock", lambda: later)
    after = await limited_client.get("/organization", headers=headers)
    listed = (await cli("keys", "list", "--org", org["slug"], "--json")).json()

    assert overridden.code == restored.code == 0
    assert (during.headers["RateLimit-Limit"], during.headers["RateLimit-Reset"]) == ("7", "3600")
    assert (after.headers["RateLimit-Limit"], after.headers["RateLimit-Reset"]) == ("100", "60")
    assert listed[0]["rateLimit"] == "plan"


async def test_keys_create_with_a_malformed_rate_limit_fails(cli: Cli) -> None:
    org = await cli.new_org()

    result = await cli(
        "keys", "create", "--org", org["slug"], "--all-scopes", "--rate-limit", "fast"
    )

    assert result.code != 0
    assert "--rate-limit" in result.err


async def test_updating_an_unknown_key_fails(cli: Cli) -> None:
    result = await cli("keys", "update", "aknosuchkey0000", "--rate-limit", "5/min")

    assert result.code != 0
    assert "aknosuchkey0000" in result.err
