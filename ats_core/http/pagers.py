"""Generic pagers: offset (with concurrent prefetch), cursor and page number, each with loop detection."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

from ats_core.errors import InvalidResponse, PagingLoopError
from ats_core.scope import run_in_scope

__all__ = ["CursorPager", "OffsetPage", "OffsetPager", "PageNumberPager", "PagingLoopError"]

T = TypeVar("T")


@dataclass(frozen=True)
class OffsetPage(Generic[T]):
    """One page of an offset API: the items and the total the provider reports (None if it does not).

    The total is a hint for prefetching, never the only sign of the end; a negative or non-integer one is an
    InvalidResponse.
    """

    items: Sequence[T]
    total: int | None = None

    def __post_init__(self) -> None:
        total: object = self.total
        if total is None or (isinstance(total, int) and not isinstance(total, bool) and total >= 0):
            return
        shown = repr(total) if isinstance(total, int | float) else f"a {type(total).__name__}"
        raise InvalidResponse(
            f"the reported total ({shown}) is not a non-negative whole number",
            hint="the ATS sent a broken record count; report it to the ATS vendor",
        )


class OffsetPager(Generic[T]):
    """skip/take paging; prefetches up to `concurrency` pages in threads, yielding them in order.

    At most `concurrency` pages are held at a time (fetched or in flight, including the one being yielded).
    Paging ends on an empty page, or on a short page unless the total says more are left (a server-side cap).
    A total is only a hint: prefetch plans pages up to it, and reads on one by one past it while pages come
    full (a total lying low truncates nothing). Without a total, or when a page holds other than `page_size`
    items, pages are fetched one by one from there on.
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
        """(skip, page) pairs in order, until an empty page or a short one (see the class docstring)."""
        skip = self.start
        page = self.fetch(skip, self.page_size)
        if self.concurrency == 1 or page.total is None:
            yield from self._sequential(skip, page, None)
        else:
            yield from self._prefetching(skip, page)

    def _is_last(self, skip: int, page: OffsetPage[T]) -> bool:
        """An empty page ends paging, and a short one unless its total says records are left; a full one never."""
        if not page.items:
            return True
        if len(page.items) >= self.page_size:
            return False
        return page.total is None or skip + len(page.items) >= page.total

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
                if len(page.items) == self.page_size:
                    top_up(held=1)
                else:  # the provider sized the page otherwise (a server-side cap): the planned offsets are wrong
                    drop_pending()
                if not pending:
                    # Past the total with pages still coming full, or after a capped page: read on one by one.
                    skip += len(page.items)
                    yield from self._sequential(skip, self.fetch(skip, self.page_size), previous)
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
