"""Run the sandbox on a real loopback socket in a background thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from ats_core.sandbox import SandboxOptions
from ats_tempworks_sandbox.app import SandboxApp
from ats_tempworks_sandbox.state import Clock, SandboxState
from ats_tempworks_sandbox.webhooks import Delivery, WebhookHub

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ["LoopbackServer", "TempWorksSandbox", "create_app", "start_sandbox"]


class _QuietHandler(WSGIRequestHandler):
    """Request handler that does not log every request line to stderr."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


class LoopbackServer:
    """Any WSGI app served on a real socket by a background thread; accepting connections once constructed."""

    def __init__(self, app: WSGIApplication, host: str = "127.0.0.1", port: int = 0) -> None:
        self.server: BaseWSGIServer = make_server(host, port, app, threaded=True, request_handler=_QuietHandler)
        self.server.daemon_threads = True  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.serve_forever, name="tempworks-sandbox", daemon=True)
        self.thread.start()
        shown = host if ":" not in host else f"[{host}]"
        self.base_url = f"http://{shown}:{self.server.server_port}"

    def stop(self) -> None:
        """Stop serving and release the port (idempotent)."""
        if self.thread.is_alive():
            self.server.shutdown()
            self.thread.join(timeout=10)
        self.server.server_close()

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
        """Stop serving and release the port (idempotent)."""
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
