"""Helpers of the fleet tests: the services' URLs, a list-backed page source with offset cursors, a fake clock."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ats_core.errors import ProviderUnavailable
from ats_core.fleet import StreamSource
from ats_core.models import Candidate, Page, RejectedRecord

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def service_url(variable: str, service: str) -> str:
    """The URL in `variable`; a skip saying how to get it, or (CI=true) a failure: CI never skips a service."""
    url = os.environ.get(variable)
    if url:
        return url
    message = f"{service} is not available: set {variable} (`make test` starts {service} through .ci/services.sh)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: {message}")
    pytest.skip(message)


def candidate(number: int, updated_at: datetime | None = T0, **fields: Any) -> Candidate:
    """A candidate with remote id `number`."""
    return Candidate(
        provider="fake", remote_id=str(number), updated_at=updated_at, first_name=f"Name{number}", **fields
    )


@dataclass
class Clock:
    """A fake clock: `now` until advanced."""

    now: datetime = T0 + timedelta(days=30)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class ListSource:
    """Records paged by an offset cursor, filtered by updated_after; refuses the ids in `invalid_ids`.

    `before_fetch(call_number)` runs before each fetch (to block or fail there); `fail_on_call` raises a 503 once.
    """

    records: list[Candidate]
    invalid_ids: frozenset[str] = frozenset()
    fail_on_call: int | None = None
    before_fetch: Callable[[int], None] | None = None
    calls: list[tuple[datetime | None, str | None]] = field(default_factory=list)

    def fetch(self, updated_after: datetime | None, cursor: str | None, page_size: int | None) -> Page[Candidate]:
        self.calls.append((updated_after, cursor))
        if self.before_fetch is not None:
            self.before_fetch(len(self.calls))
        if self.fail_on_call == len(self.calls):
            raise ProviderUnavailable(status_code=503, provider="fake", operation="fetch_candidates_page")
        size = page_size or 10
        matching = [
            r for r in self.records if updated_after is None or r.updated_at is None or r.updated_at > updated_after
        ]
        start = int(cursor or 0)
        served = matching[start : start + size]
        rejected = [
            RejectedRecord(
                provider="fake",
                entity="Candidate",
                remote_id=record.remote_id,
                error="email: invalid",
                remote_data={"id": record.remote_id, "email": "not-an-email"},
            )
            for record in served
            if record.remote_id in self.invalid_ids
        ]
        next_cursor = str(start + size) if start + size < len(matching) else None
        return Page[Candidate](
            items=[r for r in served if r.remote_id not in self.invalid_ids], next_cursor=next_cursor, rejected=rejected
        )

    def source(self) -> StreamSource:
        """This source as a slice reads it."""
        return StreamSource("fake", self.fetch)
