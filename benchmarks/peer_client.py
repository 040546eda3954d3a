"""One measured load by one tool in a fresh interpreter, so CPU time and peak RSS are that tool's alone.

The parent runs `python -m benchmarks.peer_client TOOL` with the `PeerJob` as JSON on standard input; the
child imports what the tool needs, loads, and prints one JSON line last: wall and CPU seconds of the load
(all threads, and any processes it waited for), CPU of the whole process (imports included), peak RSS
(VmHWM) and the error that stopped the tool, if one did. The parent reads the stored ids itself.
"""

from __future__ import annotations

import contextlib
import json
import resource
import subprocess
import sys
import time
import traceback
from dataclasses import asdict, dataclass

from benchmarks.peer_loaders import LOADERS, PeerJob, prepare
from benchmarks.stream_client import peak_rss_kb

__all__ = ["PeerOutcome", "load_in_subprocess", "measure_load"]


@dataclass(frozen=True)
class PeerOutcome:
    """What one tool's load measured (the ids it stored are read by the parent)."""

    tool: str
    seconds: float
    cpu_seconds: float
    process_cpu_seconds: float
    peak_rss_kb: int
    error: str | None


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure_load(tool: str, job: PeerJob) -> PeerOutcome:
    """Import, then load with `tool` and measure; an exception of the tool is reported, not raised."""
    prepare(tool)
    error = None
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    try:
        with contextlib.redirect_stdout(sys.stderr):  # keep the tools' own output off the result line
            LOADERS[tool](job)
    except (Exception, SystemExit) as caught:  # the CLI exits 1 on errors; a stopped tool is a result here
        traceback.print_exc(file=sys.stderr)
        error = f"{type(caught).__name__}: {caught}"[:300]
    seconds, cpu_seconds = time.perf_counter() - started, _cpu_seconds() - cpu_started
    return PeerOutcome(tool, seconds, cpu_seconds, _cpu_seconds(), peak_rss_kb(), error)


def load_in_subprocess(tool: str, job: PeerJob, *, timeout: float = 3600) -> PeerOutcome:
    """Run `measure_load` in a fresh interpreter (the job goes on stdin: it holds the access token)."""
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.peer_client", tool],
        input=json.dumps(asdict(job)),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0 or not completed.stdout.strip():
        raise RuntimeError(f"the {tool} load exited {completed.returncode}: {completed.stderr[-3000:]}")
    return PeerOutcome(**json.loads(completed.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    outcome = measure_load(sys.argv[1], PeerJob(**json.loads(sys.stdin.read())))
    sys.stdout.write(json.dumps(asdict(outcome)) + "\n")
