"""The operator's command line: thin commands that call services.

Only typer and the standard library are imported here at start, so ``intervals --help``
answers at once; each command imports what it needs (the database layer, the app) itself.
"""

from __future__ import annotations

import json
import sys
import typing
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from intervals.auth.scopes import ALL_SCOPES, Scope

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from intervals.auth.service import IssuedKey
    from intervals.config import Settings
    from intervals.kit.rate_limit import Window
    from intervals.models import ApiKey, Organization

T = TypeVar("T")

# The distribution whose version `--version` prints.
DISTRIBUTION = "intervals"

app = typer.Typer(help="Intervals Partner API server.", no_args_is_help=True)
orgs = typer.Typer(help="Organizations (tenants).", no_args_is_help=True)
keys = typer.Typer(help="API keys.", no_args_is_help=True)
groups = typer.Typer(help="Event groups.", no_args_is_help=True)
courses = typer.Typer(help="Courses.", no_args_is_help=True)
app.add_typer(orgs, name="orgs")
app.add_typer(keys, name="keys")
app.add_typer(groups, name="groups")
app.add_typer(courses, name="courses")

OrgOption = Annotated[str, typer.Option("--org", help="The organization's ID or slug.")]
KeyArgument = Annotated[
    str, typer.Argument(help="The key's ID (ak…) or its prefix as `keys list` shows it.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
RateLimitOption = Annotated[
    str | None,
    typer.Option(
        "--rate-limit",
        help="Override the plan's rate for this key: N/min, N/hour, N/day, N/s or N/<k>s; "
        "'plan' restores the plan's.",
    ),
]


def version() -> str:
    """This installation's version, as its distribution declares it."""
    from importlib.metadata import version as distribution_version

    return distribution_version(DISTRIBUTION)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"intervals {version()}")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=_print_version
        ),
    ] = False,
) -> None:
    """Intervals Partner API server."""
    # Checked before any command runs (not for its --help, kept fast): one line, not a trace.
    if "--help" in sys.argv[1:]:
        return
    from intervals.config import SettingsError

    try:
        _settings()
    except SettingsError as error:
        _fail(f"invalid settings: {error}", code=2)


def _fail(message: str, code: int = 1) -> NoReturn:
    """One line an operator can act on, on stderr, instead of a traceback."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _settings() -> Settings:
    from intervals.config import get_settings

    return get_settings()


@contextmanager
def _database_errors(database_url: str) -> Iterator[None]:
    """Database errors an operator can fix, as one line saying how."""
    from sqlalchemy.exc import DBAPIError

    from intervals.config import without_password
    from intervals.db import database_unavailable

    try:
        yield
    except (DBAPIError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        if _schema_out_of_date(reason, error):
            _fail("the database has no schema, or an older one: run `intervals migrate`")
        if database_unavailable(error):
            _fail(f"cannot reach the database {without_password(database_url)}: {reason}")
        raise


def _schema_out_of_date(reason: str, error: BaseException) -> bool:
    sqlstate = str(getattr(getattr(error, "orig", None), "sqlstate", None) or "")
    return sqlstate in ("42P01", "42703") or reason.startswith(("no such table", "no such column"))


def _existing_database(database_url: str) -> None:
    """Refuse to go on when SQLite's file is missing: connecting would create an empty one."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    if not Path(url.database).exists():
        _fail(f"no database at {url.database}: run `intervals migrate` first")


def _transaction(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one write transaction on the existing database; an API error exits
    with its message."""
    import asyncio

    from intervals.kit.errors import ApiError

    settings = _settings()
    _existing_database(settings.database_url)

    async def run() -> T:
        database = settings.database()
        try:
            async with database.write() as session:
                return await work(session)
        finally:
            await database.dispose()

    try:
        with _database_errors(settings.database_url):
            return asyncio.run(run())
    except ApiError as error:
        if error.errors:
            for field, messages in error.errors.items():
                typer.echo(f"error: {field}: {'; '.join(messages)}", err=True)
        else:
            typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(1) from error


def _migrate(settings: Settings) -> list[str]:
    from intervals import migrate as migrations

    with _database_errors(settings.database_url):
        return migrations.upgrade(settings.database_url)


def _rate_limit(text: str) -> Window | None:
    """The override ``--rate-limit`` asks for; None for the plan's own."""
    from intervals.kit.rate_limit import parse_rate

    if text.strip().lower() == "plan":
        return None
    try:
        return parse_rate(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--rate-limit") from exc


def _checked(value: T, annotation: Any, option: str) -> T:
    """``value`` if the API would accept it where ``annotation`` applies; else a usage error."""
    import msgspec

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
    """``name: value`` lines, or one JSON object; lists print as JSON either way."""
    if as_json:
        typer.echo(json.dumps(payload))
    else:
        for name, value in payload.items():
            typer.echo(f"{name}: {value if isinstance(value, str) else json.dumps(value)}")


async def _organization(session: AsyncSession, reference: str) -> Organization:
    from intervals.organizations.service import find_organization

    return await find_organization(session, reference)


def _log_start(settings: Settings, command: str, **fields: Any) -> None:
    """One line saying what this process runs on (passwords masked)."""
    from intervals.config import without_password
    from intervals.ops.logs import get_logger

    get_logger("intervals.cli").info(
        command,
        version=version(),
        database=without_password(settings.database_url),
        redis=without_password(settings.redis_url) if settings.redis_url else None,
        **fields,
    )


@app.command()
def migrate() -> None:
    """Apply pending database migrations and say which."""
    from intervals import migrate as migrations
    from intervals.ops.logs import configure_logging

    settings = _settings()
    configure_logging(settings.log_level)
    applied = _migrate(settings)
    if applied:
        for revision in applied:
            typer.echo(f"applied {revision}")
    else:
        typer.echo(f"nothing to apply: the database is at {migrations.newest_revision()}")


@app.command()
def demo(as_json: JsonOption = False) -> None:
    """Seed the demo running club and print an API key holding every scope."""
    from intervals.demo import seed_demo

    _migrate(_settings())
    credentials = _transaction(seed_demo)
    _print(
        {
            "organizationId": credentials.organization_id,
            "slug": credentials.slug,
            "apiKey": credentials.api_key,
        },
        as_json,
    )


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refuse_shared_sqlite(settings: Settings, host: str, workers: int, allowed: bool) -> None:
    """SQLite serves one machine's trial well; several workers or other hosts mean production."""
    if allowed or settings.allow_sqlite:
        return
    if not settings.database_url.startswith("sqlite"):
        return
    reasons = [f"--workers {workers}"] if workers > 1 else []
    if not _loopback(host):
        reasons.append(f"--host {host}")
    if reasons:
        _fail(
            f"SQLite with {' and '.join(reasons)}: SQLite is for trying Intervals on one "
            "machine; use PostgreSQL (INTERVALS_DATABASE_URL=postgresql://…), or pass "
            "--allow-sqlite (or set INTERVALS_ALLOW_SQLITE=true) to run it so",
            code=2,
        )


def _refuse_taken_port(host: str, port: int) -> None:
    """Fail before any migration or seeding when the server could not listen anyway."""
    import socket

    try:
        family, kind, protocol, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError) as exc:
        _fail(f"cannot listen on {host}:{port}: {exc}")
    with socket.socket(family, kind, protocol) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            _fail(
                f"cannot listen on {host}:{port}: {exc.strerror or exc} "
                "(another server? choose another --port)"
            )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    with_demo: Annotated[bool, typer.Option("--demo", help="Seed the demo club first.")] = False,
    run_migrations: Annotated[
        bool, typer.Option("--migrate/--no-migrate", help="Apply migrations before serving.")
    ] = True,
    allow_sqlite: Annotated[
        bool,
        typer.Option(
            "--allow-sqlite",
            help="Serve SQLite with several workers or on a non-loopback --host anyway.",
        ),
    ] = False,
) -> None:
    """Serve the API (granian, one process per worker)."""
    import multiprocessing

    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    from intervals.ops.logs import configure_logging, get_logger, granian_log_config

    settings = _settings()
    configure_logging(settings.log_level)
    _refuse_shared_sqlite(settings, host, workers, allow_sqlite)
    _log_start(
        settings,
        "serve",
        host=host,
        port=port,
        workers=workers,
        publish_interval_seconds=settings.publish_interval_seconds,
    )
    _refuse_taken_port(host, port)
    if run_migrations:
        get_logger("intervals.cli").info("migrated", applied=_migrate(settings))
    if with_demo:
        from intervals.demo import seed_demo

        credentials = _transaction(seed_demo)
        base = f"http://{host}:{port}"
        typer.echo(f"Demo organization: {credentials.organization_id} ({credentials.slug})")
        typer.echo(f"Demo API key (shown once): {credentials.api_key}")
        typer.echo(
            f'Try: curl -H "Authorization: Bearer {credentials.api_key}" '
            f'"{base}/recurrences?status=active&limit=20"'
        )
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
            log_access=False,
            log_level=LogLevels(settings.log_level.lower()),
            log_dictconfig=granian_log_config(settings.log_level),
            workers_kill_timeout=WORKERS_KILL_TIMEOUT_S,
        ).serve()


# How long SIGTERM waits for a worker's in-flight requests before killing it.
WORKERS_KILL_TIMEOUT_S = 30


@contextmanager
def _metrics_folder() -> Iterator[None]:
    """The workers' shared metrics folder: the operator's ``PROMETHEUS_MULTIPROC_DIR``
    (cleared at start), else a temporary one removed at exit."""
    import os
    import tempfile

    from intervals.ops import metrics

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
    import asyncio
    import signal

    from intervals.ops.logs import configure_logging
    from intervals.recurrences.publisher import publish_all, publish_periodically

    settings = _settings()
    seconds = interval or settings.publish_interval_seconds or 60
    configure_logging(settings.log_level)
    _existing_database(settings.database_url)
    _log_start(settings, "publish", once=once, interval_seconds=None if once else seconds)

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

    with _database_errors(settings.database_url):
        asyncio.run(run())


def _organization_row(organization: Organization) -> dict[str, Any]:
    return {
        "organizationId": organization.id,
        "slug": organization.slug,
        "name": organization.name,
        "plan": organization.plan,
        "timezone": organization.timezone,
        "roles": organization.roles,
    }


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
    from intervals.kit.schemas import Name, Slug
    from intervals.organizations.schemas import Plan, Role
    from intervals.organizations.service import create_organization

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


@orgs.command("list")
def orgs_list(as_json: JsonOption = False) -> None:
    """List the organizations, oldest first."""
    from intervals.organizations.service import list_organizations

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        return [_organization_row(each) for each in await list_organizations(session)]

    rows = _transaction(work)
    if as_json:
        typer.echo(json.dumps(rows))
        return
    for row in rows:
        typer.echo(
            f"{row['organizationId']}  {row['slug']}  {row['name']}  {row['plan']}  "
            f"{row['timezone']}  {json.dumps(row['roles'])}"
        )


@orgs.command("update")
def orgs_update(
    org: Annotated[str, typer.Argument(help="The organization's ID or slug.")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    plan: Annotated[str | None, typer.Option(help="free, local, elite or enterprise.")] = None,
    timezone: Annotated[str | None, typer.Option(help="IANA time zone.")] = None,
    role: Annotated[
        list[str] | None,
        typer.Option(help="organizer, sponsor, federation; repeat for more (replaces them)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Change an organization's name, plan, time zone or roles."""
    from intervals.kit.schemas import Name
    from intervals.organizations.schemas import Plan, Role
    from intervals.organizations.service import update_organization

    if name is None and plan is None and timezone is None and not role:
        raise typer.BadParameter("nothing to change: give --name, --plan, --timezone or --role")
    if name is not None:
        _checked(name, Name, "--name")
    if plan is not None:
        _checked(plan, Plan, "--plan")
    for each in role or []:
        _checked(each, Role, "--role")

    async def work(session: AsyncSession) -> dict[str, Any]:
        organization = await update_organization(
            session,
            await _organization(session, org),
            name=name,
            plan=plan,
            timezone=timezone,
            roles=role or None,
        )
        return _organization_row(organization)

    _print(_transaction(work), as_json)


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
    from intervals.auth import service as keys_service
    from intervals.kit.rate_limit import format_rate

    scopes = list(ALL_SCOPES) if all_scopes else scope or []
    if not scopes:
        raise typer.BadParameter("give --scope at least once, or --all-scopes")
    limit = _rate_limit(rate_limit) if rate_limit else None

    async def work(session: AsyncSession) -> IssuedKey:
        organization = await _organization(session, org)
        return await keys_service.issue_key(
            session, organization.id, name=name, scopes=scopes, rate_limit=limit
        )

    issued = _transaction(work)
    _print(
        {
            "keyId": issued.key.id,
            "apiKey": issued.secret,
            "scopes": list(issued.key.scopes),
            "rateLimit": format_rate(limit) if limit else "plan",
        },
        as_json,
    )


@keys.command("update")
def keys_update(key: KeyArgument, rate_limit: RateLimitOption = None) -> None:
    """Change a key: its rate limit override."""
    from intervals.auth import service as keys_service
    from intervals.kit.rate_limit import format_rate

    if rate_limit is None:
        raise typer.BadParameter("nothing to change: give --rate-limit")
    limit = _rate_limit(rate_limit)

    async def work(session: AsyncSession) -> str:
        found = await keys_service.find_key(session, key)
        await keys_service.set_rate_limit(session, found.id, limit)
        return found.id

    key_id = _transaction(work)
    typer.echo(f"{key_id}: rate limit {format_rate(limit) if limit else 'of the plan'}")


def _key_row(key: ApiKey) -> dict[str, Any]:
    from intervals.kit.rate_limit import Window, format_rate

    return {
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


@keys.command("list")
def keys_list(org: OrgOption, as_json: JsonOption = False) -> None:
    """List an organization's keys (prefixes only; secrets are never stored)."""
    from intervals.auth import service as keys_service

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        organization = await _organization(session, org)
        return [_key_row(key) for key in await keys_service.list_keys(session, organization.id)]

    rows = _transaction(work)
    if as_json:
        typer.echo(json.dumps(rows))
        return
    for row in rows:
        state = f"revoked {row['revokedAt']}" if row["revokedAt"] else "active"
        typer.echo(
            f"{row['keyId']}  {row['prefix']}…  {row['name']}  {state}  "
            f"{json.dumps(row['scopes'])}"
        )


@keys.command("revoke")
def keys_revoke(key: KeyArgument) -> None:
    """Revoke a key: requests with it are refused from now on. Revoking twice is fine."""
    from intervals.auth import service as keys_service

    async def work(session: AsyncSession) -> str:
        found = await keys_service.find_key(session, key)
        if found.revoked_at is None and await keys_service.revoke_key(session, found.id):
            return f"revoked {found.id}"
        return f"{found.id} was already revoked"

    typer.echo(_transaction(work))


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
    from intervals.groups.schemas import GroupStatus
    from intervals.groups.service import create_group
    from intervals.kit.schemas import Name, Slug

    _checked(name, Name, "--name")
    _checked(slug, Slug, "--slug")
    _checked(status, GroupStatus, "--status")

    async def work(session: AsyncSession) -> str:
        organization = await _organization(session, org)
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
    from intervals.courses.service import create_course
    from intervals.kit.schemas import Name
    from intervals.runs.schemas import DistanceStandard, Meters

    _checked(name, Name, "--name")
    _checked(distance_meters, Meters, "--distance-meters")
    _checked(distance_standard, DistanceStandard, "--distance-standard")

    async def work(session: AsyncSession) -> str:
        organization = await _organization(session, org)
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


def _without_type_labels(command: Any) -> None:
    """Help reads ``--port PORT``, ``--demo`` and ``KEY``, not typer's ``<int>``, ``<bool>``
    and ``<str>`` (typer's own labels, which newcomers read as syntax to type)."""
    help_option = command.get_help_option(command.context_class(command))
    for param in [*command.params, *([help_option] if help_option else [])]:
        descriptor = getattr(param, "type_descriptor", None) or getattr(param, "type", None)
        choices = getattr(descriptor, "choices", None)
        if getattr(param, "is_flag", False):
            label = ""
        elif choices:
            label = "[" + "|".join(map(str, choices)) + "]"
        else:
            label = (param.name or "value").upper()
        if param.metavar is None:
            param.metavar = label
        if param.param_type_name == "argument":
            # typer labels an argument's type beside its name whatever its metavar.
            setattr(param, "display_type_rich", lambda ctx: None)  # noqa: B010
    for subcommand in getattr(command, "commands", {}).values():
        _without_type_labels(subcommand)


def main() -> None:
    command = typer.main.get_command(app)
    _without_type_labels(command)
    command(prog_name="intervals")
