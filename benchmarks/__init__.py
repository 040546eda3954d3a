"""Benchmarks of ats-core and the TempWorks plugin against the sandbox: `python -m benchmarks [--quick]`.

Not part of the test suite. Each benchmark returns a `BenchmarkResult` (medians with min and max over
several runs, its parameters and its target); `python -m benchmarks` prints them side by side and writes
`benchmarks/results/latest.json`.
"""

from benchmarks.result import BenchmarkResult, Metric, summarise

__all__ = ["BenchmarkResult", "Metric", "summarise"]
