"""Commands that run the service: migrate, demo, serve, publish."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from intervals_server.cli._app import app
from intervals_server.cli._support import (
    JsonOption,
    current_settings,
    database_errors,
    existing_database,
    fail,
    log_start,
    migrate_database,
    print_payload,
    transaction,
)

if TYPE_CHECKING:
    from intervals_server.config import Settings

# What `intervals serve` serves: the app factory granian imports in each worker.
APP_FACTORY = "intervals_server.app:create_app"


@app.command()
def migrate() -> None:
    """Apply pending database migrations and say which."""
    from intervals_server import migrate as migrations
    from intervals_server.ops.logs import configure_logging

    settings = current_settings()
    configure_logging(settings.log_level)
    applied = migrate_database(settings)
    if applied:
        for revision in applied:
            typer.echo(f"applied {revision}")
    else:
        typer.echo(f"nothing to apply: the database is at {migrations.newest_revision()}")


@app.command()
def demo(as_json: JsonOption = False) -> None:
    """Seed the demo running club and print an API key holding every scope."""
    from intervals_server.demo import seed_demo

    migrate_database(current_settings())
    credentials = transaction(seed_demo)
    print_payload(
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
        fail(
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
        fail(f"cannot listen on {host}:{port}: {exc}")
    with socket.socket(family, kind, protocol) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            fail(
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
    # Hidden: the benchmark serves the app with one more route (bench/ceiling_app.py)
    # through everything else this command sets up.
    app_factory: Annotated[
        str, typer.Option("--app-factory", hidden=True, help="module:callable to serve.")
    ] = APP_FACTORY,
) -> None:
    """Serve the API (granian, one process per worker)."""
    import multiprocessing
    import os

    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels

    from intervals_server.ops.logs import configure_logging, get_logger, granian_log_config

    _create_metrics_folder()
    settings = current_settings()
    configure_logging(settings.log_level)
    _refuse_shared_sqlite(settings, host, workers, allow_sqlite)
    if settings.metrics_token is None and not _loopback(host):
        get_logger("intervals.cli").warning(
            f"/metrics answers anyone who can reach {host}:{port}; set INTERVALS_METRICS_TOKEN"
        )
    log_start(
        settings,
        "serve",
        host=host,
        port=port,
        workers=workers,
        publish_interval_seconds=settings.publish_interval_seconds,
    )
    _refuse_taken_port(host, port)
    if run_migrations:
        get_logger("intervals.cli").info("migrated", applied=migrate_database(settings))
    if with_demo:
        from intervals_server.demo import seed_demo

        credentials = transaction(seed_demo)
        base = f"http://{host}:{port}"
        typer.echo(f"Demo organization: {credentials.organization_id} ({credentials.slug})")
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
            app_factory,
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
            log_level=LogLevels(settings.log_level.lower()),
            log_dictconfig=granian_log_config(settings.log_level),
            workers_kill_timeout=WORKERS_KILL_TIMEOUT_S,
        ).serve()


# How long SIGTERM waits for a worker's in-flight requests before killing it.
WORKERS_KILL_TIMEOUT_S = 30
WORKERS_ENV = "INTERVALS_WORKERS"


def _create_metrics_folder() -> None:
    """Create the operator's ``PROMETHEUS_MULTIPROC_DIR`` before anything imports
    prometheus_client, which writes there from the first metric it declares."""
    import os

    configured = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if configured:
        Path(configured).mkdir(parents=True, exist_ok=True)


@contextmanager
def _metrics_folder() -> Iterator[None]:
    """The workers' shared metrics folder: the operator's ``PROMETHEUS_MULTIPROC_DIR``
    (cleared at start), else a temporary one removed at exit."""
    import os
    import tempfile

    from intervals_server.ops import metrics

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

    from intervals_server.ops.logs import configure_logging
    from intervals_server.ops.metrics import record_publish_pass
    from intervals_server.recurrences.publisher import publish_all, publish_periodically

    _create_metrics_folder()
    settings = current_settings()
    seconds = interval or settings.publish_interval_seconds or 60
    configure_logging(settings.log_level)
    existing_database(settings.database_url)
    log_start(settings, "publish", once=once, interval_seconds=None if once else seconds)

    async def run() -> None:
        # SIGTERM or Ctrl-C: finish the batch in hand, then exit.
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        database = settings.database()
        try:
            if once:
                # Counted like the periodic publisher's passes, so a cron job's show on
                # /metrics when it shares the server's PROMETHEUS_MULTIPROC_DIR.
                try:
                    created = await publish_all(database, stop=stop)
                except Exception:
                    record_publish_pass(None)
                    raise
                record_publish_pass(created)
                typer.echo(f"published {created} runs")
            else:
                await publish_periodically(database, seconds, stop=stop)
        finally:
            await database.dispose()

    with database_errors(settings.database_url):
        asyncio.run(run())
