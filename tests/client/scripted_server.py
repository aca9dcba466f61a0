"""A real HTTP server on 127.0.0.1 that answers a script, for the SDK's retry behaviour.

The live API cannot be made to fail on cue (a 503, a dropped connection, a 429); this
server can, and records what the SDK sent, so the tests watch real HTTP on a real socket
rather than mocking the HTTP library.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DROP = "drop"  # close the connection without answering


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def error(status: int, code: str, **extra: Any) -> Reply:
    headers = {"Retry-After": str(extra.pop("retry_after"))} if "retry_after" in extra else {}
    return Reply(status, {"error": {"code": code, "message": code, **extra}}, headers)


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class ScriptedServer:
    def __init__(self, replies: list[Reply | str]) -> None:
        self.replies = list(replies)
        self.received: list[Received] = []
        self._lock = threading.Lock()

    def next_reply(self, request: Received) -> Reply | str:
        with self._lock:
            self.received.append(request)
            return self.replies.pop(0) if self.replies else error(500, "SCRIPT_EXHAUSTED")


def _handler(script: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Received(
                self.command,
                self.path,
                {name.lower(): value for name, value in self.headers.items()},
                self.rfile.read(length),
            )
            reply = script.next_reply(request)
            if reply == DROP:
                self.close_connection = True
                return
            assert isinstance(reply, Reply)
            content = json.dumps(reply.body).encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PATCH = _answer

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output clean

    return Handler


@contextmanager
def scripted_server(replies: list[Reply | str]) -> Iterator[tuple[str, ScriptedServer]]:
    """Serve ``replies`` in order on a free port; yield the base URL and the script."""
    script = ScriptedServer(replies)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", script
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
