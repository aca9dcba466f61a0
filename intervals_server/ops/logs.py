"""Logging: one JSON object per line for log shippers, or readable lines on a terminal.

Everything goes through the standard library's ``logging`` (our modules, SQLAlchemy,
granian), rendered by structlog, so every line has the same shape whichever library
wrote it. Never pass secrets as fields: keys and the Authorization header stay out.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, TextIO

import structlog

_HANDLER_NAME = "intervals"


def configure_logging(
    level: str, *, json: bool | None = None, stream: TextIO | None = None
) -> None:
    """Route every log record to ``stream`` (stderr) at ``level``; JSON unless on a TTY.

    Safe to call again (each worker and each app does): it replaces its own handler.
    """
    root = logging.getLogger()
    for previous in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(previous)
    root.addHandler(handler(json=json, stream=stream))
    root.setLevel(level.upper())
    # Alembic's step-by-step lines are replaced by one summary of what was applied.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def handler(*, json: bool | None = None, stream: TextIO | None = None) -> logging.Handler:
    """The one handler: structlog's rendering of any record, on ``stream`` (stderr)."""
    output = stream or sys.stderr
    as_json = not output.isatty() if json is None else json
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if as_json
        else structlog.dev.ConsoleRenderer(colors=output.isatty())
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            *([structlog.processors.format_exc_info] if as_json else []),
            renderer,
        ],
    )
    result = logging.StreamHandler(output)
    result.set_name(_HANDLER_NAME)
    result.setFormatter(formatter)
    return result


def granian_log_config(level: str) -> dict[str, Any]:
    """Granian's ``log_dictconfig``: its own lines (in the server and in each worker, before
    the app has configured logging) go to the same handler, not to stdout in a format of
    their own."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {_HANDLER_NAME: {"()": f"{__name__}.handler"}},
        "root": {"handlers": [_HANDLER_NAME], "level": level.upper()},
        "loggers": {
            "_granian": {"propagate": True},
            "granian.access": {"propagate": True},
        },
    }


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)
