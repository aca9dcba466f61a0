"""The operator's command line, run as a real process against the test database."""

from __future__ import annotations

import asyncio
import importlib.metadata
import json
import os
import re
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from intervals_server.auth.cache import TTL_SECONDS
from intervals_server.auth.service import verified_keys
from intervals_server.demo import DEMO_SLUG
from intervals_server.kit.ids import new_id
from intervals_server.migrate import newest_revision
from intervals_server.testing import temporary_database
from tests.conftest import Client
from tests.support import create_event

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

    async def __call__(self, *args: str, env: dict[str, str] | None = None) -> Result:
        env = {
            **os.environ,
            "INTERVALS_DATABASE_URL": self.database_url,
            "COLUMNS": "200",
            "NO_COLOR": "1",
            "TERM": "dumb",
            **(env or {}),
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

    assert set(demo) == {"organizationId", "slug", "apiKey"}
    assert demo["slug"] == DEMO_SLUG
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


async def test_version_prints_the_installed_distributions_version(cli: Cli) -> None:
    result = await cli("--version")

    installed = importlib.metadata.version("intervals-server")
    assert (result.code, result.out) == (0, f"intervals {installed}\n")


@pytest.mark.parametrize("command", [[], ["serve"], ["keys", "create"], ["keys", "revoke"]])
async def test_help_shows_no_type_labels(cli: Cli, command: list[str]) -> None:
    result = await cli(*command, "--help")

    assert result.code == 0, result.err
    assert not re.search(r"<(bool|str|int|float|int range)>", result.out), result.out


async def test_a_command_on_a_database_without_its_schema_says_to_migrate(
    database_url: str, tmp_path: Path
) -> None:
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    async with temporary_database(backend, tmp_path, migrated=False) as blank:
        result = await Cli(blank)("keys", "list", "--org", "any-club")

    assert result.code == 1
    assert result.err == (
        "error: the database has no schema, or an older one: run `intervals migrate`\n"
    )


@pytest.mark.parametrize("command", [["orgs", "list"], ["keys", "list", "--org", "any-club"]])
async def test_read_only_commands_never_create_a_database_file(
    tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "intervals.db"

    result = await Cli(f"sqlite:///{missing}")(*command)

    assert result.code == 1
    assert result.err == f"error: no database at {missing}: run `intervals migrate` first\n"
    assert os.listdir(tmp_path) == []


async def test_migrate_says_which_migrations_it_applied(tmp_path: Path) -> None:
    cli = Cli(f"sqlite:///{tmp_path / 'intervals.db'}")

    first = await cli("migrate")
    again = await cli("migrate")

    assert (first.code, first.err) == (0, "")
    assert first.out.startswith("applied 0001 (initial schema)\napplied 0002 (")
    assert (again.code, again.err) == (0, "")
    assert again.out == f"nothing to apply: the database is at {newest_revision()}\n"


async def test_the_org_option_takes_the_organizations_id_too(cli: Cli, client: Client) -> None:
    org = await cli.new_org()

    key = (
        await cli("keys", "create", "--org", org["organizationId"], "--all-scopes", "--json")
    ).json()

    response = await client.get("/organization", headers=bearer(key["apiKey"]))
    assert response.json()["data"]["_id"] == org["organizationId"]


async def test_an_unknown_org_is_named_in_one_line(cli: Cli) -> None:
    result = await cli("keys", "list", "--org", "no-such-club")

    assert result.code == 1
    assert result.err == "error: No organization with ID or slug 'no-such-club'\n"


async def test_scopes_print_as_a_json_list(cli: Cli) -> None:
    org = await cli.new_org()
    scopes = ["read:events", "read:groups"]
    arguments = ["keys", "create", "--org", org["slug"], "--scope", scopes[0], "--scope", scopes[1]]

    as_json = (await cli(*arguments, "--json")).json()
    text = await cli(*arguments)
    listed = await cli("keys", "list", "--org", org["slug"])

    assert as_json["scopes"] == scopes
    assert f"scopes: {json.dumps(scopes)}\n" in text.out
    assert all(line.endswith(json.dumps(scopes)) for line in listed.out.splitlines())


async def test_keys_revoke_takes_the_prefix_keys_list_shows(cli: Cli, client: Client) -> None:
    org = await cli.new_org()
    key = (await cli("keys", "create", "--org", org["slug"], "--all-scopes", "--json")).json()
    listed = (await cli("keys", "list", "--org", org["slug"])).out
    shown_prefix = listed.split()[1]

    revoked = await cli("keys", "revoke", shown_prefix)

    assert shown_prefix.endswith("…")
    assert (revoked.code, revoked.out) == (0, f"revoked {key['keyId']}\n")
    response = await client.get("/organization", headers=bearer(key["apiKey"]))
    assert response.status_code == 401


async def test_revoking_a_revoked_key_again_succeeds(cli: Cli) -> None:
    org = await cli.new_org()
    key = (await cli("keys", "create", "--org", org["slug"], "--all-scopes", "--json")).json()
    await cli("keys", "revoke", key["keyId"])

    again = await cli("keys", "revoke", key["keyId"])

    assert (again.code, again.out) == (0, f"{key['keyId']} was already revoked\n")


async def test_orgs_list_shows_each_organization(cli: Cli) -> None:
    org = await cli.new_org()

    listed = (await cli("orgs", "list", "--json")).json()

    (row,) = [row for row in listed if row["organizationId"] == org["organizationId"]]
    assert row == {
        "organizationId": org["organizationId"],
        "slug": org["slug"],
        "name": "CLI Club",
        "plan": "local",
        "timezone": "UTC",
        "roles": ["organizer"],
    }


async def test_orgs_update_changes_what_the_api_serves(cli: Cli, client: Client) -> None:
    org = await cli.new_org()
    key = (await cli("keys", "create", "--org", org["slug"], "--all-scopes", "--json")).json()

    updated = await cli(
        "orgs", "update", org["slug"], "--plan", "elite", "--timezone", "Europe/Paris",
        "--role", "organizer", "--role", "sponsor", "--json",
    )  # fmt: skip

    assert updated.json()["plan"] == "elite"
    data = (await client.get("/organization", headers=bearer(key["apiKey"]))).json()["data"]
    assert (data["plan"], data["timezone"], data["roles"]) == (
        "elite",
        "Europe/Paris",
        ["organizer", "sponsor"],
    )


async def test_orgs_update_with_an_unknown_time_zone_fails_in_one_line(cli: Cli) -> None:
    org = await cli.new_org()

    result = await cli("orgs", "update", org["slug"], "--timezone", "Mars/Olympus")

    assert result.code == 1
    assert result.err == "error: timezone: Unknown IANA time zone 'Mars/Olympus'\n"


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port something already listens on."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.mark.parametrize(
    ("arguments", "named"),
    [(["--workers", "2"], "--workers 2"), (["--host", "0.0.0.0"], "--host 0.0.0.0")],
)
async def test_serve_refuses_sqlite_with_several_workers_or_a_public_address(
    tmp_path: Path, taken_port: int, arguments: list[str], named: str
) -> None:
    cli = Cli(f"sqlite:///{tmp_path / 'intervals.db'}")

    result = await cli("serve", "--port", str(taken_port), *arguments)

    assert result.code == 2
    assert f"error: SQLite with {named}: " in result.err
    assert "--allow-sqlite (or set INTERVALS_ALLOW_SQLITE=true)" in result.err


async def test_serve_checks_the_port_before_migrating_or_seeding_the_demo(
    tmp_path: Path, taken_port: int
) -> None:
    cli = Cli(f"sqlite:///{tmp_path / 'intervals.db'}")

    result = await cli("serve", "--port", str(taken_port), "--demo")

    assert (result.code, result.out) == (1, "")
    assert result.err.splitlines()[-1] == (
        f"error: cannot listen on 127.0.0.1:{taken_port}: Address already in use "
        "(another server? choose another --port)"
    )
    assert os.listdir(tmp_path) == []


async def test_serve_logs_its_database_redis_and_workers_at_start_without_passwords(
    taken_port: int,
) -> None:
    cli = Cli("postgresql://intervals:s3cret@db.invalid:5432/intervals")

    result = await cli(
        "serve",
        "--port",
        str(taken_port),
        "--workers",
        "3",
        env={"INTERVALS_REDIS_URL": "redis://:hunter2@cache.invalid:6379/0"},
    )

    start = json.loads(result.err.splitlines()[0])
    assert "s3cret" not in result.err and "hunter2" not in result.err
    assert {key: start[key] for key in ("event", "database", "redis", "workers", "port")} == {
        "event": "serve",
        "database": "postgresql+asyncpg://intervals:***@db.invalid:5432/intervals",
        "redis": "redis://:***@cache.invalid:6379/0",
        "workers": 3,
        "port": taken_port,
    }


async def test_an_unreachable_database_is_named_in_one_line_without_its_password() -> None:
    result = await Cli("postgresql://intervals:s3cret@127.0.0.1:1/db")("orgs", "list")

    assert result.code == 1
    (line,) = result.err.splitlines()
    assert line.startswith(
        "error: cannot reach the database postgresql+asyncpg://intervals:***@127.0.0.1:1/db: "
    )
