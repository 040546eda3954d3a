"""Run the sandbox on a real loopback socket: waitress in a background thread, HTTP/1.1 keep-alive.

waitress (pure Python, a fixed pool of worker threads, persistent connections) replaces Werkzeug's
development server, which answered every request with `Connection: close` and so made each request cost a
TCP connect on both sides.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
from waitress import wasyncore  # type: ignore[import-untyped]  # waitress ships no type hints
from waitress.channel import HTTPChannel  # type: ignore[import-untyped]
from waitress.server import BaseWSGIServer, MultiSocketServer, create_server  # type: ignore[import-untyped]
from waitress.task import WSGITask  # type: ignore[import-untyped]

from ats_core.sandbox import SandboxOptions
from ats_tempworks_sandbox.app import SOCKET_KEY, SandboxApp
from ats_tempworks_sandbox.state import Clock, SandboxState
from ats_tempworks_sandbox.webhooks import Delivery, WebhookHub

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication, WSGIEnvironment

__all__ = ["WORKER_THREADS", "LoopbackServer", "TempWorksSandbox", "create_app", "start_sandbox"]

WORKER_THREADS = 32
"""Requests served at once: enough for prefetching clients while added latency or a slow body holds threads."""


class _SocketTask(WSGITask):  # type: ignore[misc]
    """A waitress task that hands the app its connection's socket, so a fault can drop the connection."""

    def get_environment(self) -> WSGIEnvironment:
        environ: WSGIEnvironment = super().get_environment()
        environ[SOCKET_KEY] = self.channel.socket
        return environ


class _SocketChannel(HTTPChannel):  # type: ignore[misc]
    task_class = _SocketTask


class LoopbackServer:
    """Any WSGI app served by waitress on a real socket; accepting connections once constructed."""

    def __init__(self, app: WSGIApplication, host: str = "127.0.0.1", port: int = 0) -> None:
        self.server: Any = create_server(
            app,
            host=host,
            port=port,
            threads=WORKER_THREADS,
            ident="ats-tempworks-sandbox",
            log_socket_errors=False,  # dropped connections are injected faults, not errors to log
        )
        listeners = self.server.map.values() if isinstance(self.server, MultiSocketServer) else [self.server]
        for listener in listeners:
            if isinstance(listener, BaseWSGIServer):
                listener.channel_class = _SocketChannel
        bound_host, bound_port = self._bound()
        shown = bound_host if ":" not in bound_host else f"[{bound_host}]"
        self.base_url = f"http://{shown}:{bound_port}"
        self.thread = threading.Thread(target=self.server.run, name="tempworks-sandbox", daemon=True)
        self.thread.start()

    def _bound(self) -> tuple[str, int]:
        if isinstance(self.server, MultiSocketServer):
            host, port = self.server.effective_listen[0]
            return str(host), int(port)
        return str(self.server.effective_host), int(self.server.effective_port)

    def stop(self) -> None:
        """Close every connection, stop serving and release the port (idempotent)."""
        if self.thread.is_alive():
            loop_map = self.server.map if isinstance(self.server, MultiSocketServer) else self.server._map
            # closing the sockets inside the loop thread ends its loop at once (an empty map)
            try:
                self.server.trigger.pull_trigger(lambda: wasyncore.close_all(loop_map))
            except OSError:  # the loop already closed its trigger (it is ending): close what is left from here
                wasyncore.close_all(loop_map)
            self.thread.join(timeout=10)
        self.server.task_dispatcher.shutdown(timeout=5)

    def __enter__(self) -> LoopbackServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class WebhookDeliverer(threading.Thread):
    """Posts queued webhook envelopes to their callback URLs until stopped."""

    def __init__(self, hub: WebhookHub) -> None:
        super().__init__(name="tempworks-sandbox-webhooks", daemon=True)
        self.hub = hub
        self.stopping = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=5.0) as client:
            while not self.stopping.is_set():
                delivery = self.hub.take(timeout=1.0)
                if delivery is not None:
                    self._send(client, delivery)

    def _send(self, client: httpx.Client, delivery: Delivery) -> None:
        subscription = delivery.subscription
        headers = {}
        if subscription.http_header_name and subscription.http_header_value:
            headers[subscription.http_header_name] = subscription.http_header_value
        try:
            ok = client.post(subscription.callback_url, json=delivery.envelope, headers=headers).is_success
        except httpx.HTTPError:
            ok = False
        with self.hub.ready:
            if ok:
                self.hub.delivered += 1
            else:
                self.hub.failed += 1
            self.hub.ready.notify_all()  # tests wait on delivered/failed rather than sleep

    def stop(self) -> None:
        self.stopping.set()
        self.hub.wake()
        self.join(timeout=10)


def create_app(options: SandboxOptions | None = None, clock: Clock | None = None) -> SandboxApp:
    """An in-process sandbox: a WSGI app for `httpx.Client(transport=httpx.WSGITransport(app=app))`."""
    return SandboxApp(SandboxState(options or SandboxOptions(), clock))


@dataclass
class TempWorksSandbox:
    """A started sandbox: base URL, plugin settings, the live state (counters) and stop()."""

    app: SandboxApp
    server: LoopbackServer
    deliverer: WebhookDeliverer
    base_url: str
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def state(self) -> SandboxState:
        return self.app.state

    @property
    def tenant(self) -> SandboxState:
        return self.app.state

    @property
    def webhooks_url(self) -> str:
        """Base URL of the sandbox's webhooks API (TempWorks serves it on a separate host)."""
        return f"{self.base_url}/webhooks/api"

    @property
    def extra_credentials(self) -> dict[str, str]:
        """The static personal access token, for `x-tw-token` or Basic auth."""
        auth = self.state.auth
        return {
            "account_sid": auth.account_sid,
            "auth_token": auth.auth_token,
            "x_tw_token": auth.personal_access_token,
        }

    def stats(self) -> dict[str, Any]:
        return self.state.stats()

    def stop(self) -> None:
        """Stop serving and release the port (idempotent); requests still waiting in latency end at once."""
        self.app.stopping.set()
        self.server.stop()
        if self.deliverer.is_alive():
            self.deliverer.stop()

    def __enter__(self) -> TempWorksSandbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_sandbox(options: SandboxOptions | None = None, clock: Clock | None = None) -> TempWorksSandbox:
    """Start a TempWorks sandbox on options.host:options.port (0 = a free port); returns once it accepts."""
    options = options or SandboxOptions()
    app = create_app(options, clock)
    server = LoopbackServer(app, options.host, options.port)
    deliverer = WebhookDeliverer(app.state.webhooks)
    deliverer.start()
    return TempWorksSandbox(app, server, deliverer, server.base_url, app.settings(server.base_url))
