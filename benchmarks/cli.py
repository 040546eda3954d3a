"""`python -m benchmarks [--quick] [--only KEYS] [--output PATH] [--check]`: run, print the table, write the JSON."""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.bench_change_feed import run_change_feed
from benchmarks.bench_cpu import run_cpu
from benchmarks.bench_fleet import run_fleet
from benchmarks.bench_latency import run_latency
from benchmarks.bench_memory import run_memory
from benchmarks.bench_peers import run_peers
from benchmarks.bench_rate_limit import run_rate_limit
from benchmarks.bench_scale import run_scale
from benchmarks.bench_startup import run_startup
from benchmarks.machine import describe_machine
from benchmarks.plan import FULL, QUICK, Plan
from benchmarks.report import render_table, write_json
from benchmarks.result import BenchmarkResult

__all__ = ["BENCHMARKS", "main"]

DEFAULT_OUTPUT = Path(__file__).parent / "results" / "latest.json"

BENCHMARKS: dict[str, tuple[str, Callable[[Plan], BenchmarkResult]]] = {
    "rate_limit": ("1. rate-limit-bound streaming", run_rate_limit),
    "latency": ("2. latency-bound streaming", run_latency),
    "cpu": ("3. per-record CPU cost", run_cpu),
    "memory": ("4. memory", run_memory),
    "startup": ("5. start-up", lambda plan: run_startup(runs=plan.startup_runs)),
    "fleet": ("6. fleet: tenants x workers", run_fleet),
    "change_feed": ("7. change feed", run_change_feed),
    "peers": ("8. peers: ats sync vs dlt vs a loop", run_peers),
    "scale": ("9. scale: ats sync by tenant size", run_scale),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure ats-core and the TempWorks plugin against a sandbox process; print a table, write JSON.",
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer runs (under two minutes)")
    parser.add_argument(
        "--only",
        default=",".join(BENCHMARKS),
        help=f"comma-separated benchmarks to run, of: {', '.join(BENCHMARKS)} (default: all)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the JSON results")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed (not only on errors)")
    return parser


def _run_one(key: str, plan: Plan) -> BenchmarkResult:
    title, run = BENCHMARKS[key]
    print(f"running {title} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    try:
        result = run(plan)
    except Exception as error:  # one failing benchmark must not hide the others' results
        traceback.print_exc(file=sys.stderr)
        result = BenchmarkResult(
            key=key, title=title, target="", parameters={}, error=f"{type(error).__name__}: {error}"
        )
    result.parameters["benchmark_seconds"] = round(time.perf_counter() - started, 1)
    print(f"  {result.headline or result.error} ({result.parameters['benchmark_seconds']} s)", file=sys.stderr)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen benchmarks; exit 1 when one failed to run (or, with --check, missed its target)."""
    arguments = _parser().parse_args(argv)
    requested = {key.strip() for key in arguments.only.split(",") if key.strip()}
    unknown = sorted(requested - set(BENCHMARKS))
    if unknown:
        print(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    keys = [key for key in BENCHMARKS if key in requested]
    plan = QUICK if arguments.quick else FULL
    machine = describe_machine()
    started = time.perf_counter()
    results = [_run_one(key, plan) for key in keys]
    machine["total_seconds"] = round(time.perf_counter() - started, 1)
    command = "python -m benchmarks" + (" --quick" if arguments.quick else "")
    print(render_table(results, machine, plan.name))
    write_json(arguments.output, results, machine, plan.name, command)
    print(f"\nwrote {arguments.output} ({machine['total_seconds']} s in all)")
    failed = any(result.error is not None for result in results)
    missed = any(result.met is False for result in results)
    return 1 if failed or (arguments.check and missed) else 0
