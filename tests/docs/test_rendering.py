"""The reference as a partner's browser shows it: headless Chromium against a live server."""

from __future__ import annotations

import asyncio
import shutil
import tempfile

from intervals_server.testing import live_server
from tests.endpoints import ENDPOINTS

BROWSER_TIMEOUT_S = 120.0


async def _rendered_dom(url: str) -> str:
    """The page's DOM after its scripts ran, as Chromium dumps it."""
    browser = shutil.which("chromium")
    assert browser, "chromium is not installed: `apt-get install -y chromium` (.ci/run does)"
    with tempfile.TemporaryDirectory(prefix="intervals-chromium-") as profile:
        process = await asyncio.create_subprocess_exec(
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            # Virtual time lets the renderer fetch the document and render before the dump.
            "--virtual-time-budget=15000",
            "--dump-dom",
            url,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(), BROWSER_TIMEOUT_S)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert process.returncode == 0, stderr.decode(errors="replace")[-3000:]
    return stdout.decode()


async def test_reference_renders_every_endpoint_in_a_browser(database_url: str) -> None:
    async with live_server(database_url) as base_url:
        dom = await _rendered_dom(f"{base_url}/docs")

    missing = [
        spec.operation_id for spec in ENDPOINTS if f"operation/{spec.operation_id}" not in dom
    ]
    assert not missing, dom[-3000:]
    assert "All recurrences" in dom
