"""Benchmark 1: a stream bound by the rate limit keeps close to the limit and never draws a 429."""

from __future__ import annotations

from benchmarks.plan import Plan
from benchmarks.result import BenchmarkResult, summarise
from benchmarks.sandbox_process import SandboxProcess, SandboxSpec
from benchmarks.stream_client import StreamRequest, stream_in_subprocess

__all__ = ["run_rate_limit"]

TARGET_SHARE = 0.90


def run_rate_limit(plan: Plan) -> BenchmarkResult:
    """Stream enough pages to span `limit_windows` windows, each run against a fresh sandbox (fresh limit state)."""
    limit_per_second = plan.limit_requests / plan.limit_window_seconds
    employees = plan.limit_requests * plan.limit_windows * plan.limit_page_size
    limit = f"{plan.limit_requests}/{plan.limit_window_seconds:g}"
    result = BenchmarkResult(
        key="rate_limit",
        title="1. rate-limit-bound streaming",
        target=(
            f">= {TARGET_SHARE:.0%} of the limit sustained (requests after the first window's burst / stream time), "
            "zero 429 responses"
        ),
        parameters={
            "sandbox_rate_limit": f"{limit} (requests/seconds)",
            "client_rate_limit": limit,
            "employees": employees,
            "page_size": plan.limit_page_size,
            "windows_spanned_at_the_limit": plan.limit_windows,
            "runs": plan.limit_runs,
        },
    )
    rates: list[float] = []
    raw_rates: list[float] = []
    shares: list[float] = []
    seconds: list[float] = []
    too_many: list[float] = []
    requests: list[float] = []
    for _ in range(plan.limit_runs):
        with SandboxProcess(SandboxSpec(employees=employees, faults={"rate_limit": limit})) as sandbox:
            settings = {
                **sandbox.settings,
                "page_size": plan.limit_page_size,
                "requests_per_window": plan.limit_requests,
                "window_seconds": plan.limit_window_seconds,
            }
            outcome = stream_in_subprocess(StreamRequest(settings=settings, fingerprint="none"))
        if outcome.records != employees:
            raise RuntimeError(f"streamed {outcome.records} employees, expected {employees}")
        sent = float(outcome.http["requests"])
        # The first window's burst is free (the limiter starts empty): leave it out so the rate is the sustained one.
        rate = (sent - plan.limit_requests) / outcome.seconds
        rates.append(rate)
        raw_rates.append(sent / outcome.seconds)
        shares.append(100.0 * rate / limit_per_second)
        seconds.append(outcome.seconds)
        requests.append(sent)
        too_many.append(float(outcome.http.get("rate_limited", 0)))
    result.metrics["sustained_rate"] = summarise(rates, "req/s")
    result.metrics["overall_rate"] = summarise(raw_rates, "req/s")
    result.metrics["share_of_limit"] = summarise(shares, "%")
    result.metrics["responses_429"] = summarise(too_many, "responses")
    result.metrics["requests"] = summarise(requests, "requests")
    result.metrics["stream_seconds"] = summarise(seconds, "s")
    share = result.metrics["share_of_limit"].median / 100.0
    worst_429 = result.metrics["responses_429"].maximum
    result.met = min(shares) / 100.0 >= TARGET_SHARE and worst_429 == 0
    result.headline = (
        f"sustained {result.metrics['sustained_rate'].render()} = {share:.1%} of {limit_per_second:g} req/s; "
        f"429s: {int(worst_429)} (worst run)"
    )
    return result
