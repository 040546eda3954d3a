"""/metrics reports, per connection, the 429 answers and rate-limit waits of the refresher's clients."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest

from ats_core.changes.metrics import RateLimitCollector


def client_with(**counts: int) -> Any:
    return SimpleNamespace(provider=SimpleNamespace(http_stats=lambda: counts))


def test_each_connection_reports_its_429s_and_waits_read_at_scrape_time() -> None:
    clients = {"acme": client_with(rate_limited=3, rate_limit_waits=7), "zeta": client_with()}
    registry = CollectorRegistry()
    registry.register(RateLimitCollector(lambda: clients))
    text = generate_latest(registry).decode()
    assert 'ats_http_rate_limited_total{connection="acme"} 3.0' in text
    assert 'ats_http_rate_limit_waits_total{connection="acme"} 7.0' in text
    assert 'ats_http_rate_limited_total{connection="zeta"} 0.0' in text
    clients["acme"] = client_with(rate_limited=4, rate_limit_waits=7)
    assert 'ats_http_rate_limited_total{connection="acme"} 4.0' in generate_latest(registry).decode()
