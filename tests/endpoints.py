"""Every route the app declares, for tests that must hold on each of them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from intervals_server.app import API_HANDLERS
from intervals_server.http.routing import Endpoint

ENDPOINTS: list[Endpoint] = [handler.opt["endpoint"] for handler in API_HANDLERS]

_PARAMETER = re.compile(r"\{(\w+)(:\w+)?\}")


def sample_path(spec: Endpoint, value: str = "unknown0000000") -> str:
    """The route's path with every path parameter set to ``value``."""
    return _PARAMETER.sub(value, spec.path)


def each_endpoint(where: Callable[[Endpoint], bool] = lambda _: True) -> list[Any]:
    """The ``ENDPOINTS`` that satisfy ``where``, as pytest parameters named ``METHOD /path``."""
    return [
        pytest.param(spec, id=f"{spec.method} {spec.path}") for spec in ENDPOINTS if where(spec)
    ]


def endpoint_for(method: str, path: str) -> Endpoint:
    """The declared route that serves ``method path`` (a query string is ignored)."""
    path = path.split("?")[0]
    for spec in ENDPOINTS:
        pattern = _PARAMETER.sub(r"[^/]+", spec.path)
        if spec.method == method and re.fullmatch(pattern, path):
            return spec
    raise LookupError(f"no route serves {method} {path}")
