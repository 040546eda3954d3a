"""One measured client run in a fresh interpreter: stream every candidate from a sandbox to a null sink.

Run as `python -m benchmarks.stream_client REQUEST_JSON`; prints one JSON line: records, seconds, HTTP
counters, peak RSS (resource.getrusage), RSS after imports, RSS checkpoints along the stream and a
fingerprint of the records in order. A fresh process per run keeps each measurement isolated.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from benchmarks.sandbox_process import SandboxProcess

__all__ = [
    "StreamOutcome",
    "StreamRequest",
    "current_rss_kb",
    "peak_rss_kb",
    "run_stream_client",
    "stream_in_subprocess",
]

PROVIDER = "tempworks"
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class StreamRequest:
    """What the child streams: the connection settings and how to fingerprint and sample."""

    settings: dict[str, Any]
    fingerprint: str = "ids"  # "ids": remote ids in order; "full": every record's canonical JSON; "none"
    checkpoints: int = 10  # RSS samples taken along the stream
    expected_records: int = 0  # to place the checkpoints


@dataclass
class StreamOutcome:
    """What one run measured."""

    records: int
    seconds: float
    cpu_seconds: float
    fingerprint: str
    http: dict[str, Any]
    rss_after_imports_kb: int
    peak_rss_kb: int
    rss_checkpoints_kb: list[tuple[int, int]] = field(default_factory=list)
    server_cpu_seconds: float | None = None  # filled in by the parent from the sandbox process's counters


def peak_rss_kb() -> int:
    """This process's peak resident set size in KiB.

    Linux's VmHWM (/proc/self/status) is reset by exec; ru_maxrss is not (a child would report its
    parent's peak if that was higher), so ru_maxrss is only the fallback where /proc is missing.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def current_rss_kb() -> int:
    """This process's resident set size now, in KiB (/proc/self/statm; falls back to the peak)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * _PAGE // 1024
    except OSError:
        return peak_rss_kb()


def _consume(records: Iterable[Any], request: StreamRequest) -> tuple[int, str, list[tuple[int, int]]]:
    digest = hashlib.sha256()
    every = max(1, request.expected_records // max(1, request.checkpoints))
    checkpoints: list[tuple[int, int]] = []
    count = 0
    for record in records:
        count += 1
        if request.fingerprint == "ids":
            digest.update(record.remote_id.encode())
            digest.update(b"\n")
        elif request.fingerprint == "full":
            digest.update(record.model_dump_json().encode())
            digest.update(b"\n")
        if count % every == 0:
            checkpoints.append((count, current_rss_kb()))
    return count, digest.hexdigest(), checkpoints


def _http_counters(provider: Any) -> dict[str, Any]:
    """The provider's HTTP counters, with per-status counts from its `ApiClient` where it exposes one."""
    counters: dict[str, Any] = dict(provider.http_stats())
    api = getattr(getattr(provider, "library", None), "api", None)
    if api is not None:
        counters.update(api.stats.summary())
    return counters


def run_stream_client(request: StreamRequest) -> StreamOutcome:
    """Connect, stream every candidate and measure; the connection is closed before returning."""
    import ats_tempworks.plugin  # noqa: F401 - count the provider's imports in the baseline, not in the stream

    import ats_core

    rss_after_imports = current_rss_kb()
    with ats_core.connect(PROVIDER, request.settings) as client:
        started, cpu_started = time.perf_counter(), time.process_time()
        count, fingerprint, checkpoints = _consume(client.stream_candidates(), request)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        http = _http_counters(client.provider)
    return StreamOutcome(
        records=count,
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        fingerprint=fingerprint,
        http=http,
        rss_after_imports_kb=rss_after_imports,
        peak_rss_kb=peak_rss_kb(),
        rss_checkpoints_kb=checkpoints,
    )


def stream_in_subprocess(
    request: StreamRequest, *, sandbox: SandboxProcess | None = None, timeout: float = 3600
) -> StreamOutcome:
    """Run `run_stream_client` in a fresh interpreter and return what it measured (all threads' CPU included).

    With `sandbox`, the CPU the sandbox process spent meanwhile is recorded too (it tells which side bounds a run).
    """
    server_before = sandbox.cpu_seconds() if sandbox is not None else None
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.stream_client", json.dumps(asdict(request))],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the stream client exited {completed.returncode}: {completed.stderr[-3000:]}")
    values = json.loads(completed.stdout.strip().splitlines()[-1])
    values["rss_checkpoints_kb"] = [tuple(point) for point in values["rss_checkpoints_kb"]]
    outcome = StreamOutcome(**values)
    server_after = sandbox.cpu_seconds() if sandbox is not None else None
    if server_before is not None and server_after is not None:
        outcome.server_cpu_seconds = server_after - server_before
    return outcome


if __name__ == "__main__":
    outcome = run_stream_client(StreamRequest(**json.loads(sys.argv[1])))
    sys.stdout.write(json.dumps(asdict(outcome)) + "\n")
