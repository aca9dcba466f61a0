"""A client generated from /openapi.json by a third-party generator builds and imports,
with one readable enum class per enum (openapi-python-client, in about a second)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import Client

# Each enum class of the generated models, with its members: {"DistanceStandard": {...}}.
_PROBE = (
    "import enum, json, generated.models as m; "
    "print(json.dumps({n: {k: v.value for k, v in getattr(m, n).__members__.items()} "
    "for n in dir(m) if isinstance(getattr(m, n), enum.EnumMeta)}))"
)


def _generate_and_import(document: str, folder: Path) -> dict[str, dict[str, object]]:
    (folder / "openapi.json").write_text(document)
    generator = Path(sys.executable).with_name("openapi-python-client")
    command = [str(generator), "generate", "--path", "openapi.json", "--meta", "none"]
    subprocess.run(
        [*command, "--output-path", "generated"],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=120,
    )
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    enums: dict[str, dict[str, object]] = json.loads(probe.stdout)
    return enums


async def test_generated_client_has_one_readable_class_per_enum(
    client: Client, tmp_path: Path
) -> None:
    document = (await client.get("/openapi.json")).text

    enums = _generate_and_import(document, tmp_path)

    named = {
        name
        for name, schema in json.loads(document)["components"]["schemas"].items()
        if "enum" in schema
    }
    by_values: dict[tuple[str, ...], list[str]] = {}
    for name, members in enums.items():
        by_values.setdefault(tuple(sorted(map(str, members.values()))), []).append(name)
    # Two classes with the same values only where the API names two enums (group and
    # recurrence status): never a copy per field that uses one.
    copies = [names for names in by_values.values() if len(names) > 1 and set(names) - named]
    assert copies == []
    assert enums["DistanceStandard"]["FIVE_K"] == "5K"
    assert enums["DistanceStandard"]["HALF_MARATHON"] == "Half Marathon"
