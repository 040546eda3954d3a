"""Benchmark 1: a stream bound by the rate limit keeps close to the limit and never draws a 429.

Under real conditions, not aligned clocks: every scenario adds 0-150 ms of latency jitter per request
and a server clock 2 s ahead of or behind the client's, for both TempWorks credential kinds (a personal
access token, told only `x-rate-limit-count`; an OAuth client, told `-remaining` and `-reset` too).
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.plan import Plan
from benchmarks.result import BenchmarkResult, summarise
from benchmarks.sandbox_process import SandboxProcess, SandboxSpec
from benchmarks.stream_client import StreamRequest, stream_in_subprocess

__all__ = ["SCENARIOS", "run_rate_limit"]

TARGET_SHARE = 0.90
JITTER_MS = "0-150"
PREFETCH = 4
"""Pages in flight: enough that up to 150 ms per request does not bound the stream below the limit."""


@dataclass(frozen=True)
class Scenario:
    """One credential kind against a server clock `skew_seconds` off the client's."""

    credential: str
    skew_seconds: float

    @property
    def label(self) -> str:
        kind = "personal access token" if self.credential == "basic" else "OAuth client"
        return f"{kind}, server clock {self.skew_seconds:+g} s"


SCENARIOS = tuple(Scenario(credential, skew) for credential in ("basic", "oauth2") for skew in (2.0, -2.0))


def run_rate_limit(plan: Plan) -> BenchmarkResult:
    """Stream enough pages to span `limit_windows` windows per scenario, each run against a fresh sandbox."""
    limit_per_second = plan.limit_requests / plan.limit_window_seconds
    # The last page is half full, so the stream ends without one more (empty) page: a request past a multiple of
    # the limit would cost a whole window and measure where the stream ends, not the rate it sustains.
    employees = plan.limit_requests * plan.limit_windows * plan.limit_page_size - plan.limit_page_size // 2
    limit = f"{plan.limit_requests}/{plan.limit_window_seconds:g}"
    result = BenchmarkResult(
        key="rate_limit",
        title="1. rate-limit-bound streaming",
        target=(
            f">= {TARGET_SHARE:.0%} of the limit sustained (requests after the first window's burst / stream time), "
            f"zero 429 responses, in every scenario (jitter {JITTER_MS} ms, clock skew +-2 s, both credential kinds)"
        ),
        parameters={
            "sandbox_rate_limit": f"{limit} (requests/seconds), per credential and per OAuth client",
            "client_rate_limit": limit,
            "employees": employees,
            "page_size": plan.limit_page_size,
            "windows_spanned_at_the_limit": plan.limit_windows,
            "runs_per_scenario": plan.limit_runs,
            "scenarios": [scenario.label for scenario in SCENARIOS],
            "latency_jitter_ms": JITTER_MS,
            "prefetch": PREFETCH,
        },
    )
    by_scenario: dict[str, list[float]] = {}
    too_many: list[float] = []
    for scenario in SCENARIOS:
        for _ in range(plan.limit_runs):
            share, refused = _one_run(plan, scenario, employees, limit, limit_per_second)
            by_scenario.setdefault(scenario.label, []).append(share)
            too_many.append(refused)
    for label, values in by_scenario.items():
        result.metrics[f"share_of_limit [{label}]"] = summarise(values, "%")
    shares = [share for values in by_scenario.values() for share in values]
    lowest = min(by_scenario, key=lambda label: min(by_scenario[label]))
    result.metrics["share_of_limit"] = summarise(shares, "%")
    result.metrics["responses_429"] = summarise(too_many, "responses")
    worst_429 = result.metrics["responses_429"].maximum
    result.met = min(shares) / 100.0 >= TARGET_SHARE and worst_429 == 0
    result.headline = (
        f"sustained >= {min(shares):.1f}% of {limit_per_second:g} req/s in every scenario (lowest: {lowest}); "
        f"429s: {int(worst_429)} (worst run)"
    )
    return result


def _one_run(
    plan: Plan, scenario: Scenario, employees: int, limit: str, limit_per_second: float
) -> tuple[float, float]:
    """(share of the limit sustained in %, responses 429) of one stream against a fresh sandbox."""
    faults = {
        "rate_limit": limit,
        "jitter_ms": JITTER_MS,
        "clock_skew_s": f"{scenario.skew_seconds:g}",
    }
    with SandboxProcess(SandboxSpec(employees=employees, faults=faults)) as sandbox:
        settings = {
            **sandbox.settings_for(scenario.credential),
            "page_size": plan.limit_page_size,
            "requests_per_window": plan.limit_requests,
            "window_seconds": plan.limit_window_seconds,
            "prefetch": PREFETCH,
        }
        outcome = stream_in_subprocess(StreamRequest(settings=settings, fingerprint="none"))
    if outcome.records != employees:
        raise RuntimeError(f"streamed {outcome.records} employees, expected {employees} ({scenario.label})")
    sent = float(outcome.http["requests"])
    # The first window's burst is free (the limiter starts empty): leave it out so the rate is the sustained one.
    rate = (sent - plan.limit_requests) / outcome.seconds
    return 100.0 * rate / limit_per_second, float(outcome.http.get("rate_limited", 0))
