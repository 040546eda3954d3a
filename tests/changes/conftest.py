"""A TempWorks sandbox delivering webhooks to a uvicorn receiver on loopback, over a SQLite fleet database."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from ats_tempworks_sandbox.server import TempWorksSandbox, start_sandbox
from ats_tempworks_sandbox.state import SandboxOptions
from change_feed_harness import NAME, SECRET, WAIT_SECONDS, Receiver, Refreshes

from ats_core.changes.refresh import RefreshKey
from ats_core.changes.service import build_service
from ats_core.connections import Connection
from ats_core.fleet import Database, open_database


@pytest.fixture(scope="module")
def sandbox() -> Iterator[TempWorksSandbox]:
    running = start_sandbox(SandboxOptions(size=8, seed=5))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture()
def connection(sandbox: TempWorksSandbox, monkeypatch: pytest.MonkeyPatch) -> Connection:
    settings = dict(sandbox.settings)
    monkeypatch.setenv("ACME_CLIENT_SECRET", str(settings.pop("client_secret")))
    monkeypatch.setenv("ACME_WEBHOOK_HEADER", SECRET)
    return Connection(
        name=NAME,
        provider="tempworks",
        settings={**settings, "requests_per_window": 10_000, "window_seconds": 1},
        secrets={
            "client_secret": {"env": "ACME_CLIENT_SECRET"},
            "webhook_header_value": {"env": "ACME_WEBHOOK_HEADER"},
        },
        streams={"candidates": {"every": "15m"}},
    )


@pytest.fixture()
def database(tmp_path: Path) -> Iterator[Database]:
    opened = open_database(f"sqlite:///{tmp_path / 'ats.db'}")
    try:
        yield opened
    finally:
        opened.dispose()


@pytest.fixture()
def receiver(database: Database, connection: Connection) -> Iterator[Receiver]:
    service = build_service(database, {NAME: connection}, window_seconds=0.05)
    refreshes = Refreshes()
    observe = service.refresher.on_refreshed
    assert observe is not None

    def refreshed(key: RefreshKey, lag: float) -> None:
        observe(key, lag)
        refreshes.add(key, lag)

    service.refresher.on_refreshed = refreshed
    listener = socket.socket()
    # as uvicorn does for sockets it binds itself; without it every response waits ~40 ms for a delayed ACK
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)  # bound and listening before uvicorn runs: requests wait in the backlog, none is refused
    server = uvicorn.Server(uvicorn.Config(service.app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    host, port = listener.getsockname()
    with httpx.Client(base_url=f"http://{host}:{port}", timeout=WAIT_SECONDS) as http:
        assert http.get("/health").json() == {"status": "ok"}  # answered once uvicorn serves: the readiness wait
        try:
            yield Receiver(f"http://{host}:{port}", service, refreshes, http)
        finally:
            server.should_exit = True
            thread.join(WAIT_SECONDS)
            service.close()
            listener.close()
