"""Benchmark 5: wall time of `ats providers` against importing the four libraries it is built on."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.result import BenchmarkResult, summarise

__all__ = ["BASELINE_IMPORTS", "ats_command", "run_startup"]

BASELINE_IMPORTS = "import httpx, pydantic, pluggy, stevedore"
TARGET_RATIO = 1.5


def ats_command() -> list[str]:
    """The `ats` console script installed beside this interpreter (else the one on PATH)."""
    beside = Path(sys.executable).parent / "ats"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("ats")
    if found is None:
        raise FileNotFoundError("the `ats` command is not installed; run `make setup`")
    return [found]


def _wall_seconds(command: list[str]) -> float:
    started = time.perf_counter()
    completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {completed.returncode}: {completed.stderr.decode()[-500:]}")
    return elapsed


def run_startup(*, runs: int) -> BenchmarkResult:
    """Alternate the two commands `runs` times each (after one warm-up each) and compare the medians."""
    providers = [*ats_command(), "providers"]
    baseline = [sys.executable, "-c", BASELINE_IMPORTS]
    result = BenchmarkResult(
        key="startup",
        title="5. start-up",
        target=f'`ats providers` <= {TARGET_RATIO}x `python -c "{BASELINE_IMPORTS}"`',
        parameters={"runs": runs, "command": "ats providers", "baseline": f'python -c "{BASELINE_IMPORTS}"'},
    )
    _wall_seconds(providers)
    _wall_seconds(baseline)
    providers_ms: list[float] = []
    baseline_ms: list[float] = []
    ratios: list[float] = []
    for _ in range(runs):
        ours = _wall_seconds(providers) * 1000
        theirs = _wall_seconds(baseline) * 1000
        providers_ms.append(ours)
        baseline_ms.append(theirs)
        ratios.append(ours / theirs)
    result.metrics["ats_providers"] = summarise(providers_ms, "ms")
    result.metrics["baseline_imports"] = summarise(baseline_ms, "ms")
    result.metrics["ratio"] = summarise(ratios, "x")
    ratio = result.metrics["ratio"].median
    result.met = ratio <= TARGET_RATIO
    result.headline = (
        f"ats providers {result.metrics['ats_providers'].render()} vs imports "
        f"{result.metrics['baseline_imports'].render()}: {ratio:.2f}x"
    )
    return result
