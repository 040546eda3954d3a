"""Pagers: offset (sequential and concurrent prefetch), cursor, page number, and their loop detection."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ats_core.errors import InvalidResponse
from ats_core.http import CursorPager, OffsetPage, OffsetPager, PageNumberPager, PagingLoopError
from ats_core.scope import operation_scope


class Source:
    """An instrumented offset endpoint over `size` records; tracks pages fetched but not yet consumed."""

    def __init__(self, size: int, *, report_total: bool = True) -> None:
        self.records = [{"id": i} for i in range(size)]
        self.report_total = report_total
        self.fetches: list[tuple[int, int]] = []
        self.consumed = 0
        self.max_held = 0
        self.lock = threading.Lock()

    def fetch(self, skip: int, take: int) -> OffsetPage[dict[str, int]]:
        with self.lock:
            self.fetches.append((skip, take))
            self.max_held = max(self.max_held, len(self.fetches) - self.consumed)
        return OffsetPage(self.records[skip : skip + take], len(self.records) if self.report_total else None)

    def consume(self, pager: OffsetPager[dict[str, int]]) -> list[dict[str, int]]:
        out: list[dict[str, int]] = []
        for _, page in pager.pages():
            out.extend(page.items)
            with self.lock:
                self.consumed += 1
        return out


@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 1000])
def test_sequential_offset_paging_reads_everything_once(size: int) -> None:
    source = Source(size)
    assert source.consume(OffsetPager(source.fetch, page_size=100)) == source.records
    # paging ends on a short or empty page: a size that is a multiple of the page size costs one empty page
    assert [skip for skip, _ in source.fetches] == list(range(0, size // 100 * 100 + 1, 100))


def test_paging_stops_at_a_short_page_without_a_total() -> None:
    source = Source(250, report_total=False)
    pager = OffsetPager(source.fetch, page_size=100, concurrency=4)
    assert list(pager) == source.records
    assert [skip for skip, _ in source.fetches] == [0, 100, 200]


@settings(max_examples=25, deadline=None)
@given(size=st.integers(0, 700), page_size=st.integers(1, 60), concurrency=st.integers(1, 6), start=st.integers(0, 50))
def test_prefetch_yields_what_sequential_paging_yields(size: int, page_size: int, concurrency: int, start: int) -> None:
    sequential = Source(size)
    expected = sequential.consume(OffsetPager(sequential.fetch, page_size=page_size, start=start))
    concurrent = Source(size)
    got = concurrent.consume(OffsetPager(concurrent.fetch, page_size=page_size, start=start, concurrency=concurrency))
    assert got == expected == sequential.records[start:]
    assert sorted(concurrent.fetches) == sorted(sequential.fetches)
    assert concurrent.max_held <= concurrency


def test_prefetch_really_runs_concurrently_and_holds_at_most_n_pages() -> None:
    source = Source(2000)
    in_flight = 0
    peak = 0
    lock = threading.Lock()
    both_running = threading.Event()
    gave_up = threading.Event()

    def slow_fetch(skip: int, take: int) -> OffsetPage[dict[str, int]]:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
            if in_flight >= 2:
                both_running.set()
        # the first page is fetched alone; later ones wait (once, at most 2 s) for a peer to overlap with
        if skip > 0 and not gave_up.is_set() and not both_running.wait(2):
            gave_up.set()
        with lock:
            in_flight -= 1
        return source.fetch(skip, take)

    pager = OffsetPager(slow_fetch, page_size=50, concurrency=4)
    out: list[dict[str, int]] = []
    for _, page in pager.pages():
        out.extend(page.items)
        with source.lock:
            source.consumed += 1
    assert out == source.records
    assert peak >= 2
    assert source.max_held <= 4


class CappedSource(Source):
    """A provider that returns at most `cap` items whatever `take` asks for."""

    def __init__(self, size: int, cap: int) -> None:
        super().__init__(size)
        self.cap = cap

    def fetch(self, skip: int, take: int) -> OffsetPage[dict[str, int]]:
        return super().fetch(skip, min(take, self.cap))


@pytest.mark.parametrize("concurrency", [1, 4])
def test_a_provider_capping_the_page_size_loses_no_records(concurrency: int) -> None:
    source = CappedSource(230, cap=30)
    assert list(OffsetPager(source.fetch, page_size=50, concurrency=concurrency)) == source.records


def test_a_total_larger_than_the_records_ends_at_the_empty_page() -> None:
    def fetch(skip: int, take: int) -> OffsetPage[int]:
        return OffsetPage(list(range(skip, min(skip + take, 45))), 1000)

    assert list(OffsetPager(fetch, page_size=10, concurrency=3)) == list(range(45))


def test_prefetch_stops_fetching_when_the_consumer_stops() -> None:
    source = Source(10_000)
    pages = OffsetPager(source.fetch, page_size=10, concurrency=3).pages()
    next(pages)
    next(pages)
    pages.close()
    fetched = len(source.fetches)
    assert fetched <= 5


def test_a_failing_prefetched_page_raises_in_the_consumer() -> None:
    def fetch(skip: int, take: int) -> OffsetPage[int]:
        if skip == 30:
            raise RuntimeError("page 30 broke")
        return OffsetPage(list(range(skip, skip + take)), 100)

    seen: list[int] = []
    with pytest.raises(RuntimeError, match="page 30 broke"):
        for item in OffsetPager(fetch, page_size=10, concurrency=3):
            seen.append(item)
    assert seen == list(range(30))


def test_offset_pager_detects_a_provider_ignoring_skip() -> None:
    def fetch(skip: int, take: int) -> OffsetPage[int]:
        return OffsetPage([1, 2, 3], None)

    with pytest.raises(PagingLoopError) as info, operation_scope("demo", "list_candidates"):
        list(OffsetPager(fetch, page_size=3))
    assert "demo.list_candidates" in str(info.value)


def test_cursor_pager_follows_cursors_and_remembers_where_it_is() -> None:
    chain = {None: ([1, 2], "c1"), "c1": ([3], "c2"), "c2": ([4], None)}
    pager = CursorPager(lambda cursor: chain[cursor])
    assert list(pager) == [1, 2, 3, 4]
    assert pager.cursor is None
    resumed = CursorPager(lambda cursor: chain[cursor], start_cursor="c1")
    assert list(resumed) == [3, 4]


def test_cursor_pager_raises_on_a_repeated_cursor() -> None:
    chain = {None: ([1], "a"), "a": ([2], "b"), "b": ([3], "a")}
    fetched: list[str | None] = []

    def fetch(cursor: str | None) -> tuple[list[int], str | None]:
        fetched.append(cursor)
        return chain[cursor]

    with pytest.raises(PagingLoopError) as info:
        list(CursorPager(fetch))
    assert fetched == [None, "a", "b"]
    assert "already sent" in str(info.value)


def test_cursor_pager_raises_when_the_next_cursor_is_the_current_one() -> None:
    with pytest.raises(PagingLoopError):
        list(CursorPager(lambda cursor: ([1], "same"), start_cursor="same"))


def test_page_number_pager_uses_has_more_or_page_count() -> None:
    data = {1: [1, 2], 2: [3, 4], 3: [5]}
    assert list(PageNumberPager(lambda n: (data[n], n < 3))) == [1, 2, 3, 4, 5]
    assert list(PageNumberPager(lambda n: (data[n], 3))) == [1, 2, 3, 4, 5]
    assert list(PageNumberPager(lambda n: (data.get(n, []), True))) == [1, 2, 3, 4, 5]
    zero_based = {0: [1], 1: [2]}
    assert list(PageNumberPager(lambda n: (zero_based[n], 2), first_page=0)) == [1, 2]


def test_page_number_pager_raises_when_the_page_number_is_ignored() -> None:
    calls: list[int] = []

    def fetch(n: int) -> tuple[list[int], bool]:
        calls.append(n)
        return [1, 2, 3], True

    with pytest.raises(PagingLoopError) as info:
        list(PageNumberPager(fetch))
    assert calls == [1, 2]
    assert "page 2 repeats page 1" in str(info.value)


class LyingSource(Source):
    """Reports `totals[i]` as the total of the i-th page fetched (the last one for later pages)."""

    def __init__(self, size: int, totals: list[int | None]) -> None:
        super().__init__(size)
        self.totals = totals

    def fetch(self, skip: int, take: int) -> OffsetPage[dict[str, int]]:
        page = super().fetch(skip, take)
        with self.lock:
            total = self.totals[min(len(self.fetches), len(self.totals)) - 1]
        return OffsetPage(page.items, total)


@pytest.mark.parametrize("concurrency", [1, 3])
def test_a_total_that_lies_low_does_not_truncate_the_stream(concurrency: int) -> None:
    source = LyingSource(237, totals=[50])
    assert list(OffsetPager(source.fetch, page_size=20, concurrency=concurrency)) == source.records


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(0, 300),
    page_size=st.integers(1, 40),
    concurrency=st.integers(1, 5),
    totals=st.lists(st.none() | st.integers(0, 600), min_size=1, max_size=6),
)
def test_totals_are_only_a_prefetch_hint(size: int, page_size: int, concurrency: int, totals: list[int | None]) -> None:
    source = LyingSource(size, totals)
    assert list(OffsetPager(source.fetch, page_size=page_size, concurrency=concurrency)) == source.records


@pytest.mark.parametrize("total", [-1, -1000, 2.5, 10.0, "237", True, float("nan")])
def test_a_negative_or_non_integer_total_is_an_invalid_response(total: object) -> None:
    with pytest.raises(InvalidResponse) as info, operation_scope("demo", "list_candidates"):
        OffsetPage([1, 2], total)  # type: ignore[arg-type]
    assert "total" in str(info.value) and "demo.list_candidates" in str(info.value)
