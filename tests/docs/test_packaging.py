"""The docs travel in the wheel: a server installed from it serves them with no network."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS_FILES = {
    "intervals_server/docs/CHANGELOG.md",
    "intervals_server/docs/static/redoc.standalone.js",
    "intervals_server/docs/static/REDOC-LICENSE",
    "intervals_server/docs/static/reference.js",
    "intervals_server/docs/static/docs.css",
    "intervals_server/docs/pages/authentication.md",
    "intervals_server/docs/pages/errors.md",
    "intervals_server/docs/pages/pagination.md",
    "intervals_server/docs/pages/rate-limits.md",
    "intervals_server/docs/pages/idempotency.md",
    "intervals_server/docs/pages/compatibility.md",
}


def test_wheel_holds_the_docs_pages_and_the_renderer(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("intervals_server-*.whl")

    names = set(zipfile.ZipFile(wheel).namelist())
    assert names >= DOCS_FILES
