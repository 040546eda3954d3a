"""The change feed's receiving side: events in, records refreshed, polling as the backstop.

inbox      store each delivered event once (dedupe key per connection) and mark it refreshed
refresh    read changed records by id and upsert them (an older version never replaces a newer one)
worker     the in-process refresh engine: a thread that coalesces ids over a short window
metrics    Prometheus counters and gauges of the receiver
receiver   the Starlette app `ats serve` runs: POST /changes/{connection}, GET /health, GET /metrics
"""

from __future__ import annotations

from ats_core.changes.inbox import StoredEvents, store_events
from ats_core.changes.refresh import RefreshEngine, RefreshKey, refresh_records
from ats_core.changes.worker import InProcessRefresher

__all__ = [
    "InProcessRefresher",
    "RefreshEngine",
    "RefreshKey",
    "StoredEvents",
    "refresh_records",
    "store_events",
]
