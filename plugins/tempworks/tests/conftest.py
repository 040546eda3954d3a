"""Shared fixtures: one TempWorks sandbox over a real loopback socket for the whole session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ats_core import ATSClient, connect
from ats_core.sandbox import RunningSandbox, SandboxOptions, start_sandbox

SANDBOX_SIZE = 60
SANDBOX_SEED = 11
REALISTIC = {
    "rate_limit": "off",  # the limiter has tests of its own; here it would only slow the suite
    "list_order": "random-stable",  # live lists are not in id order
    "clock_skew_s": "2",  # the server's clock is not ours
    "jitter_ms": "0-3",  # answers do not come back in the order their requests went out
}
"""Realistic conditions every test here runs under (the sandbox's defaults are the ideal ones)."""


@pytest.fixture(scope="session")
def sandbox() -> Iterator[RunningSandbox]:
    """A seeded sandbox of 60 employees, found through its entry point, under the REALISTIC conditions."""
    options = SandboxOptions(size=SANDBOX_SIZE, seed=SANDBOX_SEED, faults=REALISTIC)
    running = start_sandbox("tempworks", options)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def sandbox_settings(sandbox: RunningSandbox) -> dict[str, Any]:
    """Connection settings for the sandbox (OAuth2 client credentials and its tenant time zone), no client limit."""
    assert "time_zone" in sandbox.settings, "the sandbox names the zone of its offset-less timestamps"
    return {**sandbox.settings, "requests_per_window": 10_000, "window_seconds": 1}


@pytest.fixture()
def client(sandbox_settings: dict[str, Any]) -> Iterator[ATSClient]:
    """A connected ATSClient, closed after the test."""
    with connect("tempworks", sandbox_settings) as connected:
        yield connected
