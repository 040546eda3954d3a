"""Benchmark 9: how `ats sync` into SQLite scales with the tenant's size, for a full and an incremental run.

For each size a fresh sandbox process; a first (full) run of `ats sync candidates` into a new SQLite file,
then a second run on the same file, which reads only what changed since the first started. Each run is a
fresh subprocess (`peer_client`), so its peak RSS is its own. Target: cost linear in records (records/s
of the full run steady across sizes) and memory flat (peak RSS steady across sizes).
"""

from __future__ import annotations

import tempfile

from benchmarks.peer_client import PeerOutcome, load_in_subprocess
from benchmarks.peer_loaders import PeerJob, stored_ids
from benchmarks.plan import Plan
from benchmarks.result import BenchmarkResult, summarise
from benchmarks.sandbox_process import SandboxProcess, SandboxSpec

__all__ = ["run_scale", "run_scale_on"]

KEY, TITLE = "scale", "9. scale: ats sync by tenant size"
RATE_TOLERANCE = 0.5  # the largest size's records/s at least half the smallest's: linear cost, within noise
FLAT_TOLERANCE_MB = 30.0  # peak RSS of the largest size at most this much above the smallest's


def _runs(size: int, page_size: int) -> tuple[PeerOutcome, PeerOutcome, int]:
    """A full and then an incremental `ats sync` of a `size`-employee sandbox; and the rows stored."""
    with SandboxProcess(SandboxSpec(employees=size, faults={"rate_limit": "off"})) as sandbox:
        token = sandbox.settings_for("basic")
        with tempfile.TemporaryDirectory(prefix="ats-scale-") as directory:
            job = PeerJob(
                base_url=sandbox.base_url,
                account_sid=token["account_sid"],
                auth_token=token["auth_token"],
                time_zone=token["time_zone"],
                page_size=page_size,
                directory=directory,
            )
            full = load_in_subprocess("ats", job)
            incremental = load_in_subprocess("ats", job)
            stored = len(stored_ids("ats", job))
    return full, incremental, stored


def run_scale_on(sizes: tuple[int, ...], *, page_size: int) -> BenchmarkResult:
    """Full and incremental runs at each size; judge linear cost and flat memory from the smallest to the largest."""
    result = BenchmarkResult(
        key=KEY,
        title=TITLE,
        target=(
            f"full-run records/s at the largest size >= {RATE_TOLERANCE:g}x the smallest's (linear cost); "
            f"peak RSS within {FLAT_TOLERANCE_MB:g} MB across sizes (flat memory)"
        ),
        parameters={"sizes": list(sizes), "page_size": page_size, "rate_limit": "off", "destination": "SQLite"},
    )
    for size in sizes:
        full, incremental, stored = _runs(size, page_size)
        for outcome in (full, incremental):
            if outcome.error is not None:
                raise RuntimeError(f"ats sync of {size:,} employees failed: {outcome.error}")
        if stored != size:
            result.notes.append(f"{size:,} employees: {stored:,} stored")
        result.metrics[f"full_{size}_records_per_s"] = summarise([size / full.seconds], "records/s")
        result.metrics[f"full_{size}_cpu_s_per_10k"] = summarise([full.cpu_seconds * 10_000 / size], "CPU s/10k")
        result.metrics[f"full_{size}_peak_rss"] = summarise([full.peak_rss_kb / 1024], "MB")
        result.metrics[f"incremental_{size}_seconds"] = summarise([incremental.seconds], "s")
        result.metrics[f"incremental_{size}_peak_rss"] = summarise([incremental.peak_rss_kb / 1024], "MB")
    smallest, largest = min(sizes), max(sizes)
    rate_ratio = (
        result.metrics[f"full_{largest}_records_per_s"].median / result.metrics[f"full_{smallest}_records_per_s"].median
    )
    growth = result.metrics[f"full_{largest}_peak_rss"].median - result.metrics[f"full_{smallest}_peak_rss"].median
    result.met = rate_ratio >= RATE_TOLERANCE and growth <= FLAT_TOLERANCE_MB
    result.headline = (
        f"full run {result.metrics[f'full_{smallest}_records_per_s'].render()} at {smallest:,}, "
        f"{result.metrics[f'full_{largest}_records_per_s'].render()} at {largest:,} ({rate_ratio:.2f}x); "
        f"peak RSS {result.metrics[f'full_{smallest}_peak_rss'].render()} -> "
        f"{result.metrics[f'full_{largest}_peak_rss'].render()}"
    )
    return result


def run_scale(plan: Plan) -> BenchmarkResult:
    """The scale benchmark at the plan's sizes."""
    return run_scale_on(plan.scale_sizes, page_size=plan.peers_page_size)
