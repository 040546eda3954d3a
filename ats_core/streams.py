"""Streams: a provider declares one per entity; the core pages it, owns its cursors and derives both hooks.

A provider subclasses `Stream` (or `OffsetStream` for skip/take APIs) per entity and lists the classes in
`Provider.streams`; the manifest declares each stream's incremental support, sort, lookback, page-size
bounds and filters (`StreamDeclaration`). From that the core derives the page hook (`fetch_<entity>s_page`)
and the record hook (`stream_<entity>s`): it decodes and signs cursors (`ats_core.cursors`), applies the
lookback and the filters the ATS cannot, refuses pages that repeat (`PagingLoopError`), fills pages that
client-side filters emptied, prefetches offset pages, and hands rejected records to the connection's
policy. A stream only says how to fetch one page and how its rows become records.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from ats_core.cursors import CursorContent, decode_cursor, encode_cursor
from ats_core.errors import InvalidInput, PagingLoopError
from ats_core.mapping import MappedPage, RecordMapper
from ats_core.models import Page, Record, RejectedRecord
from ats_core.operations import Entity
from ats_core.paging import fingerprint

if TYPE_CHECKING:
    from ats_core.manifest import StreamDeclaration
    from ats_core.provider import Provider

__all__ = [
    "Fetched",
    "OffsetStream",
    "Position",
    "Rows",
    "Stream",
    "StreamQuery",
    "StreamReader",
]

RecordT = TypeVar("RecordT", bound=Record)
ProviderT = TypeVar("ProviderT", bound="Provider")
Position = Mapping[str, Any]
"""Where a page starts, as the stream understands it; JSON-able (it travels inside the cursor)."""

_SEEN = "_seen"  # the position key holding the fingerprint of the page before it (the repeat check)


@dataclass(frozen=True)
class StreamQuery:
    """What the caller asked: records updated at or after `updated_after`, and filter values."""

    updated_after: datetime | None
    since: datetime | None
    """`updated_after` minus the declared lookback: where an incremental read starts on the ATS side."""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Rows:
    """Rows of one page as the ATS sent them, the total it reports, and the page size it accepted."""

    items: Sequence[Any]
    total: int | None = None
    take: int | None = None


@dataclass(frozen=True)
class Fetched:
    """Rows of one page and the position of the next page (None: this was the last)."""

    rows: Sequence[Any]
    next: Position | None


class Stream(Generic[ProviderT, RecordT]):
    """One entity's records, page by page. Subclass per entity: set `entity`, implement `fetch` and `mapper`.

    Parametrise it with the provider class and the record model (`Stream[AcmeProvider, Candidate]`), so
    `self.provider` is typed as the provider that owns the connection.
    """

    entity: ClassVar[Entity]
    table: ClassVar[str | None] = None
    """The declared mapping table (`MappingTable.name`) its rows map through, unless `mapper` says otherwise."""

    def __init__(self, provider: ProviderT) -> None:
        self.provider = provider

    def start(self, query: StreamQuery) -> Position:
        """The position of the first page (e.g. which read mode serves this query); `{}` by default."""
        return {}

    def fetch(self, query: StreamQuery, position: Position, page_size: int) -> Fetched:
        """Fetch the page at `position`: its rows and the position of the next page."""
        raise NotImplementedError(f"{type(self).__name__}.fetch")

    def mapper(self, position: Position) -> RecordMapper[RecordT]:
        """The compiled field mapper of the rows at `position`: the declared `table`'s, by default."""
        if self.table is None:
            raise NotImplementedError(f"{type(self).__name__}: set `table` or override `mapper`")
        mapper: RecordMapper[RecordT] = self.provider.mapper(self.table)
        return mapper

    def to_records(self, query: StreamQuery, position: Position, rows: Sequence[Any]) -> MappedPage[RecordT]:
        """The records of a page's rows (and the rows that did not validate); maps them by default."""
        return self.mapper(position).map_page(rows)


class OffsetStream(Stream[ProviderT, RecordT]):
    """A skip/take stream: implement `fetch_rows`; the core computes next positions and prefetches."""

    def fetch_rows(self, query: StreamQuery, position: Position, skip: int, take: int) -> Rows:
        """The rows at `skip` (at most `take` of them)."""
        raise NotImplementedError(f"{type(self).__name__}.fetch_rows")

    def fetch(self, query: StreamQuery, position: Position, page_size: int) -> Fetched:
        """The page at the position's skip; the next page starts after it unless it came back short."""
        skip, take = int(position.get("skip", 0)), int(position.get("take", page_size))
        rows = self.fetch_rows(query, position, skip, take)
        accepted = rows.take or take
        if len(rows.items) < accepted or not rows.items:
            return Fetched(rows.items, None)
        return Fetched(rows.items, {**position, "skip": skip + len(rows.items), "take": accepted})


class StreamReader(Generic[RecordT]):
    """Runs one declared stream for the core: pages with cursors, or every record with prefetch."""

    def __init__(self, stream: Stream[Any, RecordT], declaration: StreamDeclaration, *, prefetch: int = 1) -> None:
        self.stream = stream
        self.declaration = declaration
        self.prefetch = prefetch
        self.key = f"{stream.provider.name}.{declaration.entity.stream}"

    # --- the two derived hooks ----------------------------------------------------------------------

    def page(
        self,
        updated_after: datetime | None,
        filters: Mapping[str, Sequence[str] | None],
        cursor: str | None,
        page_size: int | None,
    ) -> Page[RecordT]:
        """One page from the cursor (or the start), filled past pages that client-side filters emptied."""
        size = self._page_size(page_size)
        query, position = self._resume(updated_after, self._filters(filters), cursor, size)
        while True:
            fetched = self.stream.fetch(query, position, size)
            kept, rejected, seen = self._records(query, position, fetched.rows)
            following = None if fetched.next is None else {**fetched.next, _SEEN: seen}
            if kept or rejected or following is None:
                break
            position = following
        next_cursor = None
        if following is not None:
            next_cursor = encode_cursor(self.key, CursorContent(query.updated_after, query.filters, following))
        return Page[Any](items=kept, next_cursor=next_cursor, rejected=rejected)

    def records(
        self, updated_after: datetime | None, filters: Mapping[str, Sequence[str] | None]
    ) -> Iterator[tuple[list[RecordT], list[RejectedRecord]]]:
        """Every page's kept records and rejected rows, in order; offset streams prefetch up to `prefetch` pages."""
        size = self._page_size(None)
        query = self._query(updated_after, self._filters(filters))
        start = self._start(query, size)
        if isinstance(self.stream, OffsetStream) and self.prefetch > 1:
            yield from self._prefetched(self.stream, query, start, size)
            return
        position: Position | None = start
        while position is not None:
            fetched = self.stream.fetch(query, position, size)
            kept, rejected, seen = self._records(query, position, fetched.rows)
            yield kept, rejected
            position = None if fetched.next is None else {**fetched.next, _SEEN: seen}

    def _prefetched(
        self, stream: OffsetStream[Any, RecordT], query: StreamQuery, start: Position, size: int
    ) -> Iterator[tuple[list[RecordT], list[RejectedRecord]]]:
        from ats_core.http.pagers import OffsetPage, OffsetPager  # the HTTP stack loads when a stream runs

        def fetch(skip: int, take: int) -> OffsetPage[Any]:
            rows = stream.fetch_rows(query, start, skip, take)
            return OffsetPage(rows.items, rows.total)

        pager = OffsetPager(fetch, page_size=size, concurrency=self.prefetch)
        seen = ""
        for skip, page in pager.pages():
            position = {**start, "skip": skip, _SEEN: seen}
            kept, rejected, seen = self._records(query, position, page.items)
            yield kept, rejected

    # --- machinery ----------------------------------------------------------------------------------

    def _start(self, query: StreamQuery, size: int) -> Position:
        first = self.stream.start(query)
        return {**first, "skip": 0, "take": size} if isinstance(self.stream, OffsetStream) else first

    def _page_size(self, asked: int | None) -> int:
        bounds = self.declaration.page_size
        size = asked or self.stream.provider.page_size_for(self.declaration)
        return size if bounds.maximum is None else min(size, bounds.maximum)

    def _filters(self, given: Mapping[str, Sequence[str] | None]) -> dict[str, tuple[str, ...]]:
        """Filter values normalised (trimmed, de-duplicated, sorted; case-folded where declared so)."""
        normalised = {}
        for name, values in given.items():
            declared = self.declaration.filters[name]
            cleaned = {str(v).strip() for v in values or () if str(v).strip()}
            if declared.match == "casefold":
                cleaned = {v.casefold() for v in cleaned}
            if cleaned:
                normalised[name] = tuple(sorted(cleaned))
        return normalised

    def _query(self, updated_after: datetime | None, filters: Mapping[str, tuple[str, ...]]) -> StreamQuery:
        since = None
        if updated_after is not None and self.declaration.incremental:
            since = updated_after - timedelta(seconds=self.stream.provider.lookback_for(self.declaration))
        return StreamQuery(updated_after, since, filters)

    def _resume(
        self, updated_after: datetime | None, filters: dict[str, tuple[str, ...]], cursor: str | None, size: int
    ) -> tuple[StreamQuery, Position]:
        if cursor is None:
            query = self._query(updated_after, filters)
            return query, self._start(query, size)
        content = decode_cursor(self.key, cursor)
        if updated_after is not None and updated_after != content.updated_after:
            raise InvalidInput("updated_after", "differs from the cursor's; pass the same value, or None")
        if filters and filters != dict(content.filters):
            raise InvalidInput("cursor", "was made for other filters; pass the same ones, or none")
        position = dict(content.position)
        if "take" in position:
            position["take"] = min(int(position["take"]), size)
        return self._query(content.updated_after, content.filters), position

    def _records(
        self, query: StreamQuery, position: Position, rows: Sequence[Any]
    ) -> tuple[list[RecordT], list[RejectedRecord], str]:
        """Map rows, check the page does not repeat the one before, apply the lookback and client filters."""
        mapped = self.stream.to_records(query, position, rows)
        seen = fingerprint([r.remote_id for r in mapped.records] + [r.remote_id for r in mapped.rejected])
        if seen and seen == position.get(_SEEN):
            entity = self.declaration.entity.stream
            raise PagingLoopError(f"the {entity} page at {_where(position)} repeats the page before it")
        kept = [record for record in mapped.records if self._keep(query, record)]
        return kept, mapped.rejected, seen

    def _keep(self, query: StreamQuery, record: Record) -> bool:
        if query.since is not None and record.updated_at is not None and record.updated_at < query.since:
            return False
        for name, values in query.filters.items():
            declared = self.declaration.filters[name]
            if declared.applied != "client" or declared.field is None:
                continue
            value = getattr(record, declared.field, None)
            text = "" if value is None else str(value)
            if (text.casefold() if declared.match == "casefold" else text) not in values:
                return False
        return True


def _where(position: Position) -> str:
    shown = {key: value for key, value in position.items() if key != _SEEN}
    return ", ".join(f"{key}={value}" for key, value in shown.items()) or "the start"
