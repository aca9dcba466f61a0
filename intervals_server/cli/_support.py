"""What the commands share: one-line errors, one transaction, output, the start log line."""

from __future__ import annotations

import json
import typing
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from intervals_server.config import Settings
    from intervals_server.db import Store
    from intervals_server.kit.rate_limit import Window
    from intervals_server.models import Organization

T = TypeVar("T")

# The distribution whose version `--version` prints.
DISTRIBUTION = "intervals-server"

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


def fail(message: str, code: int = 1) -> NoReturn:
    """One line an operator can act on, on stderr, instead of a traceback."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def current_settings() -> Settings:
    from intervals_server.config import get_settings

    return get_settings()


@contextmanager
def database_errors(database_url: str) -> Iterator[None]:
    """Database errors an operator can fix, as one line saying how."""
    from sqlalchemy.exc import DBAPIError

    from intervals_server.config import without_password
    from intervals_server.db import database_unavailable

    try:
        yield
    except (DBAPIError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        if _schema_out_of_date(reason, error):
            fail("the database has no schema, or an older one: run `intervals migrate`")
        verb = "reach" if database_unavailable(error) else "use"
        # The database's own words (no such database, authentication failed, …) in one line.
        fail(f"cannot {verb} the database {without_password(database_url)}: {reason}")


def _schema_out_of_date(reason: str, error: BaseException) -> bool:
    sqlstate = str(getattr(getattr(error, "orig", None), "sqlstate", None) or "")
    return sqlstate in ("42P01", "42703") or reason.startswith(("no such table", "no such column"))


def existing_database(database_url: str) -> None:
    """Refuse to go on when SQLite's file is missing: connecting would create an empty one."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    if not Path(url.database).exists():
        fail(f"no database at {url.database}: run `intervals migrate` first")


def transaction(work: Callable[[Store], Awaitable[T]]) -> T:
    """Run ``work`` in one write transaction on the existing database (its store holds the
    transaction); an API error exits with its message."""
    import asyncio

    from intervals_server.kit.errors import ApiError

    settings = current_settings()
    existing_database(settings.database_url)

    async def run() -> T:
        from intervals_server.db import Store

        database = settings.database()
        try:
            async with database.write() as session:
                return await work(Store(database, session))
        finally:
            await database.dispose()

    try:
        with database_errors(settings.database_url):
            return asyncio.run(run())
    except ApiError as error:
        if error.errors:
            for field, messages in error.errors.items():
                typer.echo(f"error: {field}: {'; '.join(messages)}", err=True)
        else:
            typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(1) from error


def migrate_database(settings: Settings) -> list[str]:
    from intervals_server import migrate as migrations

    with database_errors(settings.database_url):
        return migrations.upgrade(settings.database_url)


def rate_limit_option(text: str) -> Window | None:
    """The override ``--rate-limit`` asks for; None for the plan's own."""
    from intervals_server.kit.rate_limit import parse_rate

    if text.strip().lower() == "plan":
        return None
    try:
        return parse_rate(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--rate-limit") from exc


def checked(value: T, annotation: Any, option: str) -> T:
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


def print_payload(payload: dict[str, Any], as_json: bool) -> None:
    """``name: value`` lines, or one JSON object; lists print as JSON either way."""
    if as_json:
        typer.echo(json.dumps(payload))
    else:
        for name, value in payload.items():
            typer.echo(f"{name}: {value if isinstance(value, str) else json.dumps(value)}")


async def find_org(session: AsyncSession, reference: str) -> Organization:
    from intervals_server.organizations.service import find_organization

    return await find_organization(session, reference)


def log_start(settings: Settings, command: str, **fields: Any) -> None:
    """One line saying what this process runs on (passwords masked)."""
    from intervals_server.config import without_password
    from intervals_server.ops.logs import get_logger

    get_logger("intervals.cli").info(
        command,
        version=version(),
        database=without_password(settings.database_url),
        redis=without_password(settings.redis_url) if settings.redis_url else None,
        **fields,
    )
