"""The command groups, and what runs before any command: --version, the settings check."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from intervals_server.cli._support import current_settings, fail, version

app = typer.Typer(help="Intervals Partner API server.", no_args_is_help=True)
orgs = typer.Typer(help="Organizations (tenants).", no_args_is_help=True)
keys = typer.Typer(help="API keys.", no_args_is_help=True)
groups = typer.Typer(help="Event groups.", no_args_is_help=True)
courses = typer.Typer(help="Courses.", no_args_is_help=True)
app.add_typer(orgs, name="orgs")
app.add_typer(keys, name="keys")
app.add_typer(groups, name="groups")
app.add_typer(courses, name="courses")


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
    from intervals_server.config import SettingsError

    try:
        current_settings()
    except SettingsError as error:
        fail(f"invalid settings: {error}", code=2)
