"""Shared fixtures: one Bullhorn sandbox over a real loopback socket for the whole session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ats_core.sandbox import RunningSandbox, SandboxOptions, start_sandbox

SANDBOX_SIZE = 100
SANDBOX_SEED = 5


@pytest.fixture(scope="session")
def sandbox() -> Iterator[RunningSandbox]:
    """A seeded sandbox of 100 candidates (5 jobs, ~100 submissions), found through its entry point; no rate limit."""
    running = start_sandbox(
        "bullhorn", SandboxOptions(size=SANDBOX_SIZE, seed=SANDBOX_SEED, faults={"rate_limit": "off"})
    )
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def sandbox_settings(sandbox: RunningSandbox) -> dict[str, Any]:
    """Settings for the sandbox (its discovery URL, OAuth key and API user), with a generous client-side limit."""
    return {**sandbox.settings, "requests_per_window": 1500, "window_seconds": 60}
