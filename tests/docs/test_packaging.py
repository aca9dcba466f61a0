"""The docs travel in the wheel: a server installed from it serves them with no network."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS_FILES = {
    "intervals/docs/CHANGELOG.md",
    "intervals/docs/static/redoc.standalone.js",
    "intervals/docs/static/REDOC-LICENSE",
    "intervals/docs/static/reference.js",
    "intervals/docs/static/docs.css",
    "intervals/docs/pages/authentication.md",
    "intervals/docs/pages/errors.md",
    "intervals/docs/pages/pagination.md",
    "intervals/docs/pages/rate-limits.md",
    "intervals/docs/pages/idempotency.md",
}


def test_wheel_holds_the_docs_pages_and_the_renderer(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("intervals-*.whl")

    names = set(zipfile.ZipFile(wheel).namelist())
    assert names >= DOCS_FILES
