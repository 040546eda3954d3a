"""The change-feed receiver `ats serve` runs: verify, bound, store once, answer at once, refresh after.

POST /changes/{connection}   a provider's webhook delivery (202; 401 unverified; 400 malformed;
                             413 too large; 404 unknown connection)
GET  /health                 200 {"status": "ok"} while the database answers
GET  /metrics                Prometheus text format
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ats_core.changes.inbox import StoredEvents, store_events
from ats_core.changes.metrics import ReceiverMetrics
from ats_core.changes.refresh import REFRESHABLE, RefreshEngine, RefreshKey
from ats_core.client import ATSClient
from ats_core.connections import Connection
from ats_core.errors import AuthenticationFailed, ConfigurationError, InvalidInput
from ats_core.fleet.database import Database
from ats_core.models import ChangeEvent

__all__ = ["DEFAULT_MAX_BODY_BYTES", "ReceiverConfig", "create_receiver"]

logger = logging.getLogger("ats_core.changes")

DEFAULT_MAX_BODY_BYTES = 256 * 1024
"""Webhook envelopes are small (TempWorks' payloads carry ids); anything larger is refused unread."""


class BodyTooLarge(Exception):
    """The delivery is larger than the receiver accepts."""


class ReceiverConfig:
    """What the receiver needs: the database, the connections by name, the refresh engine and its limits."""

    def __init__(
        self,
        database: Database,
        connections: dict[str, Connection],
        engine: RefreshEngine,
        *,
        metrics: ReceiverMetrics | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        connect: Callable[[Connection], ATSClient] = lambda connection: connection.connect(),
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.database = database
        self.connections = connections
        self.engine = engine
        self.metrics = metrics or ReceiverMetrics()
        self.max_body_bytes = max_body_bytes
        self.now = now
        self._connect = connect
        self._clients: dict[str, ATSClient] = {}
        self._lock = threading.Lock()

    def parse(self, connection: Connection, headers: dict[str, str], body: bytes) -> list[ChangeEvent]:
        """The provider's reading of a delivery (verification included), one call at a time per receiver."""
        with self._lock:
            client = self._clients.get(connection.name)
            if client is None:
                client = self._clients[connection.name] = self._connect(connection)
            return client.parse_change_event(headers, body)

    def accept(self, connection: Connection, headers: dict[str, str], body: bytes) -> StoredEvents:
        """Verify and read a delivery, then store its events once (one worker-thread hop per request)."""
        events = self.parse(connection, headers, body)
        return store_events(self.database, connection.name, body, events, self.now())

    def close(self) -> None:
        """Close the clients used to verify deliveries."""
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()


async def _bounded_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    received = bytearray()
    async for chunk in request.stream():
        received.extend(chunk)
        if len(received) > limit:
            raise BodyTooLarge
    return bytes(received)


def _refused(config: ReceiverConfig, connection: str, reason: str, status: int, message: str) -> JSONResponse:
    config.metrics.rejected.labels(connection, reason).inc()
    return JSONResponse({"error": reason, "detail": message}, status_code=status)


def create_receiver(config: ReceiverConfig) -> Starlette:
    """The ASGI app; `uvicorn.run(app)` or any ASGI server serves it."""

    async def receive(request: Request) -> Response:
        name = request.path_params["connection"]
        connection = config.connections.get(name)
        if connection is None:
            return _refused(config, "unknown", "unknown_connection", 404, "no such connection in the connections file")
        try:
            body = await _bounded_body(request, config.max_body_bytes)
        except BodyTooLarge:
            return _refused(config, name, "too_large", 413, f"bodies are limited to {config.max_body_bytes} bytes")
        try:
            stored = await run_in_threadpool(config.accept, connection, dict(request.headers), body)
        except AuthenticationFailed:
            return _refused(config, name, "unauthenticated", 401, "the delivery's verification failed")
        except InvalidInput as error:
            return _refused(config, name, "malformed", 400, str(error))
        except ConfigurationError as error:
            logger.error("%s: cannot verify deliveries: %s", name, error)
            return _refused(config, name, "not_configured", 503, "the receiver cannot verify this connection's events")
        config.metrics.received.labels(name).inc(len(stored.new))
        config.metrics.deduplicated.labels(name).inc(stored.duplicates)
        for event in stored.new:
            if event.entity in REFRESHABLE:
                config.engine.submit(RefreshKey(name, event.entity, event.remote_id))
            else:
                config.metrics.not_refreshable.labels(name).inc()
        return JSONResponse({"stored": len(stored.new), "duplicates": stored.duplicates}, status_code=202)

    async def health(_: Request) -> Response:
        def ping() -> None:
            with config.database.engine.connect() as db:
                db.execute(text("SELECT 1"))

        await run_in_threadpool(ping)
        return JSONResponse({"status": "ok"})

    async def metrics(_: Request) -> Response:
        return Response(config.metrics.exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")

    routes = [
        Route("/changes/{connection}", receive, methods=["POST"]),
        Route("/health", health, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
    return Starlette(routes=routes)
