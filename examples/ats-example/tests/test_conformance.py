"""The example provider passes the conformance suite: the wiring a new provider copies (about 20 lines)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

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

    def request_count(self, client: ATSClient) -> int:
        return _provider(client).store.requests
