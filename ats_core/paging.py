"""Reading page operations to the end: one loop for the CLI, the conformance suite and the sync engine.

`iter_pages` follows next cursors and refuses a provider that loops, by the one repeat check every path
shares (`fingerprint`: the same records as the page before, or a cursor handed out twice).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from ats_core.errors import PagingLoopError
from ats_core.models import Page, Record

__all__ = ["fingerprint", "iter_pages"]

RecordT = TypeVar("RecordT", bound=Record)


def fingerprint(remote_ids: Iterable[str | None]) -> str:
    """A short digest of a page's record ids, in order; "" for an empty page (which repeats nothing)."""
    ids = [str(remote_id) for remote_id in remote_ids]
    return hashlib.blake2b("\x1f".join(ids).encode(), digest_size=8).hexdigest() if ids else ""


def iter_pages(fetch: Callable[[str | None], Page[RecordT]], cursor: str | None = None) -> Iterator[Page[RecordT]]:
    """Every page from `cursor` (None: the first) to the end; PagingLoopError when the provider loops."""
    handed_out: set[str] = set() if cursor is None else {cursor}
    previous = ""
    pages = 0
    while True:
        page = fetch(cursor)
        pages += 1
        current = fingerprint([r.remote_id for r in page.items] + [r.remote_id for r in page.rejected])
        if current and current == previous:
            raise PagingLoopError(f"page {pages} holds the same records as the page before it")
        yield page
        if page.next_cursor is None:
            return
        if page.next_cursor in handed_out:
            raise PagingLoopError(f"the provider handed out a cursor again after {pages} page(s)")
        handed_out.add(page.next_cursor)
        previous, cursor = current, page.next_cursor
