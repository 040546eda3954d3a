"""Shared fixtures of the HTTP layer tests: a real loopback HTTP server run in a thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ServerFactory = Callable[[type[BaseHTTPRequestHandler]], str]


@pytest.fixture
def loopback_server() -> Iterator[ServerFactory]:
    """Start handler classes on 127.0.0.1, port 0; returns the base URL. The socket listens before it returns."""
    servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def start(handler: type[BaseHTTPRequestHandler]) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        serving = threading.Event()

        def serve() -> None:
            serving.set()
            server.serve_forever(poll_interval=0.05)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        assert serving.wait(5), "loopback server thread did not start"
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(5)
