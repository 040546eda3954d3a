"""The receiver's Prometheus metrics, in a registry of its own (one per app, so tests may build many)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from ats_core.client import ATSClient
from ats_core.fleet.database import Database
from ats_core.fleet.status import read_status

__all__ = ["FleetStatusCollector", "RateLimitCollector", "ReceiverMetrics"]

_LAG_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)


@dataclass
class ReceiverMetrics:
    """Events received, deduplicated, rejected (by reason), ignored (no refresh), refreshes and their lag."""

    registry: CollectorRegistry = field(default_factory=lambda: CollectorRegistry(auto_describe=True))

    def __post_init__(self) -> None:
        per_connection = ["connection"]
        self.received = Counter(
            "ats_change_events_received", "Change events stored in the inbox", per_connection, registry=self.registry
        )
        self.deduplicated = Counter(
            "ats_change_events_deduplicated",
            "Change events delivered again and not stored twice",
            per_connection,
            registry=self.registry,
        )
        self.rejected = Counter(
            "ats_change_events_rejected",
            "Deliveries refused (unauthenticated, oversized, malformed, unknown connection)",
            ["connection", "reason"],
            registry=self.registry,
        )
        self.not_refreshable = Counter(
            "ats_change_events_not_refreshable",
            "Stored events about records outside the catalog (e.g. customers): counted, not refreshed",
            per_connection,
            registry=self.registry,
        )
        self.refresh_failures = Counter(
            "ats_change_refresh_failures",
            "Refreshes that failed (the sync repairs)",
            per_connection,
            registry=self.registry,
        )
        self.refresh_lag = Histogram(
            "ats_change_refresh_lag_seconds",
            "From an event's arrival to its record stored",
            per_connection,
            buckets=_LAG_BUCKETS,
            registry=self.registry,
        )

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric."""
        return generate_latest(self.registry)


class FleetStatusCollector(Collector):
    """Per connection and stream, read from the fleet database at each scrape: sync lag and quarantined records."""

    def __init__(self, database: Database, now: Callable[[], datetime]) -> None:
        self.database = database
        self.now = now

    def collect(self) -> Iterator[GaugeMetricFamily]:
        labels = ["connection", "stream"]
        lag = GaugeMetricFamily("ats_sync_lag_seconds", "How far the last completed sync is behind now", labels=labels)
        held = GaugeMetricFamily("ats_quarantined_records", "Records that failed validation, kept aside", labels=labels)
        for status in read_status(self.database, None, self.now()):
            if status.lag is not None:
                lag.add_metric([status.connection, status.stream], status.lag.total_seconds())
            held.add_metric([status.connection, status.stream], status.quarantined)
        yield lag
        yield held


class RateLimitCollector(Collector):
    """Per connection, read from the refresher's clients at each scrape: 429 answers and rate-limit waits."""

    def __init__(self, clients: Callable[[], Mapping[str, ATSClient]]) -> None:
        self.clients = clients

    def collect(self) -> Iterator[CounterMetricFamily]:
        labels = ["connection"]
        refused = CounterMetricFamily(
            "ats_http_rate_limited", "Answers 429 (too many requests) to this process's refreshes", labels=labels
        )
        waits = CounterMetricFamily(
            "ats_http_rate_limit_waits", "Refresh requests the client's rate limiter held back", labels=labels
        )
        for name, client in sorted(self.clients().items()):
            stats = client.provider.http_stats()
            refused.add_metric([name], stats.get("rate_limited", 0))
            waits.add_metric([name], stats.get("rate_limit_waits", 0))
        yield refused
        yield waits
