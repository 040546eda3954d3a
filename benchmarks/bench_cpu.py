"""Benchmark 3: CPU per record to parse, validate and map TempWorks employee pages, against raw JSON access.

Both sides start from the same response bodies, fetched once from the sandbox over HTTP. The framework
side does what the TempWorks stream does per page: decode the JSON as `ApiClient` does (`decode_json`),
validate the `{data, totalCount}` envelope (`ListEnvelope`), and map the items with the compiled
candidate mapper. The baseline decodes the same bytes with `json.loads` and reads eight fields of every
item into a tuple.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.plan import Plan
from benchmarks.result import BenchmarkResult, summarise
from benchmarks.sandbox_process import SandboxProcess, SandboxSpec

__all__ = [
    "BASELINE_FIELDS",
    "EMPLOYEES_PATH",
    "baseline_pass",
    "fetch_employee_pages",
    "framework_pass",
    "run_cpu",
    "run_cpu_on_pages",
]

PROVIDER = "tempworks"
EMPLOYEES_PATH = "/Search/Employees"
TARGET_RATIO = 3.0
BASELINE_FIELDS = (
    "employeeId",
    "firstName",
    "lastName",
    "emailAddress",
    "phoneNumber",
    "municipality",
    "postalCode",
    "isActive",
)


def fetch_employee_pages(settings: dict[str, Any], *, pages: int, page_size: int) -> list[bytes]:
    """The raw bodies of the first `pages` employee list pages, fetched with the provider's own HTTP client."""
    import ats_core

    bodies: list[bytes] = []
    with ats_core.connect(PROVIDER, {**settings, "page_size": page_size}) as client:
        api = client.provider.library.api  # type: ignore[attr-defined]
        for number in range(pages):
            params = {"skip": number * page_size, "take": page_size}
            response = api.request("GET", EMPLOYEES_PATH, params=params, request_class="slow")
            bodies.append(response.content)
    return bodies


def baseline_pass(bodies: Sequence[bytes]) -> int:
    """`json.loads` every body and read eight fields of every item; returns the records read."""
    count = 0
    for body in bodies:
        for item in json.loads(body)["data"]:
            (
                item.get("employeeId"),
                item.get("firstName"),
                item.get("lastName"),
                item.get("emailAddress"),
                item.get("phoneNumber"),
                item.get("municipality"),
                item.get("postalCode"),
                item.get("isActive"),
            )
            count += 1
    return count


def framework_pass(bodies: Sequence[bytes], *, time_zone: str = "America/Chicago") -> int:
    """Decode, validate the envelope and map every item to a canonical Candidate, as the stream does."""
    from ats_tempworks.manifest import MANIFEST
    from ats_tempworks.models import ListEnvelope

    from ats_core.fields import resolve_time_zone
    from ats_core.http.client import decode_json
    from ats_core.mapping import compile_table

    zone = resolve_time_zone(time_zone)
    table = MANIFEST.mapping("employee_list")
    mapper = compile_table(table, provider=MANIFEST.name, time_zone=zone, null_dates=MANIFEST.null_dates)
    count = 0
    for body in bodies:
        items = ListEnvelope.model_validate(decode_json(body)).data
        count += len(mapper.map_page(items).records)
    return count


def _cpu_microseconds_per_record(work: Callable[[Sequence[bytes]], int], bodies: Sequence[bytes]) -> float:
    gc.collect()
    started = time.process_time()
    records = work(bodies)
    elapsed = time.process_time() - started
    if records == 0:
        raise ValueError("the pages hold no records")
    return max(elapsed, 1e-9) * 1e6 / records


def run_cpu_on_pages(
    bodies: Sequence[bytes], *, runs: int, parameters: dict[str, Any] | None = None
) -> BenchmarkResult:
    """Time both sides over the same bodies, alternating, after one warm-up pass each (CPU time, not wall)."""
    records = baseline_pass(bodies)
    framework_pass(bodies)
    result = BenchmarkResult(
        key="cpu",
        title="3. per-record CPU cost",
        target=f"parse + validate + map <= {TARGET_RATIO:g}x raw json.loads + dict access (µs per record)",
        parameters={
            **(parameters or {}),
            "pages": len(bodies),
            "records": records,
            "bytes_per_record": round(sum(len(body) for body in bodies) / records),
            "runs": runs,
            "clock": "process CPU time",
        },
    )
    baseline: list[float] = []
    framework: list[float] = []
    for _ in range(runs):
        baseline.append(_cpu_microseconds_per_record(baseline_pass, bodies))
        framework.append(_cpu_microseconds_per_record(framework_pass, bodies))
    result.metrics["baseline_us_per_record"] = summarise(baseline, "µs/record")
    result.metrics["framework_us_per_record"] = summarise(framework, "µs/record")
    result.metrics["ratio"] = summarise([f / b for f, b in zip(framework, baseline, strict=True)], "x")
    ratio = result.metrics["ratio"].median
    result.met = ratio <= TARGET_RATIO
    result.headline = (
        f"framework {result.metrics['framework_us_per_record'].render()} vs raw "
        f"{result.metrics['baseline_us_per_record'].render()}: {ratio:.2f}x"
    )
    return result


def run_cpu(plan: Plan) -> BenchmarkResult:
    """Fetch `cpu_pages` pages of `cpu_page_size` employees from a sandbox process, then time in-process."""
    employees = plan.cpu_pages * plan.cpu_page_size
    with SandboxProcess(SandboxSpec(employees=employees, faults={"rate_limit": "off"})) as sandbox:
        bodies = fetch_employee_pages(sandbox.settings, pages=plan.cpu_pages, page_size=plan.cpu_page_size)
    return run_cpu_on_pages(bodies, runs=plan.cpu_runs, parameters={"page_size": plan.cpu_page_size})
