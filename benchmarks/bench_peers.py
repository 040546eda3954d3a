"""Benchmark 8: ats-core against the tools users would pick instead, loading one employee list into SQLite.

The same TempWorks sandbox process serves (a) `ats sync` into its SQLite destination, (b) a dlt `rest_api`
pipeline and (c) a hand-written httpx + json.loads + sqlite3 loop (see `peer_loaders`), with the same
page size and personal access token, no rate limit, each in a fresh subprocess (`peer_client`). Then the
same again under the sandbox's transient faults. Every run's stored ids are compared with the sandbox's.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.peer_client import PeerOutcome, load_in_subprocess
from benchmarks.peer_loaders import BENCH_INSTALL_HINT, TOOLS, PeerJob, dlt_installed, stored_ids
from benchmarks.peer_reference import Comparison, compare, reference_ids
from benchmarks.plan import Plan
from benchmarks.result import BenchmarkResult, summarise
from benchmarks.sandbox_process import SandboxProcess, SandboxSpec

__all__ = ["FAULTS", "PeerRun", "run_peers", "run_peers_on"]

KEY, TITLE = "peers", "8. peers: ats sync vs dlt vs a loop"
FAULTS = {"error_rate": "0.05", "drop_rate": "0.02"}
TARGET = (
    "ats CPU per record below dlt's and the loop's; ats exact (every id once) with and without faults "
    "(records/s reported, not enforced: it moves with the machine's load)"
)


@dataclass(frozen=True)
class PeerRun:
    """One tool's load: what it measured, how its stored ids compare, and the sandbox's CPU meanwhile."""

    outcome: PeerOutcome
    comparison: Comparison
    sandbox_cpu_seconds: float | None

    @property
    def completed(self) -> bool:
        """The tool ran to its end without an error."""
        return self.outcome.error is None


def _run_tool(tool: str, sandbox: SandboxProcess, page_size: int, expected: frozenset[str]) -> PeerRun:
    settings = sandbox.settings_for("basic")
    with tempfile.TemporaryDirectory(prefix=f"ats-peers-{tool}-") as directory:
        job = PeerJob(
            base_url=sandbox.base_url,
            account_sid=settings["account_sid"],
            auth_token=settings["auth_token"],
            time_zone=settings["time_zone"],
            page_size=page_size,
            directory=directory,
        )
        server_before = sandbox.cpu_seconds()
        outcome = load_in_subprocess(tool, job)
        server_after = sandbox.cpu_seconds()
        comparison = compare(stored_ids(tool, job), expected)
    served = None if server_before is None or server_after is None else server_after - server_before
    return PeerRun(outcome, comparison, served)


def _scenario(
    employees: int, page_size: int, runs: int, faults: dict[str, str], tools: Sequence[str]
) -> tuple[dict[str, list[PeerRun]], int]:
    """`runs` rounds of every tool against one sandbox, the order rotated each round; and how many it lists."""
    measured: dict[str, list[PeerRun]] = {tool: [] for tool in tools}
    with SandboxProcess(SandboxSpec(employees=employees, faults={"rate_limit": "off", **faults})) as sandbox:
        token = sandbox.settings_for("basic")
        expected = reference_ids(sandbox.base_url, token["account_sid"], token["auth_token"])
        for round_number in range(runs):
            shift = round_number % len(tools)
            for tool in [*tools[shift:], *tools[:shift]]:
                measured[tool].append(_run_tool(tool, sandbox, page_size, expected))
    return measured, len(expected)


def _record(result: BenchmarkResult, suffix: str, tool: str, runs: list[PeerRun], expected: int) -> None:
    """Metrics of the completed runs, exactness of all of them, and a note on any that stopped."""
    completed = [run for run in runs if run.completed]
    if completed:
        result.metrics[f"{tool}_records_per_s{suffix}"] = summarise(
            [expected / run.outcome.seconds for run in completed], "records/s"
        )
        result.metrics[f"{tool}_cpu_s_per_10k{suffix}"] = summarise(
            [run.outcome.cpu_seconds * 10_000 / expected for run in completed], "CPU s/10k"
        )
        result.metrics[f"{tool}_peak_rss{suffix}"] = summarise(
            [run.outcome.peak_rss_kb / 1024 for run in completed], "MB"
        )
        served = [run.sandbox_cpu_seconds for run in completed if run.sandbox_cpu_seconds is not None]
        if served:
            result.metrics[f"{tool}_sandbox_cpu_s{suffix}"] = summarise(served, "s")
    result.metrics[f"{tool}_lost{suffix}"] = summarise([run.comparison.lost for run in runs], "records")
    result.metrics[f"{tool}_duplicated{suffix}"] = summarise([run.comparison.duplicated for run in runs], "records")
    for run in runs:
        if not run.completed:
            result.notes.append(
                f"{tool} ({'under faults' if suffix else 'no faults'}) stopped after storing {run.comparison.stored:,} of {expected:,}: "
                f"{run.outcome.error}"
            )


def _exact(runs: list[PeerRun]) -> bool:
    return bool(runs) and all(run.completed and run.comparison.exact for run in runs)


def _cpu(result: BenchmarkResult, tool: str) -> float | None:
    metric = result.metrics.get(f"{tool}_cpu_s_per_10k")
    return None if metric is None else metric.median


def _judge(result: BenchmarkResult, clean: dict[str, list[PeerRun]], faulted: dict[str, list[PeerRun]]) -> None:
    """The verdict on the stable parts of the target (CPU ratios, exactness) and a headline with all of it."""
    exact = {tool: _exact(clean[tool]) for tool in clean}
    exact_faults = {tool: _exact(runs) for tool, runs in faulted.items()}
    ats_cpu = _cpu(result, "ats")
    peers = [tool for tool in clean if tool != "ats"]
    peer_cpus = [_cpu(result, peer) for peer in peers]  # None: the peer never finished a load, so it is behind
    cpu_ahead = ats_cpu is not None and all(cpu is None or cpu > ats_cpu for cpu in peer_cpus)
    for peer in peers:
        peer_cpu = _cpu(result, peer)
        if ats_cpu is not None and peer_cpu is not None:
            result.metrics[f"ats_cpu_over_{peer}"] = summarise([ats_cpu / peer_cpu], "x")
    result.met = cpu_ahead and exact.get("ats", False) and exact_faults.get("ats", not faulted)
    rates = {
        tool: result.metrics[f"{tool}_records_per_s"].median
        for tool in clean
        if f"{tool}_records_per_s" in result.metrics
    }
    parts = [
        f"{tool} {rates.get(tool, 0):,.0f} rec/s, {_cpu(result, tool) or float('nan'):.2f} CPU s/10k" for tool in clean
    ]
    headline = "; ".join(parts)
    if faulted:
        headline += "; exact under faults: " + (", ".join(tool for tool, ok in exact_faults.items() if ok) or "none")
    result.headline = headline


def run_peers_on(
    employees: int, *, page_size: int, runs: int, fault_runs: int, tools: Sequence[str] = TOOLS
) -> BenchmarkResult:
    """Load `employees` with every tool `runs` times, then `fault_runs` times under FAULTS; compare and judge."""
    result = BenchmarkResult(
        key=KEY,
        title=TITLE,
        target=TARGET,
        parameters={
            "employees": employees,
            "page_size": page_size,
            "runs": runs,
            "fault_runs": fault_runs,
            "faults": FAULTS,
            "rate_limit": "off (sandbox and ats' client limiter)",
            "auth": "personal access token as HTTP Basic",
            "tools": list(tools),
            "clock": "wall and CPU (all threads) of the load, imports excluded; peak RSS = VmHWM of the process",
        },
    )
    clean, listed = _scenario(employees, page_size, runs, {}, tools)
    faulted, listed_faults = _scenario(employees, page_size, fault_runs, FAULTS, tools) if fault_runs else ({}, 0)
    result.parameters["listed"] = listed
    for tool in tools:
        _record(result, "", tool, clean[tool], listed)
        if faulted:
            _record(result, "_faults", tool, faulted[tool], listed_faults)
    _judge(result, clean, faulted)
    return result


def run_peers(plan: Plan) -> BenchmarkResult:
    """The peers benchmark at the plan's size; n/a (with how to install it) when dlt is missing."""
    if not dlt_installed():
        return BenchmarkResult(
            key=KEY,
            title=TITLE,
            target=TARGET,
            parameters={},
            headline=f"skipped: dlt is not installed ({BENCH_INSTALL_HINT})",
        )
    return run_peers_on(
        plan.peers_employees, page_size=plan.peers_page_size, runs=plan.peers_runs, fault_runs=plan.peers_fault_runs
    )
