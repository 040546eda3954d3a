"""TempWorks passes the provider conformance suite against its sandbox (loopback HTTP, rate limit off)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import cast

import pytest
from ats_tempworks.plugin import TempWorksProvider

from ats_core import ATSClient, connect
from ats_core.models import Record
from ats_core.sandbox import RunningSandbox, SandboxOptions, start_sandbox
from ats_core.testing import ProviderConformance, WriteTargets

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
_JOBS_HAVE_NO_MODIFIED_DATE = (
    "declared basic: updated_after cannot be applied to job orders (no modified date is known), so every call "
    "returns all job orders"
)


@pytest.fixture(scope="module")
def conformance_sandbox() -> Iterator[RunningSandbox]:
    """A small seeded sandbox for this module; rate limiting off to keep the suite fast."""
    running = start_sandbox("tempworks", SandboxOptions(size=24, seed=5, faults={"rate_limit": "off"}))
    try:
        yield running
    finally:
        running.stop()


def _provider(client: ATSClient) -> TempWorksProvider:
    return cast(TempWorksProvider, client.provider)


class TestTempWorksConformance(ProviderConformance):
    provider = "tempworks"
    page_size = 7
    # Lists and details are different payloads: the detail adds street lines and more extensions, the employee
    # list alone carries the cell phone; each field is checked against its own table elsewhere in the suite.
    lookup_ignored_fields = frozenset({"addresses", "phone_numbers", "extensions"})
    bypass = {
        "test_updated_after_returns_only_newer_records[stream_jobs]": _JOBS_HAVE_NO_MODIFIED_DATE,
        "test_updated_after_returns_only_newer_records[fetch_jobs_page]": _JOBS_HAVE_NO_MODIFIED_DATE,
        "test_future_updated_after_returns_nothing[stream_jobs]": _JOBS_HAVE_NO_MODIFIED_DATE,
        "test_future_updated_after_returns_nothing[fetch_jobs_page]": _JOBS_HAVE_NO_MODIFIED_DATE,
    }

    @pytest.fixture
    def client(self, conformance_sandbox: RunningSandbox) -> Iterator[ATSClient]:
        # the sandbox's settings carry its tenant time zone; the client-side limiter is off like the server's
        settings = {**conformance_sandbox.settings, "requests_per_window": 10_000, "window_seconds": 1}
        with connect("tempworks", settings) as connected:
            yield connected

    def unknown_id(self, operation_name: str) -> str:
        return "987654321"  # TempWorks ids are whole numbers; anything else is refused as InvalidInput

    def incremental_baseline(self, client: ATSClient, operation_name: str) -> list[Record]:
        # Full reads use the documented lists, which carry no modified date; a read modified since long ago
        # returns every record with its updated_at, which is what the incremental checks pivot on.
        return self._read(client, operation_name, updated_after=LONG_AGO)

    def write_targets(self, client: ATSClient) -> WriteTargets:
        application = next(client.stream_applications())
        return WriteTargets(
            candidate_id=next(client.stream_candidates()).remote_id,
            application_id=application.remote_id,
            job_id=application.job_id,
        )

    def request_count(self, client: ATSClient) -> int:
        return client.provider.http_stats()["requests"]
