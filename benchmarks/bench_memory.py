"""Benchmark 4: peak RSS of a client streaming every employee to a null sink, at two sizes."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.bench_latency import UNLIMITED
from benchmarks.plan import Plan
from benchmarks.result import BenchmarkResult, summarise
from benchmarks.sandbox_process import SandboxProcess, SandboxSpec
from benchmarks.stream_client import StreamOutcome, StreamRequest, stream_in_subprocess

__all__ = ["interpreter_peak_rss_kb", "run_memory"]

BUDGET_MB = 150.0
FLAT_TOLERANCE_MB = 10.0
_PEAK_RSS = "print(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:')))"


def interpreter_peak_rss_kb() -> int:
    """Peak RSS (VmHWM, as the client reports it) of a bare interpreter of the same executable, in KiB."""
    output = subprocess.run([sys.executable, "-c", _PEAK_RSS], capture_output=True, text=True, check=True).stdout
    return int(output.strip())


def _mb(kib: float) -> float:
    return kib / 1024.0


def run_memory(plan: Plan) -> BenchmarkResult:
    """Stream each size `memory_runs` times in fresh clients with the default paging settings."""
    result = BenchmarkResult(
        key="memory",
        title="4. memory",
        target=(
            f"peak RSS <= interpreter + {BUDGET_MB:g} MB, flat in the number of records "
            f"(largest - smallest size <= {FLAT_TOLERANCE_MB:g} MB)"
        ),
        parameters={
            "sizes": list(plan.memory_sizes),
            "runs_per_size": plan.memory_runs,
            "rate_limit": "off",
            "latency_ms": 0,
            "paging": "the provider's defaults (page_size, prefetch)",
            "sink": "null (records counted and dropped)",
        },
    )
    interpreter = [_mb(interpreter_peak_rss_kb()) for _ in range(3)]
    result.metrics["interpreter_peak_rss"] = summarise(interpreter, "MB")
    peaks: dict[int, list[float]] = {}
    outcomes: dict[int, list[StreamOutcome]] = {}
    for size in plan.memory_sizes:
        spec = SandboxSpec(employees=size, faults={"rate_limit": "off"})
        with SandboxProcess(spec) as sandbox:
            settings = {**sandbox.settings, **UNLIMITED}
            request = StreamRequest(settings=settings, fingerprint="none", expected_records=size, checkpoints=10)
            runs = [stream_in_subprocess(request, sandbox=sandbox) for _ in range(plan.memory_runs)]
        for outcome in runs:
            if outcome.records != size:
                raise RuntimeError(f"streamed {outcome.records} employees, expected {size}")
        outcomes[size] = runs
        peaks[size] = [_mb(o.peak_rss_kb) for o in runs]
        result.metrics[f"peak_rss_at_{size}"] = summarise(peaks[size], "MB")
        result.metrics[f"records_per_second_at_{size}"] = summarise([o.records / o.seconds for o in runs], "records/s")
        result.metrics[f"stream_seconds_at_{size}"] = summarise([o.seconds for o in runs], "s")
        result.metrics[f"client_cpu_seconds_at_{size}"] = summarise([o.cpu_seconds for o in runs], "s")
        server = [o.server_cpu_seconds for o in runs if o.server_cpu_seconds is not None]
        if server:
            result.metrics[f"sandbox_cpu_seconds_at_{size}"] = summarise(server, "s")
    imports = [_mb(o.rss_after_imports_kb) for runs in outcomes.values() for o in runs]
    result.metrics["rss_after_imports"] = summarise(imports, "MB")
    smallest, largest = min(plan.memory_sizes), max(plan.memory_sizes)
    budget = result.metrics["interpreter_peak_rss"].median + BUDGET_MB
    worst_peak = max(max(values) for values in peaks.values())
    growth = result.metrics[f"peak_rss_at_{largest}"].median - result.metrics[f"peak_rss_at_{smallest}"].median
    result.met = worst_peak <= budget and growth <= FLAT_TOLERANCE_MB
    result.headline = (
        f"peak {result.metrics[f'peak_rss_at_{smallest}'].render()} at {smallest:,}, "
        f"{result.metrics[f'peak_rss_at_{largest}'].render()} at {largest:,} "
        f"(budget {budget:.0f} MB; growth {growth:+.1f} MB)"
    )
    last = outcomes[largest][-1]
    trail = ", ".join(f"{count:,}: {_mb(kib):.0f}" for count, kib in last.rss_checkpoints_kb)
    result.notes.append(f"RSS (MB) along one {largest:,}-record stream: {trail}")
    return result
