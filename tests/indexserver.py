"""A package index on loopback for tests: PEP 691 JSON pages and Cargo sparse index files,
served by `http.server` in a thread, with answers that are slow, fail or are garbage."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    delay: float = 0.0
    content_type: str = "application/vnd.pypi.simple.v1+json"


@dataclass
class Index:
    """The server's address and what it answers; every request's path and Accept header
    are recorded."""

    url: str
    answers: dict[str, Answer] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)

    @property
    def simple(self) -> str:
        return f"{self.url}/simple/"

    @property
    def sparse(self) -> str:
        return f"{self.url}/crates/"

    def project(
        self, name: str, versions: list[str] | None = None, files: list[str] | None = None
    ) -> None:
        """A PEP 691 project page, with PEP 700 `versions` when given, else just files."""
        document: dict[str, object] = {"meta": {"api-version": "1.1"}, "name": name}
        document["files"] = [
            {"filename": f, "url": f"../../files/{f}", "hashes": {}} for f in files or []
        ]
        if versions is not None:
            document["versions"] = versions
        self.answers[f"/simple/{name}/"] = Answer(body=json.dumps(document).encode())

    def crate(self, path: str, versions: list[str]) -> None:
        """A sparse index file at `path` (e.g. `se/rd/serde`), one JSON object per line."""
        lines = [
            json.dumps(
                {
                    "name": path.rsplit("/", 1)[1],
                    "vers": v,
                    "deps": [],
                    "cksum": "0" * 64,
                    "features": {},
                    "yanked": False,
                }
            )
            for v in versions
        ]
        self.answers[f"/crates/{path}"] = Answer(
            body="\n".join(lines).encode() + b"\n", content_type="text/plain"
        )


def _handler(index: Index) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            index.requests.append((self.path, self.headers.get("Accept", "")))
            answer = index.answers.get(
                self.path, Answer(status=404, body=b"not found", content_type="text/plain")
            )
            time.sleep(answer.delay)
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
            except OSError:  # the client gave up (a timeout test)
                pass

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def index() -> Iterator[Index]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Index("")))
    server.daemon_threads = True
    host, port = server.server_address[:2]
    served = Index(f"http://{host!s}:{port}")
    server.RequestHandlerClass = _handler(served)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
