"""The OpenAPI document is true: Schemathesis fuzzes a live server with every check on.

Zero server errors, zero responses outside their documented schema, zero undocumented
status codes, headers or content types. Bounded by ``MAX_EXAMPLES`` per operation; the
report names the seed to replay a failure with.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

from intervals_server.testing import demo_key, live_server

CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_EXAMPLES = 25
TIMEOUT_S = 300.0


async def _schemathesis(base_url: str, key: str, workdir: Path) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(CONFIG),
        "run",
        f"{base_url}/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--header",
        f"Authorization: Bearer {key}",
        "--no-color",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        cwd=workdir,  # its cache folder goes there, not into the checkout
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), TIMEOUT_S)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, output.decode(errors="replace")


async def test_live_server_conforms_to_its_openapi_document(
    database_url: str, tmp_path: Path
) -> None:
    key = await demo_key(database_url)
    # Thousands of requests in seconds: unthrottled, so every example reaches the handlers
    # (429s are documented and have tests of their own).
    async with live_server(database_url, env={"INTERVALS_RATE_LIMITS": "false"}) as base_url:
        status, report = await _schemathesis(base_url, key, tmp_path)

    assert status == 0, report[-12000:]
    assert re.search(r"\b[1-9]\d* generated, [1-9]\d* passed\b", report), report[-4000:]
