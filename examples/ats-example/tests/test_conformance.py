"""The example provider passes the conformance suite: the wiring a new provider copies (about 20 lines)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest
from ats_example import ExampleProvider

from ats_core import ATSClient, connect
from ats_core.testing import ProviderConformance, WriteTargets


def _provider(client: ATSClient) -> ExampleProvider:
    return cast(ExampleProvider, client.provider)


class TestExampleConformance(ProviderConformance):
    provider = "example"
    page_size = 4

    @pytest.fixture
    def client(self) -> Iterator[ATSClient]:
        with connect("example", {"seed": 11, "size": 23}) as client:
            yield client

    def write_targets(self, client: ATSClient) -> WriteTargets:
        return WriteTargets(candidate_id=next(client.stream_candidates()).remote_id)

    def read_back(self, client: ATSClient, operation: str, written: Any) -> Any:
        if operation == "add_note_to_candidate":
            notes = _provider(client).notes_of_candidate(written.candidate_id)
            return next((n for n in notes if n.remote_id == written.remote_id), None)
        return super().read_back(client, operation, written)

    def request_count(self, client: ATSClient) -> int:
        return _provider(client).store.requests
