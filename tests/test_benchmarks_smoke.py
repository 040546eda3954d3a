"""Smoke test of the benchmarks package: the per-record CPU benchmark yields a well-formed row on a tiny input.

No timing is asserted; the benchmarks themselves run with `make bench` (`python -m benchmarks`).
"""

from __future__ import annotations

import json
import math

from ats_core.sandbox import SandboxOptions, start_sandbox
from benchmarks import bench_fleet
from benchmarks.bench_cpu import fetch_employee_pages, run_cpu_on_pages
from benchmarks.bench_fleet import Shape
from benchmarks.plan import FULL, QUICK

EXPECTED_METRICS = {"baseline_us_per_record", "framework_us_per_record", "ratio"}


def test_cpu_benchmark_row_is_well_formed_on_a_tiny_sandbox() -> None:
    sandbox = start_sandbox("tempworks", SandboxOptions(size=30, faults={"rate_limit": "off"}))
    try:
        bodies = fetch_employee_pages(sandbox.settings, pages=3, page_size=10)
    finally:
        sandbox.stop()

    row = json.loads(json.dumps(run_cpu_on_pages(bodies, runs=2).to_json()))

    assert row["key"] == "cpu"
    assert row["error"] is None
    assert isinstance(row["met"], bool)
    assert row["parameters"]["records"] == 30
    assert row["parameters"]["pages"] == 3
    assert set(row["metrics"]) == EXPECTED_METRICS
    for metric in row["metrics"].values():
        assert metric["runs"] == 2
        assert math.isfinite(metric["median"])
        assert 0 <= metric["min"] <= metric["median"] <= metric["max"]


def test_fleet_benchmark_tenants_fill_their_windows_exactly() -> None:
    for plan in (FULL, QUICK):
        shape = Shape(plan)
        pages = shape.records // plan.fleet_page_size
        lookups = -(-pages // bench_fleet.PAGE_BUDGET)  # one per slice of at most PAGE_BUDGET pages
        assert pages + lookups == plan.fleet_windows * plan.fleet_requests
        assert shape.ceiling * plan.fleet_window_seconds == plan.fleet_requests * plan.fleet_page_size
