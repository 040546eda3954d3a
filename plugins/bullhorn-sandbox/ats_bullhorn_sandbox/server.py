"""Serve the sandbox on a loopback port with waitress (HTTP/1.1 keep-alive) from a background thread."""

from __future__ import annotations

import http.client
import logging
import threading
from dataclasses import dataclass
from typing import Any

from waitress.server import create_server  # type: ignore[import-untyped]

from ats_bullhorn_sandbox.app import WRONG_DATA_CENTRE, InjectedDisconnect, SandboxApp
from ats_bullhorn_sandbox.clock import Clock
from ats_bullhorn_sandbox.store import SandboxState
from ats_core.sandbox import SandboxOptions

__all__ = ["BullhornSandbox", "create_app", "start_sandbox"]

_READY_TIMEOUT = 10.0
_SERVER_THREADS = 4


class _QuietInjectedFaults(logging.Filter):
    """Keep waitress from logging a traceback for every connection a fault cuts on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], InjectedDisconnect))


_quiet = _QuietInjectedFaults()


def create_app(options: SandboxOptions | None = None, clock: Clock | None = None) -> SandboxApp:
    """An in-process sandbox: a WSGI app for `httpx.Client(transport=httpx.WSGITransport(app=app))`."""
    return SandboxApp(SandboxState(options or SandboxOptions(), clock))


@dataclass
class BullhornSandbox:
    """A started sandbox: where it listens, settings that connect to it, its live state, and stop()."""

    app: SandboxApp
    base_url: str
    server: Any
    thread: threading.Thread

    @property
    def state(self) -> SandboxState:
        return self.app.state

    @property
    def settings(self) -> dict[str, Any]:
        """What a Bullhorn provider needs: the discovery URL, the OAuth key and the API user's login."""
        state = self.state
        return {
            "login_info_url": f"{self.base_url}/rest-services/loginInfo",
            "client_id": state.oauth_client.client_id,
            "client_secret": state.oauth_client.client_secret,
            "username": state.api_user.username,
            "password": state.api_user.password,
        }

    @property
    def extra_credentials(self) -> dict[str, str]:
        """Other ways in: a pre-issued (single-use) refresh token and the wrong data centre's URL."""
        with self.state.lock:
            refresh_token = self.state.auth.issue_refresh_token()
        return {
            "refresh_token": refresh_token,
            "auth_url": f"{self.base_url}/oauth",
            "wrong_data_centre_auth_url": f"{self.base_url}{WRONG_DATA_CENTRE}/oauth",
        }

    def issue_refresh_token(self) -> str:
        """A fresh refresh token for the API user, as if the code flow had just run."""
        with self.state.lock:
            return self.state.auth.issue_refresh_token()

    def stats(self) -> dict[str, Any]:
        return self.state.stats()

    def stop(self) -> None:
        """Stop serving and release the port (idempotent)."""
        if self.thread.is_alive():
            server = self.server
            try:
                server.trigger.pull_trigger(lambda: _close_all(server))
            except OSError:  # the loop already closed its trigger (it is ending): close what is left from here
                _close_all(server)
            self.thread.join(timeout=10)
        self.server.task_dispatcher.shutdown(timeout=5)

    def __enter__(self) -> BullhornSandbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _close_all(server: Any) -> None:
    for channel in list(server._map.values()):
        channel.close()


def _wait_until_ready(host: str, port: int) -> None:
    """One real request over the socket; the listening socket exists before the thread starts."""
    connection = http.client.HTTPConnection(host, port, timeout=_READY_TIMEOUT)
    try:
        connection.request("GET", "/_sandbox/stats")
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise OSError(f"the Bullhorn sandbox answered its readiness check with HTTP {response.status}")
    finally:
        connection.close()


def start_sandbox(options: SandboxOptions | None = None, clock: Clock | None = None) -> BullhornSandbox:
    """Start a Bullhorn sandbox on options.host:options.port (0 = a free port); returns once it answers."""
    options = options or SandboxOptions()
    app = create_app(options, clock)
    logging.getLogger("waitress").addFilter(_quiet)
    server = create_server(
        app, host=options.host, port=options.port, threads=_SERVER_THREADS, ident="bullhorn-sandbox", channel_timeout=30
    )
    port = int(server.effective_port)
    thread = threading.Thread(target=server.run, name="bullhorn-sandbox", daemon=True)
    thread.start()
    host = options.host if ":" not in options.host else f"[{options.host}]"
    sandbox = BullhornSandbox(app, f"http://{host}:{port}", server, thread)
    try:
        _wait_until_ready(options.host, port)
    except OSError:
        sandbox.stop()
        raise
    return sandbox
