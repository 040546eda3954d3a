"""Generic pagers: offset (with concurrent prefetch), cursor and page number, each with loop detection."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

from ats_core.errors import PagingLoopError
from ats_core.scope import run_in_scope

__all__ = ["CursorPager", "OffsetPage", "OffsetPager", "PageNumberPager", "PagingLoopError"]

T = TypeVar("T")


@dataclass(frozen=True)
class OffsetPage(Generic[T]):
    """One page of an offset API: the items and the total the provider reports (None if it does not)."""

    items: Sequence[T]
    total: int | None = None


class OffsetPager(Generic[T]):
    """skip/take paging; prefetches up to `concurrency` pages in threads, yielding them in order.

    At most `concurrency` pages are held at a time (fetched or in flight, including the one being yielded).
    Prefetch needs the total from the first page; without one, or when the provider returns fewer items than
    `page_size` before the total (a server-side cap), pages are fetched one by one from there on.
    """

    def __init__(
        self,
        fetch: Callable[[int, int], OffsetPage[T]],
        *,
        page_size: int,
        start: int = 0,
        concurrency: int = 1,
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.fetch = fetch
        self.page_size = page_size
        self.start = start
        self.concurrency = concurrency

    def __iter__(self) -> Iterator[T]:
        for _, page in self.pages():
            yield from page.items

    def pages(self) -> Generator[tuple[int, OffsetPage[T]], None, None]:
        """(skip, page) pairs in order, until an empty page, the reported total, or (without a total) a short page."""
        skip = self.start
        page = self.fetch(skip, self.page_size)
        if self.concurrency == 1 or page.total is None:
            yield from self._sequential(skip, page, None)
        else:
            yield from self._prefetching(skip, page)

    def _is_last(self, skip: int, page: OffsetPage[T]) -> bool:
        if not page.items:
            return True
        if page.total is not None:
            return skip + len(page.items) >= page.total
        return len(page.items) < self.page_size

    def _check_not_repeated(self, skip: int, page: OffsetPage[T], previous: OffsetPage[T] | None) -> None:
        if previous is not None and page.items and list(page.items) == list(previous.items):
            raise PagingLoopError(
                f"the page at skip={skip} repeats the previous page (is skip ignored?)",
            )

    def _sequential(
        self, skip: int, page: OffsetPage[T], previous: OffsetPage[T] | None
    ) -> Iterator[tuple[int, OffsetPage[T]]]:
        while True:
            self._check_not_repeated(skip, page, previous)
            yield skip, page
            if self._is_last(skip, page):
                return
            previous, skip = page, skip + len(page.items)
            page = self.fetch(skip, self.page_size)

    def _prefetching(self, skip: int, first: OffsetPage[T]) -> Iterator[tuple[int, OffsetPage[T]]]:
        executor = ThreadPoolExecutor(max_workers=max(self.concurrency - 1, 1), thread_name_prefix="ats-prefetch")
        pending: deque[tuple[int, Future[OffsetPage[T]]]] = deque()
        total = first.total
        next_skip = skip + self.page_size

        def top_up(held: int) -> None:
            nonlocal next_skip
            while held + len(pending) < self.concurrency and total is not None and next_skip < total:
                pending.append((next_skip, run_in_scope(executor, self.fetch, next_skip, self.page_size)))
                next_skip += self.page_size

        def drop_pending() -> None:
            for _, future in pending:
                future.cancel()
            pending.clear()

        try:
            top_up(held=1)
            page = first
            previous: OffsetPage[T] | None = None
            while True:
                self._check_not_repeated(skip, page, previous)
                yield skip, page
                if self._is_last(skip, page):
                    return
                total = page.total if page.total is not None else total
                previous = page
                if len(page.items) < self.page_size:
                    # The provider caps the page below page_size: the planned offsets would skip records.
                    drop_pending()
                    skip += len(page.items)
                    yield from self._sequential(skip, self.fetch(skip, self.page_size), previous)
                    return
                top_up(held=1)
                if not pending:
                    return
                skip, future = pending.popleft()
                page = future.result()
        finally:
            drop_pending()
            executor.shutdown(wait=True, cancel_futures=True)


class CursorPager(Generic[T]):
    """Cursor paging: `fetch(cursor)` returns (items, next cursor or None); a repeated cursor is an error."""

    def __init__(
        self,
        fetch: Callable[[str | None], tuple[Sequence[T], str | None]],
        *,
        start_cursor: str | None = None,
    ) -> None:
        self.fetch = fetch
        self.start_cursor = start_cursor
        self.cursor = start_cursor

    def __iter__(self) -> Iterator[T]:
        for _, items in self.pages():
            yield from items

    def pages(self) -> Generator[tuple[str | None, Sequence[T]], None, None]:
        """(cursor used, items) pairs; `self.cursor` is then the cursor to resume from (None when done)."""
        cursor = self.start_cursor
        seen: set[str] = set() if cursor is None else {cursor}
        while True:
            items, next_cursor = self.fetch(cursor)
            yield cursor, items
            self.cursor = next_cursor or None
            if not next_cursor:
                return
            if next_cursor in seen:
                raise PagingLoopError(
                    f"the provider sent a cursor it had already sent (after {len(seen)} page(s))",
                )
            seen.add(next_cursor)
            cursor = next_cursor


class PageNumberPager(Generic[T]):
    """Page-number paging: `fetch(n)` returns (items, more) where `more` is a has-more flag or the page count.

    A page whose items repeat the previous page's (the page number being ignored) is an error.
    """

    def __init__(
        self,
        fetch: Callable[[int], tuple[Sequence[T], bool | int]],
        *,
        first_page: int = 1,
    ) -> None:
        self.fetch = fetch
        self.first_page = first_page

    def __iter__(self) -> Iterator[T]:
        for _, items in self.pages():
            yield from items

    def pages(self) -> Generator[tuple[int, Sequence[T]], None, None]:
        """(page number, items) pairs until has-more is false, the page count is reached or a page is empty."""
        number = self.first_page
        previous: list[T] | None = None
        while True:
            items, more = self.fetch(number)
            current = list(items)
            if previous is not None and current and current == previous:
                raise PagingLoopError(
                    f"page {number} repeats page {number - 1} (is the page number ignored?)",
                )
            yield number, items
            if not current:
                return
            if isinstance(more, bool):
                if not more:
                    return
            elif number - self.first_page + 1 >= more:
                return
            previous = current
            number += 1
