"""Import rules that keep the layers apart, read from the source with ``ast``.

Every import counts: at the top of a module, inside a function, under ``TYPE_CHECKING``.
The rules (STYLE.md, "Arrows point one way"):

- ``kit/`` imports no application module: only ``kit`` itself.
- No route module imports a repository.
- No module of a domain package imports another domain's repository.
- No module of a domain package but its routes imports a domain above it in ``GRAPH``
  (README, "Layout"); the routes compose domains, handing a lower one what it needs.
- No module imports the raw database drivers outside the db layer.
- Only the routes modules and the outer layer that serves them (``app``, ``cli``,
  ``docs``, ``ops``: the access log wraps the pipeline, ``demo``: it builds request bodies
  the way the API validates them) import the request pipeline, ``http/``: services,
  repositories, schemas, models, ``kit`` and ``db`` know nothing of HTTP.

Each import that breaks a rule today is listed in ``KNOWN`` with the reason it is still
there (the step of issue 14 that removes it), so that a new one fails and the list can
only shrink: a listed import that no longer exists fails too, until it is struck off.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = "intervals_server"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE

# The modules allowed to import the raw drivers: the db layer. Paths relative to ROOT; a
# folder covers everything inside it.
DB_LAYER = ("db/", "testing.py", "migrate.py", "migrations/")
RAW_DRIVERS = frozenset({"asyncpg", "aiosqlite", "sqlite3", "psycopg", "psycopg2"})

KIT = f"{PACKAGE}.kit"
HTTP = f"{PACKAGE}.http"
# Besides the routes modules, where ``http`` may be imported from. Modules relative to
# PACKAGE; a package covers everything inside it.
HTTP_CLIENTS = ("app", "cli", "docs", "ops", "demo")

# The domain graph: the domains each domain may import (besides itself). A domain below
# another takes what it needs of it as an argument; routes may call any domain's service.
GRAPH: dict[str, frozenset[str]] = {
    "registrations": frozenset({"events", "runs"}),
    "events": frozenset({"runs", "recurrences", "groups", "organizations"}),
    "runs": frozenset({"courses"}),
    "recurrences": frozenset({"courses"}),
    "courses": frozenset(),
    "groups": frozenset(),
    "organizations": frozenset(),
    "auth": frozenset(),
}
# Modules any domain may import: the bounds an event keeps, which import only kit.
SHARED = frozenset({f"{PACKAGE}.events.quotas"})

# (importing module, imported module) -> why it is still allowed.
KNOWN: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    """Whether ``name`` (dotted) is a module or package of ours."""
    relative = Path(*name.split("."))
    base = ROOT.parent / relative
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imported_modules(source: str, name: str, *, is_package: bool = False) -> Iterator[str]:
    """Every module the source of module ``name`` imports, anywhere in its body;
    ``from a import b`` counts ``a.b`` when ``b`` is a module of ours, else ``a``."""
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source_module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source_module = node.module or ""
            for alias in node.names:
                submodule = f"{source_module}.{alias.name}"
                yield submodule if is_module(submodule) else source_module


def imports() -> set[tuple[str, str]]:
    return {
        (module_name(path), imported)
        for path in sorted(ROOT.rglob("*.py"))
        for imported in imported_modules(
            path.read_text(), module_name(path), is_package=path.name == "__init__.py"
        )
    }


def domains() -> set[str]:
    """Packages with a repository, but ``kit``: each is a domain."""
    return {f"{PACKAGE}.{path.parent.name}" for path in ROOT.glob("*/repository.py")} - {KIT}


def in_db_layer(module: str) -> bool:
    relative = module.removeprefix(f"{PACKAGE}.").replace(".", "/")
    return any(
        relative == entry.removesuffix(".py") or relative.startswith(entry) for entry in DB_LAYER
    )


def is_ours(module: str) -> bool:
    return module == PACKAGE or module.startswith(f"{PACKAGE}.")


def kit_imports_application(importer: str, imported: str) -> bool:
    in_kit = importer == KIT or importer.startswith(f"{KIT}.")
    return in_kit and is_ours(imported) and not (imported == KIT or imported.startswith(f"{KIT}."))


def route_imports_repository(importer: str, imported: str) -> bool:
    return importer.endswith(".routes") and imported.endswith(".repository") and is_ours(imported)


def imports_other_domains_repository(importer: str, imported: str) -> bool:
    own = next((domain for domain in domains() if importer.startswith(f"{domain}.")), None)
    others = {f"{domain}.repository" for domain in domains() - {own}}
    return own is not None and imported in others


def domain_of(module: str) -> str | None:
    return next((name for name in GRAPH if within(module, f"{PACKAGE}.{name}")), None)


def imports_a_domain_above(importer: str, imported: str) -> bool:
    own, other = domain_of(importer), domain_of(imported)
    if own is None or other is None or own == other or importer.endswith(".routes"):
        return False
    return other not in GRAPH[own] and imported not in SHARED


def imports_raw_driver(importer: str, imported: str) -> bool:
    return imported.split(".")[0] in RAW_DRIVERS and not in_db_layer(importer)


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


def imports_http_outside_the_routes(importer: str, imported: str) -> bool:
    allowed = (
        importer.endswith(".routes")
        or within(importer, HTTP)
        or any(within(importer, f"{PACKAGE}.{client}") for client in HTTP_CLIENTS)
    )
    return within(imported, HTTP) and not allowed


RULES = {
    "kit imports no application module": kit_imports_application,
    "no route imports a repository": route_imports_repository,
    "no domain imports another domain's repository": imports_other_domains_repository,
    "no domain imports one above it": imports_a_domain_above,
    "no module outside the db layer imports a raw driver": imports_raw_driver,
    "only routes and the outer layer import http": imports_http_outside_the_routes,
}


@pytest.mark.parametrize("rule", list(RULES))
def test_no_import_breaks_the_rule(rule: str) -> None:
    breaks = RULES[rule]
    found = sorted(pair for pair in imports() if breaks(*pair) and pair not in KNOWN)
    assert found == [], f"{rule}: " + ", ".join(f"{a} imports {b}" for a, b in found)


def test_the_graph_names_every_domain_and_has_no_cycle() -> None:
    assert {f"{PACKAGE}.{name}" for name in GRAPH} == domains() - {f"{PACKAGE}.db"}
    done: set[str] = set()
    while len(done) < len(GRAPH):
        ready = {name for name, below in GRAPH.items() if below <= done} - done
        assert ready, f"a cycle among {sorted(set(GRAPH) - done)}"
        done |= ready


def test_every_known_exception_still_exists() -> None:
    present = imports()
    gone = sorted(pair for pair in KNOWN if pair not in present)
    assert gone == [], "fixed, strike off KNOWN: " + ", ".join(f"{a} -> {b}" for a, b in gone)


def test_every_known_exception_breaks_a_rule() -> None:
    idle = sorted(pair for pair in KNOWN if not any(rule(*pair) for rule in RULES.values()))
    assert idle == [], "allowed by the rules already: " + ", ".join(map(str, idle))


NESTED = """
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from intervals_server.reads import Reads
def later():
    import asyncpg
    from ..events import repository
    from . import schemas
"""


def test_the_reader_sees_imports_inside_functions_and_under_type_checking() -> None:
    found = set(imported_modules(NESTED, f"{PACKAGE}.runs.service"))
    assert found == {
        "typing",
        f"{PACKAGE}.reads",
        "asyncpg",
        f"{PACKAGE}.events.repository",
        f"{PACKAGE}.runs.schemas",
    }
