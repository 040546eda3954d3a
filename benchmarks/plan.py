"""Sizes and run counts of the full and the quick run (`--quick`: under two minutes on two cores)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FULL", "QUICK", "Plan"]


@dataclass(frozen=True)
class Plan:
    """How big and how often each benchmark runs."""

    name: str
    # 1. rate-limit-bound streaming: TempWorks' documented limit (25 / 5 s) and how many windows the stream spans
    limit_requests: int
    limit_window_seconds: float
    limit_windows: int
    limit_page_size: int
    limit_runs: int
    # 2. latency-bound streaming
    latency_employees: int
    latency_page_size: int
    latency_ms: float
    latency_prefetch: int
    latency_runs: int
    # 3. per-record CPU
    cpu_pages: int
    cpu_page_size: int
    cpu_runs: int
    # 4. memory: record counts streamed, runs at each
    memory_sizes: tuple[int, ...]
    memory_runs: int
    # 5. start-up
    startup_runs: int
    # 6. fleet: each tenant's limit (requests per window), page size, windows of records per tenant, the grid
    fleet_requests: int
    fleet_window_seconds: float
    fleet_page_size: int
    fleet_windows: int
    fleet_tenants: tuple[int, ...]
    fleet_workers: tuple[int, ...]
    # 8. peers: employees loaded into SQLite by each tool, rounds without and with faults
    peers_employees: int
    peers_page_size: int
    peers_runs: int
    peers_fault_runs: int
    # 9. scale: tenant sizes synced by ats (full, then incremental), with the peers' page size
    scale_sizes: tuple[int, ...]
    # 7. change feed: events published at a rate (latency), then a burst of deliveries (throughput)
    change_events: int = 500
    change_rate: float = 50.0
    change_burst: int = 2000
    change_window: float = 0.5


FULL = Plan(
    name="full",
    limit_requests=25,
    limit_window_seconds=5.0,
    limit_windows=12,
    limit_page_size=100,
    limit_runs=2,
    latency_employees=100_000,
    latency_page_size=100,
    latency_ms=50.0,
    latency_prefetch=8,
    latency_runs=3,
    cpu_pages=40,
    cpu_page_size=500,
    cpu_runs=7,
    memory_sizes=(100_000, 1_000_000),
    memory_runs=2,
    startup_runs=15,
    fleet_requests=10,
    fleet_window_seconds=20.0,
    fleet_page_size=50,
    fleet_windows=4,
    fleet_tenants=(1, 4, 16),
    fleet_workers=(1, 2, 4),
    peers_employees=100_000,
    peers_page_size=500,
    peers_runs=2,
    peers_fault_runs=1,
    scale_sizes=(10_000, 100_000, 1_000_000),
)

QUICK = Plan(
    name="quick",
    limit_requests=25,
    limit_window_seconds=5.0,
    limit_windows=8,
    limit_page_size=100,
    limit_runs=1,
    latency_employees=20_000,
    latency_page_size=100,
    latency_ms=50.0,
    latency_prefetch=8,
    latency_runs=1,
    cpu_pages=8,
    cpu_page_size=500,
    cpu_runs=3,
    memory_sizes=(10_000, 100_000),
    memory_runs=1,
    startup_runs=5,
    fleet_requests=10,
    fleet_window_seconds=20.0,
    fleet_page_size=50,
    fleet_windows=2,
    fleet_tenants=(1, 4),
    fleet_workers=(1, 2),
    change_events=150,
    change_burst=500,
    peers_employees=20_000,
    peers_page_size=500,
    peers_runs=1,
    peers_fault_runs=1,
    scale_sizes=(5_000, 20_000),
)
