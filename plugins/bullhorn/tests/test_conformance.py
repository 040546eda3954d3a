"""Bullhorn passes the provider conformance suite against its sandbox (loopback HTTP, rate limit off)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ats_core import ATSClient, connect
from ats_core.testing import ProviderConformance, WriteTargets


class TestBullhornConformance(ProviderConformance):
    provider = "bullhorn"
    page_size = 3  # the sandbox's 5 jobs take two pages
    # Lookups read jobs with their HTML descriptions (a detail table); streams leave them out to keep pages small.
    lookup_ignored_fields = frozenset({"description", "description_html", "extensions"})

    @pytest.fixture
    def client(self, sandbox_settings: dict[str, Any]) -> Iterator[ATSClient]:
        with connect("bullhorn", sandbox_settings) as connected:
            yield connected

    def unknown_id(self, operation_name: str) -> str:
        return "987654321"  # Bullhorn ids are whole numbers; anything else is refused as InvalidInput

    def write_targets(self, client: ATSClient) -> WriteTargets:
        application = next(client.stream_applications())
        return WriteTargets(
            candidate_id=application.candidate_id, application_id=application.remote_id, job_id=application.job_id
        )

    def write_value(self, client: ATSClient, operation_name: str, parameter: str) -> Any:
        if parameter == "updates":
            return {"customText1": "Nights"}  # labelled "Shift Preference" on all three entities' tenant
        return super().write_value(client, operation_name, parameter)

    def request_count(self, client: ATSClient) -> int:
        return client.provider.http_stats()["requests"]
