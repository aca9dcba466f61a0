"""The operator's command line: thin commands that call services.

Only typer and the standard library are imported at start, so ``intervals --help``
answers at once; each command imports what it needs (the database layer, the app) itself.
"""

from __future__ import annotations

import copy
from typing import Any

import typer

from intervals_server.cli import admin, server
from intervals_server.cli._app import app
from intervals_server.cli._support import version

__all__ = ["admin", "app", "main", "server", "version"]


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
            # typer labels an argument's type beside its name whatever its metavar: from
            # 0.29 through display_type_rich, before that through the type's own metavar.
            setattr(param, "display_type_rich", lambda ctx: None)  # noqa: B010
            if hasattr(param, "type"):
                unlabelled = copy.copy(param.type)  # click's types are shared instances
                setattr(unlabelled, "get_metavar", lambda *args, **kwargs: "")  # noqa: B010
                param.type = unlabelled
    for subcommand in getattr(command, "commands", {}).values():
        _without_type_labels(subcommand)


def main() -> None:
    command = typer.main.get_command(app)
    _without_type_labels(command)
    command(prog_name="intervals")
