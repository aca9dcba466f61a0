"""The SDK's public surface is small, and it stands on its own."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import intervals_client

PACKAGE = Path(intervals_client.__file__).resolve().parent


def test_public_names_are_pinned() -> None:
    assert set(intervals_client.__all__) == {
        "APIConnectionError",
        "APIError",
        "AsyncClient",
        "AuthenticationError",
        "BadRequestError",
        "Client",
        "ConflictError",
        "InternalServerError",
        "IntervalsError",
        "MethodNotAllowedError",
        "NotFoundError",
        "PayloadTooLargeError",
        "PermissionDeniedError",
        "RateLimitError",
        "RetryPolicy",
        "ServiceUnavailableError",
        "UnsupportedMediaTypeError",
        "ValidationError",
        "__version__",
    }


def test_every_error_is_an_intervals_error() -> None:
    errors = [
        getattr(intervals_client, name) for name in intervals_client.__all__ if "Error" in name
    ]

    assert all(issubclass(error, intervals_client.IntervalsError) for error in errors)


def test_it_depends_on_httpx_only() -> None:
    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["project"]

    assert [dependency.split(">")[0] for dependency in project["dependencies"]] == ["httpx"]


def test_it_imports_nothing_of_the_server() -> None:
    probe = (
        "import sys, intervals_client, intervals_client.types; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'intervals_server'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )

    assert result.stdout.strip() == "[]"
