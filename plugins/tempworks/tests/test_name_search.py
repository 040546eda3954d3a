"""Name search reads every page of the advanced search: a common surname is not cut at one page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from ats_tempworks.search import NAME_SEARCH_PAGE

import ats_core
from ats_core.sandbox import SandboxOptions, start_sandbox


@pytest.fixture(scope="module")
def client() -> Iterator[ats_core.ATSClient]:
    sandbox = start_sandbox("tempworks", SandboxOptions(size=9000, seed=7, faults={"rate_limit": "off"}))
    settings = {**sandbox.settings, "requests_per_window": 100_000, "window_seconds": 1}
    with ats_core.connect("tempworks", settings) as connected:
        yield connected
    sandbox.stop()


def test_a_surname_shared_by_more_than_a_page_of_employees_finds_them_all(client: ats_core.ATSClient) -> None:
    surnames = Counter(candidate.last_name for candidate in client.stream_candidates())
    surname, expected = surnames.most_common(1)[0]
    assert surname is not None and expected > NAME_SEARCH_PAGE, "the seed should give a surname spanning two pages"
    found = client.find_candidates_by_details(last_name=surname)
    assert len(found) == expected
    assert len({candidate.remote_id for candidate in found}) == expected
