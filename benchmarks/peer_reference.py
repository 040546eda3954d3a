"""The sandbox's own set of employee ids, read independently of the tools, and how a tool's stored ids compare.

The reference read pages with the largest page the sandbox allows and retries a page until it arrives
whole (the sandbox's faults are transient), so it holds under the same faults the tools face.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import httpx

from benchmarks.peer_loaders import EMPLOYEES_PATH

__all__ = ["Comparison", "compare", "reference_ids"]

REFERENCE_PAGE_SIZE = 1000  # the sandbox's MAX_TAKE
ATTEMPTS_PER_PAGE = 30


def _page(client: httpx.Client, skip: int) -> dict[str, object]:
    last: Exception | None = None
    for _ in range(ATTEMPTS_PER_PAGE):
        try:
            response = client.get(EMPLOYEES_PATH, params={"skip": skip, "take": REFERENCE_PAGE_SIZE})
            response.raise_for_status()
            page: dict[str, object] = json.loads(response.content)
            return page
        except (httpx.HTTPError, ValueError) as error:  # a 5xx, a dropped connection or a cut-off body
            last = error
    raise RuntimeError(f"the reference read of skip={skip} failed {ATTEMPTS_PER_PAGE} times: {last}")


def reference_ids(base_url: str, account_sid: str, auth_token: str) -> frozenset[str]:
    """Every employee id the sandbox lists, checked against its totalCount (no id twice)."""
    ids: list[str] = []
    with httpx.Client(base_url=base_url, auth=(account_sid, auth_token), timeout=30.0) as client:
        skip, total = 0, 1
        while skip < total:
            page = _page(client, skip)
            items = page["data"]
            assert isinstance(items, list) and isinstance(page["totalCount"], int)
            ids.extend(str(item["employeeId"]) for item in items)
            total = page["totalCount"]
            skip += REFERENCE_PAGE_SIZE
            if not items:
                break
    if len(ids) != total or len(set(ids)) != total:
        raise RuntimeError(f"the reference read got {len(ids)} ids ({len(set(ids))} distinct) of {total}")
    return frozenset(ids)


@dataclass(frozen=True)
class Comparison:
    """A tool's stored ids against the sandbox's: how many it lost, stored twice or invented."""

    stored: int
    lost: int
    duplicated: int
    unknown: int

    @property
    def exact(self) -> bool:
        """Every id once, nothing else."""
        return self.lost == 0 and self.duplicated == 0 and self.unknown == 0


def compare(stored: Iterable[str], expected: frozenset[str]) -> Comparison:
    """Count lost ids (expected, not stored), extra copies of stored ids, and stored ids the sandbox never listed."""
    counts = Counter(stored)
    return Comparison(
        stored=sum(counts.values()),
        lost=len(expected - counts.keys()),
        duplicated=sum(count - 1 for count in counts.values()),
        unknown=len(counts.keys() - expected),
    )
