"""How the suite reads streams: record-level and page-level alike, bounded, checking cursors as it goes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any, cast

import pytest

from ats_core.client import ATSClient
from ats_core.errors import PagingLoopError
from ats_core.models import Page, Record
from ats_core.operations import OPERATIONS, Kind, operation
from ats_core.paging import iter_pages

__all__ = [
    "INCREMENTAL_STREAMS",
    "PAGE_STREAMS",
    "RECORD_STREAMS",
    "PagedRead",
    "model_of",
    "read_pages",
    "read_records",
    "streams_of",
]

RECORD_STREAMS = tuple(op.name for op in OPERATIONS if op.kind is Kind.STREAM)
PAGE_STREAMS = tuple(op.name for op in OPERATIONS if op.kind is Kind.PAGE)
INCREMENTAL_STREAMS = tuple(
    name for name in RECORD_STREAMS + PAGE_STREAMS if "updated_after" in operation(name).parameters
)


def model_of(operation_name: str) -> type[Record]:
    """The canonical model an operation returns (from the catalog's return type)."""
    return cast(type[Record], operation(operation_name).model)  # streams and pages return Record subclasses


def streams_of(model: str) -> tuple[str, ...]:
    """Stream operations (record-level first) whose records are exactly `model`."""
    return tuple(name for name in RECORD_STREAMS + PAGE_STREAMS if operation(name).return_type == model)


@dataclass
class PagedRead:
    """What a paged read saw: the records in order and every next-page cursor handed out."""

    records: list[Record] = field(default_factory=list)
    cursors: list[str] = field(default_factory=list)
    pages: int = 0


def fetch_page(
    client: ATSClient,
    operation_name: str,
    *,
    cursor: str | None,
    page_size: int,
    updated_after: datetime | None,
    filters: Mapping[str, Any] | None = None,
) -> Page[Record]:
    """One page of a page operation."""
    parameters = operation(operation_name).parameters
    kwargs: dict[str, Any] = {"cursor": cursor, "page_size": page_size, **(filters or {})}
    if "updated_after" in parameters:
        kwargs["updated_after"] = updated_after
    page = getattr(client, operation_name)(**kwargs)
    assert isinstance(page, Page), f"{operation_name} returned {type(page).__name__}, not a Page"
    return cast(Page[Record], page)  # checked just above: a Page of the operation's records


def read_pages(
    client: ATSClient,
    operation_name: str,
    *,
    page_size: int,
    max_records: int,
    updated_after: datetime | None = None,
    cursor: str | None = None,
    max_pages: int | None = None,
    filters: Mapping[str, Any] | None = None,
) -> PagedRead:
    """Follow next cursors to the end (or `max_pages`) with `iter_pages`; fail on a loop, skip past `max_records`."""
    seen = PagedRead()

    def fetch(next_cursor: str | None) -> Page[Record]:
        return fetch_page(
            client,
            operation_name,
            cursor=next_cursor,
            page_size=page_size,
            updated_after=updated_after,
            filters=filters,
        )

    pages = iter_pages(fetch, cursor)
    try:
        for page in pages:
            seen.pages += 1
            seen.records.extend(page.items)
            if len(seen.records) > max_records:
                _skip_past_max_records(operation_name, seen.records, max_records)
            if page.next_cursor is None:
                break
            assert page.items or page.rejected, f"{operation_name}: page {seen.pages} is empty but has a next cursor"
            seen.cursors.append(page.next_cursor)
            if max_pages is not None and seen.pages >= max_pages:
                break
    except PagingLoopError as error:
        pytest.fail(f"{operation_name}: {error.describe()}; the pager loops")
    return seen


def read_records(
    client: ATSClient,
    operation_name: str,
    *,
    page_size: int,
    max_records: int,
    updated_after: datetime | None = None,
    filters: Mapping[str, Any] | None = None,
) -> list[Record]:
    """Every record of a record-level or page-level stream, bounded by `max_records` (skip beyond it)."""
    if operation_name in PAGE_STREAMS:
        return read_pages(
            client,
            operation_name,
            page_size=page_size,
            max_records=max_records,
            updated_after=updated_after,
            filters=filters,
        ).records
    stream = getattr(client, operation_name)(updated_after=updated_after, **(filters or {}))
    assert stream is not None, f"{operation_name} returned None instead of an iterator"
    records = list(islice(stream, max_records + 1))
    if len(records) > max_records:
        _skip_past_max_records(operation_name, records, max_records)
    return records


def _skip_past_max_records(operation_name: str, records: list[Record], max_records: int) -> None:
    """Skip a stream longer than the suite reads, unless it is long because it repeats itself: then fail."""
    ids = [record.remote_id for record in records]
    if len(set(ids)) < len(ids):
        pytest.fail(f"{operation_name}: records repeat within {len(ids)} records; the stream restarts or loops")
    pytest.skip(f"{operation_name}: more than max_records={max_records} records; raise max_records")
