"""The operator's command line: thin commands that call services."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import multiprocessing
import os
import signal
import tempfile
import typing
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import msgspec
import typer
from sqlalchemy.ext.asyncio import AsyncSession

from intervals import migrate as migrations
from intervals.auth import service as keys_service
from intervals.auth.scopes import ALL_SCOPES, Scope
from intervals.config import SettingsError, get_settings
from intervals.courses.service import create_course
from intervals.demo import seed_demo
from intervals.groups.schemas import GroupStatus
from intervals.groups.service import create_group
from intervals.kit.errors import ApiError
from intervals.kit.rate_limit import Window, format_rate, parse_rate
from intervals.kit.schemas import Name, Slug
from intervals.ops import metrics
from intervals.ops.logs import configure_logging
from intervals.organizations.schemas import Plan, Role
from intervals.organizations.service import create_organization, find_by_slug
from intervals.recurrences.publisher import publish_all, publish_periodically
from intervals.runs.schemas import DistanceStandard, Meters

T = TypeVar("T")

app = typer.Typer(help="Intervals Partner API server.", no_args_is_help=True)
orgs = typer.Typer(help="Organizations (tenants).", no_args_is_help=True)
keys = typer.Typer(help="API keys.", no_args_is_help=True)
groups = typer.Typer(help="Event groups.", no_args_is_help=True)
courses = typer.Typer(help="Courses.", no_args_is_help=True)
app.add_typer(orgs, name="orgs")
app.add_typer(keys, name="keys")
app.add_typer(groups, name="groups")
app.add_typer(courses, name="courses")

OrgOption = Annotated[str, typer.Option("--org", help="The organization's slug.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
RateLimitOption = Annotated[
    str | None,
    typer.Option(
        "--rate-limit",
        help="Override the plan's rate for this key: N/min, N/hour, N/day, N/s or N/<k>s; "
        "'plan' restores the plan's.",
    ),
]


def _rate_limit(text: str) -> Window | None:
    """The override ``--rate-limit`` asks for; None for the plan's own."""
    if text.strip().lower() == "plan":
        return None
    try:
        return parse_rate(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--rate-limit") from exc


def _transaction(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one write transaction; an API error exits with its message."""

    async def run() -> T:
        database = get_settings().database()
        try:
            async with database.write() as session:
                return await work(session)
        finally:
            await database.dispose()

    try:
        return asyncio.run(run())
    except ApiError as error:
        if error.errors:
            for field, messages in error.errors.items():
                typer.echo(f"error: {field}: {'; '.join(messages)}", err=True)
        else:
            typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(1) from error


def _checked(value: T, annotation: Any, option: str) -> T:
    """``value`` if the API would accept it where ``annotation`` applies; else a usage error."""
    try:
        msgspec.convert(value, annotation)
    except msgspec.ValidationError as exc:
        if typing.get_origin(annotation) is typing.Literal:
            message = "must be one of: " + ", ".join(map(str, typing.get_args(annotation)))
        else:
            message = str(exc).split(" - at `$")[0]
        raise typer.BadParameter(message, param_hint=option) from exc
    return value


def _print(payload: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(payload))
    else:
        for name, value in payload.items():
            typer.echo(f"{name}: {value}")


@app.command()
def migrate() -> None:
    """Apply pending database migrations."""
    migrations.upgrade(get_settings().database_url)
    typer.echo("database is up to date")


@app.command()
def demo(as_json: JsonOption = False) -> None:
    """Seed the demo running club and print an API key holding every scope."""
    migrations.upgrade(get_settings().database_url)
    credentials = _transaction(seed_demo)
    _print({"organizationId": credentials.organization_id, "apiKey": credentials.api_key}, as_json)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    with_demo: Annotated[bool, typer.Option("--demo", help="Seed the demo club first.")] = False,
    run_migrations: Annotated[
        bool, typer.Option("--migrate/--no-migrate", help="Apply migrations before serving.")
    ] = True,
) -> None:
    """Serve the API (granian, one process per worker)."""
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings

    settings = get_settings()
    configure_logging(settings.log_level)
    if settings.metrics_token is None and not _loopback(host):
        logging.getLogger("intervals").warning(
            "/metrics answers anyone who can reach %s:%s; set INTERVALS_METRICS_TOKEN", host, port
        )
    if run_migrations:
        migrations.upgrade(settings.database_url)
    if with_demo:
        credentials = _transaction(seed_demo)
        base = f"http://{host}:{port}"
        typer.echo(f"Demo organization: {credentials.organization_id}")
        typer.echo(f"Demo API key (shown once): {credentials.api_key}")
        typer.echo(
            f'Try: curl -H "Authorization: Bearer {credentials.api_key}" '
            f'"{base}/recurrences?status=active&limit=20"'
        )
    # Each worker's settings: its rate limiter's share while Redis is away.
    os.environ[WORKERS_ENV] = str(workers)
    with _metrics_folder():
        # Spawned, not forked: each worker imports prometheus_client afresh, in
        # multiprocess mode, with the folder set above.
        multiprocessing.set_start_method("spawn", force=True)
        Granian(
            "intervals.app:create_app",
            factory=True,
            address=host,
            port=port,
            workers=workers,
            interface=Interfaces.ASGI,
            # HTTP/1.1 only: in "auto" mode granian waits, without a timeout, for a new
            # connection's first bytes to tell HTTP/1 from HTTP/2, so one that sends nothing
            # is held forever; in HTTP/1 mode the header timeout covers it too.
            http=HTTPModes.http1,
            http1_settings=HTTP1Settings(
                header_read_timeout=round(settings.header_timeout_seconds * 1000)
            ),
            log_access=False,
            workers_kill_timeout=WORKERS_KILL_TIMEOUT_S,
        ).serve()


WORKERS_ENV = "INTERVALS_WORKERS"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# How long SIGTERM waits for a worker's in-flight requests before killing it.
WORKERS_KILL_TIMEOUT_S = 30


@contextmanager
def _metrics_folder() -> Iterator[None]:
    """The workers' shared metrics folder: the operator's ``PROMETHEUS_MULTIPROC_DIR``
    (cleared at start), else a temporary one removed at exit."""
    configured = os.environ.get(metrics.MULTIPROC_ENV)
    if configured:
        metrics.prepare_multiprocess_dir(Path(configured))
        yield
        return
    with tempfile.TemporaryDirectory(prefix="intervals-metrics-") as folder:
        metrics.prepare_multiprocess_dir(Path(folder))
        yield


@app.command()
def publish(
    once: Annotated[bool, typer.Option("--once", help="One pass, then exit.")] = False,
    interval: Annotated[
        float | None,
        typer.Option(min=0.1, help="Seconds between passes [default: the setting, else 60]."),
    ] = None,
) -> None:
    """Publish the runs of every active recurrence through its horizon, every interval."""
    settings = get_settings()
    seconds = interval or settings.publish_interval_seconds or 60
    configure_logging(settings.log_level)

    async def run() -> None:
        # SIGTERM or Ctrl-C: finish the batch in hand, then exit.
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        database = settings.database()
        try:
            if once:
                typer.echo(f"published {await publish_all(database, stop=stop)} runs")
            else:
                await publish_periodically(database, seconds, stop=stop)
        finally:
            await database.dispose()

    asyncio.run(run())


@orgs.command("create")
def orgs_create(
    name: Annotated[str, typer.Option(help="Display name.")],
    slug: Annotated[str, typer.Option(help="Unique slug.")],
    plan: Annotated[str, typer.Option(help="free, local, elite or enterprise.")] = "local",
    timezone: Annotated[str, typer.Option(help="IANA time zone.")] = "UTC",
    role: Annotated[list[str] | None, typer.Option(help="organizer, sponsor, federation.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Create an organization."""
    _checked(name, Name, "--name")
    _checked(slug, Slug, "--slug")
    _checked(plan, Plan, "--plan")
    for each in role or []:
        _checked(each, Role, "--role")
    organization = _transaction(
        lambda session: create_organization(
            session, name=name, slug=slug, plan=plan, timezone=timezone, roles=role or ["organizer"]
        )
    )
    _print({"organizationId": organization.id, "slug": organization.slug}, as_json)


@keys.command("create")
def keys_create(
    org: OrgOption,
    scope: Annotated[
        list[Scope] | None, typer.Option(help="A scope to grant; repeat for more.")
    ] = None,
    all_scopes: Annotated[bool, typer.Option("--all-scopes", help="Grant every scope.")] = False,
    name: Annotated[str, typer.Option(help="What the key is for.")] = "API key",
    rate_limit: RateLimitOption = None,
    as_json: JsonOption = False,
) -> None:
    """Issue an API key. Its secret is printed once and never stored."""
    scopes = list(ALL_SCOPES) if all_scopes else scope or []
    if not scopes:
        raise typer.BadParameter("give --scope at least once, or --all-scopes")
    limit = _rate_limit(rate_limit) if rate_limit else None

    async def work(session: AsyncSession) -> keys_service.IssuedKey:
        organization = await find_by_slug(session, org)
        return await keys_service.issue_key(
            session, organization.id, name=name, scopes=scopes, rate_limit=limit
        )

    issued = _transaction(work)
    _print(
        {
            "keyId": issued.key.id,
            "apiKey": issued.secret,
            "scopes": " ".join(issued.key.scopes),
            "rateLimit": format_rate(limit) if limit else "plan",
        },
        as_json,
    )


@keys.command("update")
def keys_update(
    key_id: Annotated[str, typer.Argument(help="The key's ID (ak…).")],
    rate_limit: RateLimitOption = None,
) -> None:
    """Change a key: its rate limit override."""
    if rate_limit is None:
        raise typer.BadParameter("nothing to change: give --rate-limit")
    limit = _rate_limit(rate_limit)
    if not _transaction(lambda session: keys_service.set_rate_limit(session, key_id, limit)):
        typer.echo(f"error: no key {key_id}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{key_id}: rate limit {format_rate(limit) if limit else 'of the plan'}")


@keys.command("list")
def keys_list(org: OrgOption, as_json: JsonOption = False) -> None:
    """List an organization's keys (prefixes only; secrets are never stored)."""

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        organization = await find_by_slug(session, org)
        return [
            {
                "keyId": key.id,
                "name": key.name,
                "prefix": key.prefix,
                "scopes": key.scopes,
                "rateLimit": format_rate(Window(key.rate_limit, key.rate_limit_period or 60))
                if key.rate_limit
                else "plan",
                "createdAt": key.created_at.isoformat(),
                "revokedAt": key.revoked_at.isoformat() if key.revoked_at else None,
            }
            for key in await keys_service.list_keys(session, organization.id)
        ]

    rows = _transaction(work)
    if as_json:
        typer.echo(json.dumps(rows))
        return
    for row in rows:
        state = f"revoked {row['revokedAt']}" if row["revokedAt"] else "active"
        typer.echo(
            f"{row['keyId']}  {row['prefix']}…  {row['name']}  {state}  {' '.join(row['scopes'])}"
        )


@keys.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key's ID (ak…).")]) -> None:
    """Revoke a key: requests with it are refused from now on."""
    if not _transaction(lambda session: keys_service.revoke_key(session, key_id)):
        typer.echo(f"error: no active key {key_id}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {key_id}")


@groups.command("create")
def groups_create(
    org: OrgOption,
    name: Annotated[str, typer.Option(help="Display name.")],
    slug: Annotated[str, typer.Option(help="Slug, unique in the organization.")],
    status: Annotated[str, typer.Option(help="active, paused or archived.")] = "active",
    description: Annotated[str | None, typer.Option(help="Description.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Create an event group."""
    _checked(name, Name, "--name")
    _checked(slug, Slug, "--slug")
    _checked(status, GroupStatus, "--status")

    async def work(session: AsyncSession) -> str:
        organization = await find_by_slug(session, org)
        group = await create_group(
            session, organization.id, name=name, slug=slug, status=status, description=description
        )
        return group.id

    _print({"groupId": _transaction(work), "slug": slug}, as_json)


@courses.command("create")
def courses_create(
    org: OrgOption,
    name: Annotated[str, typer.Option(help="Display name.")],
    distance_meters: Annotated[float, typer.Option(help="Distance in meters.")],
    distance_standard: Annotated[str, typer.Option(help="5K, 10K, ..., Other.")] = "Other",
    distance_label: Annotated[str | None, typer.Option(help="Display label.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Create a course."""
    _checked(name, Name, "--name")
    _checked(distance_meters, Meters, "--distance-meters")
    _checked(distance_standard, DistanceStandard, "--distance-standard")

    async def work(session: AsyncSession) -> str:
        organization = await find_by_slug(session, org)
        course = await create_course(
            session,
            organization.id,
            name=name,
            distance_meters=distance_meters,
            distance_standard=distance_standard,
            distance_label=distance_label,
        )
        return course.id

    _print({"courseId": _transaction(work)}, as_json)


def main() -> None:
    try:
        get_settings()
    except SettingsError as error:
        # One line an operator can act on, not a traceback.
        typer.echo(f"error: invalid settings: {error}", err=True)
        raise SystemExit(2) from None
    app()
