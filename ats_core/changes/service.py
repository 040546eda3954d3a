"""Wiring for `ats serve`: the receiver app, the in-process refresher and the clients each uses."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.applications import Starlette

from ats_core.changes.metrics import FleetStatusCollector, RateLimitCollector, ReceiverMetrics
from ats_core.changes.receiver import DEFAULT_MAX_BODY_BYTES, ReceiverConfig, create_receiver
from ats_core.changes.refresh import RefreshKey, refresh_records
from ats_core.changes.worker import InProcessRefresher
from ats_core.client import ATSClient
from ats_core.connections import Connection
from ats_core.fleet.database import Database

__all__ = ["ChangeService", "build_service"]


class _WorkerClients:
    """The refresher's own clients (one per connection), used from its thread only."""

    def __init__(self, connections: dict[str, Connection], connect: Callable[[Connection], ATSClient]) -> None:
        self.connections = connections
        self.connect = connect
        self.clients: dict[str, ATSClient] = {}
        self.lock = threading.Lock()

    def get(self, name: str) -> ATSClient:
        with self.lock:
            client = self.clients.get(name)
            if client is None:
                client = self.clients[name] = self.connect(self.connections[name])
            return client

    def connected(self) -> dict[str, ATSClient]:
        """The clients connected so far, by connection name (a copy: safe from another thread)."""
        with self.lock:
            return dict(self.clients)

    def close(self) -> None:
        with self.lock:
            for client in self.clients.values():
                client.close()
            self.clients.clear()


@dataclass
class ChangeService:
    """The app to serve, and the refresher and config to close when it stops."""

    app: Starlette
    config: ReceiverConfig
    refresher: InProcessRefresher
    worker_clients: _WorkerClients

    def close(self) -> None:
        """Refresh what is pending, stop the worker, close every client."""
        self.refresher.close()
        self.config.close()
        self.worker_clients.close()


def build_service(
    database: Database,
    connections: dict[str, Connection],
    *,
    window_seconds: float = 0.5,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    connect: Callable[[Connection], ATSClient] = lambda connection: connection.connect(),
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ChangeService:
    """A receiver whose events are refreshed in this process, started and ready to serve."""
    metrics = ReceiverMetrics()
    metrics.registry.register(FleetStatusCollector(database, now))
    clients = _WorkerClients(connections, connect)
    metrics.registry.register(RateLimitCollector(clients.connected))

    def refresh(connection: str, entity: str, remote_ids: Sequence[str]) -> object:
        return refresh_records(database, connection, clients.get(connection), entity, remote_ids, now)

    def refreshed(key: RefreshKey, lag: float) -> None:
        metrics.refresh_lag.labels(key.connection).observe(lag)

    def failed(connection: str, _entity: str, _error: BaseException) -> None:
        metrics.refresh_failures.labels(connection).inc()

    refresher = InProcessRefresher(
        refresh, window_seconds=window_seconds, on_refreshed=refreshed, on_failure=failed
    ).start()
    config = ReceiverConfig(
        database, connections, refresher, metrics=metrics, max_body_bytes=max_body_bytes, connect=connect, now=now
    )
    return ChangeService(create_receiver(config), config, refresher, clients)
