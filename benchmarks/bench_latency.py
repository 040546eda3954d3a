"""Benchmark 2: with added latency and no rate limit, concurrent prefetch beats sequential paging."""

from __future__ import annotations

from benchmarks.plan import Plan
from benchmarks.result import BenchmarkResult, summarise
from benchmarks.sandbox_process import SandboxProcess, SandboxSpec
from benchmarks.stream_client import StreamOutcome, StreamRequest, stream_in_subprocess

__all__ = ["UNLIMITED", "run_latency"]

TARGET_SPEEDUP = 5.0
UNLIMITED = {"requests_per_window": 1_000_000, "window_seconds": 1.0}
"""Client limiter settings that never wait (the sandbox's limit is off in these runs)."""


def run_latency(plan: Plan) -> BenchmarkResult:
    """Alternate sequential (prefetch 1) and concurrent runs against one sandbox; compare time and records."""
    result = BenchmarkResult(
        key="latency",
        title="2. latency-bound streaming",
        target=f"prefetch {plan.latency_prefetch} >= {TARGET_SPEEDUP:g}x faster than sequential, identical records",
        parameters={
            "employees": plan.latency_employees,
            "page_size": plan.latency_page_size,
            "latency_ms": plan.latency_ms,
            "rate_limit": "off",
            "prefetch": plan.latency_prefetch,
            "runs": plan.latency_runs,
            "fingerprint": "sha256 of every record's canonical JSON, in order",
        },
    )
    spec = SandboxSpec(employees=plan.latency_employees, latency_ms=plan.latency_ms, faults={"rate_limit": "off"})
    sequential: list[StreamOutcome] = []
    concurrent: list[StreamOutcome] = []
    with SandboxProcess(spec) as sandbox:
        for _ in range(plan.latency_runs):
            for prefetch, outcomes in ((1, sequential), (plan.latency_prefetch, concurrent)):
                settings = {
                    **sandbox.settings,
                    **UNLIMITED,
                    "page_size": plan.latency_page_size,
                    "prefetch": prefetch,
                }
                request = StreamRequest(settings=settings, fingerprint="full")
                outcomes.append(stream_in_subprocess(request, sandbox=sandbox))
    fingerprints = {outcome.fingerprint for outcome in sequential + concurrent}
    counts = {outcome.records for outcome in sequential + concurrent}
    identical = len(fingerprints) == 1 and counts == {plan.latency_employees}
    result.metrics["sequential_seconds"] = summarise([o.seconds for o in sequential], "s")
    result.metrics["prefetch_seconds"] = summarise([o.seconds for o in concurrent], "s")
    speedups = [s.seconds / c.seconds for s, c in zip(sequential, concurrent, strict=True)]
    result.metrics["speedup"] = summarise(speedups, "x")
    result.metrics["prefetch_records_per_second"] = summarise([o.records / o.seconds for o in concurrent], "records/s")
    for name, outcomes in (("sequential", sequential), ("prefetch", concurrent)):
        result.metrics[f"{name}_client_cpu_seconds"] = summarise([o.cpu_seconds for o in outcomes], "s")
        server = [o.server_cpu_seconds for o in outcomes if o.server_cpu_seconds is not None]
        if server:
            result.metrics[f"{name}_sandbox_cpu_seconds"] = summarise(server, "s")
    ideal = plan.latency_employees / plan.latency_page_size * plan.latency_ms / 1000 / max(1, plan.latency_prefetch - 1)
    result.notes.append(
        f"latency bound with {plan.latency_prefetch - 1} requests in flight while a page is consumed: {ideal:.1f} s"
    )
    speedup = result.metrics["speedup"].median
    result.met = speedup >= TARGET_SPEEDUP and identical
    result.headline = (
        f"sequential {result.metrics['sequential_seconds'].render()}, prefetch {plan.latency_prefetch} "
        f"{result.metrics['prefetch_seconds'].render()}: {speedup:.1f}x; "
        f"records {'identical' if identical else 'DIFFER'} ({sorted(counts)} records)"
    )
    if not identical:
        result.notes.append(f"fingerprints differ between runs: {sorted(fingerprints)}")
    return result
