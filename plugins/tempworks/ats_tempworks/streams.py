"""Streams and pages of employees, job orders and assignments, resumable from opaque cursors.

Two read modes:

- `list`: the skip/take search lists (`GET /Search/Employees|JobOrders|Assignments`), paged with the core's
  `OffsetPager` at the largest take the server accepts (halved on a 400), prefetching pages concurrently;
- `modified` (when `updated_after` is given): advanced search (`POST /search/{originTypeId}`) on the
  modified-date column found at run time through `GET /search/{originTypeId}/columns`, from
  `updated_after - lookback_seconds`, sorted by the record id column when the tenant has the declared one
  (else by the modified column). Candidates ask for the columns their declared
  column mapping names (`TEMPWORKS_SEARCH_COLUMN_MAPPINGS`) and map each page straight to records with
  `updated_at`: one request per page. Without such a mapping, or when a tenant lacks a declared column
  (a WARNING names it), each hit is read by id (one request per record) and gets `updated_at`.

Full reads stay on the list on purpose: it is the documented, cheapest read of every record, while an
unfiltered advanced search over a whole tenant is undocumented in cost (public clients give search
60-360 s timeouts). So full reads carry no `updated_at`; `ats sync` continues from each run's start time.

Sorted by id, a record modified while a `modified` read pages keeps its place; one entering the window
shifts later records by one (a record may come twice, none is passed over), and if it lies behind the
read its new modified date is after the read started, so the next incremental read gets it. Sorted by
the modified column (no id column), a changed record moves to the end and its neighbour may be passed over.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Generic, TypeVar

from ats_core.errors import InvalidInput, InvalidResponse, NotFound
from ats_core.fields import FieldValueError, to_datetime, to_phone
from ats_core.http import OffsetPage, OffsetPager
from ats_core.mapping import RecordMapper, compile_mapper
from ats_core.models import Application, Candidate, CustomFieldEntity, EnhancedJob, Job, Page, Record
from ats_core.provider import ProviderContext, QuarantinedRecord
from ats_core.scope import parallel_map
from ats_tempworks.cursors import CursorState, decode_cursor, encode_cursor
from ats_tempworks.field_mappings import (
    ASSIGNMENT_ID,
    ASSIGNMENT_MAPPINGS,
    ASSIGNMENT_SEARCH_ID_COLUMN,
    EMPLOYEE_DETAIL_MAPPINGS,
    EMPLOYEE_ID,
    EMPLOYEE_LIST_MAPPINGS,
    EMPLOYEE_SEARCH_COLUMNS,
    EMPLOYEE_SEARCH_ID_COLUMN,
    JOB_ORDER_DETAIL_ID,
    JOB_ORDER_DETAIL_MAPPINGS,
    JOB_ORDER_LIST_ID,
    JOB_ORDER_LIST_MAPPINGS,
    SEARCH_ROW_ID,
)
from ats_tempworks.library import ASSIGNMENT_ORIGIN, EMPLOYEE_ORIGIN, TempWorksClient, numeric_id
from ats_tempworks.models import AdvancedSearchColumn, AdvancedSearchPage
from ats_tempworks.settings import TempWorksSettings

__all__ = ["Mappers", "StreamReader", "mappers_for"]

logger = logging.getLogger("ats_tempworks")

PROVIDER = "tempworks"
EMPLOYEES = "/Search/Employees"
JOB_ORDERS = "/Search/JobOrders"
ASSIGNMENTS = "/Search/Assignments"
DATE_AFTER = 3
"""Advanced-search operator "date after" (public clients use 3 and 4 for dates; the lookback covers the boundary)."""
EQUALS = 7
NAME_SEARCH_PAGE = 200  # rows per advanced-search page of a name search (every page is read)

RecordT = TypeVar("RecordT", bound=Record)


@dataclass(frozen=True)
class Mappers:
    """The compiled field mappers of one tenant time zone."""

    candidate_list: RecordMapper[Candidate]
    candidate_detail: RecordMapper[Candidate]
    candidate_search: RecordMapper[Candidate]
    job_list: RecordMapper[Job]
    job_detail: RecordMapper[Job]
    enhanced_job: RecordMapper[EnhancedJob]
    application: RecordMapper[Application]


@lru_cache(maxsize=8)
def mappers_for(time_zone: str) -> Mappers:
    """Compile the TempWorks mappings once per time zone."""
    from ats_core.fields import resolve_time_zone

    zone = resolve_time_zone(time_zone)

    def compiled(model: type[RecordT], mappings: Any, id_field: str) -> RecordMapper[RecordT]:
        return compile_mapper(model, mappings, provider=PROVIDER, time_zone=zone, id_field=id_field)

    return Mappers(
        candidate_list=compiled(Candidate, EMPLOYEE_LIST_MAPPINGS, EMPLOYEE_ID),
        candidate_detail=compiled(Candidate, EMPLOYEE_DETAIL_MAPPINGS, EMPLOYEE_ID),
        candidate_search=compiled(Candidate, EMPLOYEE_SEARCH_COLUMNS, SEARCH_ROW_ID),
        job_list=compiled(Job, JOB_ORDER_LIST_MAPPINGS, JOB_ORDER_LIST_ID),
        job_detail=compiled(Job, JOB_ORDER_DETAIL_MAPPINGS, JOB_ORDER_DETAIL_ID),
        enhanced_job=compiled(EnhancedJob, JOB_ORDER_DETAIL_MAPPINGS, JOB_ORDER_DETAIL_ID),
        application=compiled(Application, ASSIGNMENT_MAPPINGS, ASSIGNMENT_ID),
    )


@dataclass(frozen=True)
class Source(Generic[RecordT]):
    """One entity's read paths: its list, its advanced-search origin (None: none known) and columns, reads by id."""

    stream: str
    list_path: str
    list_mapper: RecordMapper[RecordT]
    origin: int | None
    detail_mapper: RecordMapper[RecordT]
    read_one: Callable[[int], dict[str, Any]]
    search_mapper: RecordMapper[RecordT] | None = None
    """Maps advanced-search rows keyed by declared column display names; None: read each hit by id."""
    id_column: str | None = None
    """Display name of the advanced-search column holding the record id (the incremental read's sort order)."""


def _since_text(updated_after: datetime | None) -> str | None:
    return None if updated_after is None else updated_after.astimezone(UTC).isoformat()


def _last_page(skip: int, take: int, page: OffsetPage[Any]) -> bool:
    """Empty, or the reported total reached; without a total, a short page (as the core's OffsetPager decides)."""
    count = len(page.items)
    if count == 0:
        return True
    if page.total is not None:
        return skip + count >= page.total
    return count < take


class StreamReader:
    """Reads the three entities as streams and pages; one per connection."""

    def __init__(
        self, library: TempWorksClient, mappers: Mappers, settings: TempWorksSettings, context: ProviderContext
    ) -> None:
        self.library = library
        self.mappers = mappers
        self.settings = settings
        self.context = context
        self._column_plans: dict[str, dict[str, str] | None] = {}
        self.candidates_source = Source(
            "candidates",
            EMPLOYEES,
            mappers.candidate_list,
            EMPLOYEE_ORIGIN,
            mappers.candidate_detail,
            lambda record_id: library.employee(record_id),
            mappers.candidate_search,
            EMPLOYEE_SEARCH_ID_COLUMN,
        )
        self.jobs_source = Source(
            "jobs",
            JOB_ORDERS,
            mappers.job_list,
            None,
            mappers.job_detail,
            lambda record_id: library.job_order(record_id),
        )
        self.applications_source = Source(
            "applications",
            ASSIGNMENTS,
            mappers.application,
            ASSIGNMENT_ORIGIN,
            mappers.application,
            lambda record_id: library.assignment(record_id),
            None,
            ASSIGNMENT_SEARCH_ID_COLUMN,
        )

    # --- public streams ---------------------------------------------------------------------------

    def candidates(self, updated_after: datetime | None) -> Iterator[Candidate]:
        """Every employee, or those modified since `updated_after`."""
        return self._stream(self.candidates_source, updated_after, lambda _: True)

    def candidates_page(
        self, updated_after: datetime | None, cursor: str | None, page_size: int | None
    ) -> Page[Candidate]:
        """One page of employees."""
        state = self._state(self.candidates_source, cursor, updated_after, page_size, ())
        return self._page(self.candidates_source, state, lambda _: True)

    def jobs(self, updated_after: datetime | None, statuses: Sequence[str] | None) -> Iterator[Job]:
        """Every job order with one of `statuses` (updated_after cannot be applied to job orders)."""
        keep = self._status_filter(_normalised(statuses))
        return self._stream(self.jobs_source, updated_after, keep)

    def jobs_page(
        self, updated_after: datetime | None, statuses: Sequence[str] | None, cursor: str | None, page_size: int | None
    ) -> Page[Job]:
        """One page of job orders."""
        state = self._state(self.jobs_source, cursor, updated_after, page_size, _normalised(statuses))
        return self._page(self.jobs_source, state, self._status_filter(state.filters))

    def applications(self, updated_after: datetime | None, for_job_ids: Sequence[str] | None) -> Iterator[Application]:
        """Every assignment, or those modified since `updated_after`, for `for_job_ids` when given."""
        keep = self._job_filter(_ids(for_job_ids))
        return self._stream(self.applications_source, updated_after, keep)

    def applications_page(
        self,
        updated_after: datetime | None,
        for_job_ids: Sequence[str] | None,
        cursor: str | None,
        page_size: int | None,
    ) -> Page[Application]:
        """One page of assignments."""
        source = self.applications_source
        state = self._state(source, cursor, updated_after, page_size, _ids(for_job_ids))
        return self._page(source, state, self._job_filter(state.filters))

    def job_order_ids_page(self, cursor: str | None, limit: int) -> tuple[list[int], str | None]:
        """Ids of one page of job orders, and the cursor of the next page."""
        state = self._state(self.jobs_source, cursor, None, limit, (), stream="enhanced_jobs")
        take, page = self.library.first_page(JOB_ORDERS, skip=state.skip, take=state.take)
        ids = [numeric_id(JOB_ORDER_LIST_ID, str(item.get(JOB_ORDER_LIST_ID))) for item in page.items]
        return ids, self._next_cursor(state, take, page)

    def first_record_id(self, entity: CustomFieldEntity) -> int | None:
        """The id of the first record of a kind, or None when there are none."""
        path, key = {
            CustomFieldEntity.CANDIDATE: (EMPLOYEES, EMPLOYEE_ID),
            CustomFieldEntity.JOB: (JOB_ORDERS, JOB_ORDER_LIST_ID),
            CustomFieldEntity.APPLICATION: (ASSIGNMENTS, ASSIGNMENT_ID),
        }[entity]
        page = self.library.list_page(path, skip=0, take=1)
        if not page.items:
            return None
        return numeric_id(key, str(page.items[0].get(key)))

    # --- finding employees --------------------------------------------------------------------------

    def find_employee_ids(
        self,
        *,
        first_name: str | None,
        last_name: str | None,
        email: str | None,
        phone: str | None,
    ) -> list[int]:
        """Employee ids matching every given detail, without duplicates, in the server's order."""
        found: list[tuple[int, str | None, str | None]] | None = None
        for kind, value in (("email", email), ("phone", phone)):
            if value is None:
                continue
            hits = self.library.universal_search(
                email=value if kind == "email" else None,
                phone=_phone_query(value) if kind == "phone" else None,
            )
            rows = [(numeric_id("employeeId", h.employee_id), h.first_name, h.last_name) for h in hits]
            if found is None:
                found = rows
            else:
                keep = {row[0] for row in rows}
                found = [row for row in found if row[0] in keep]
        if found is None:
            found = self._employees_named(first_name, last_name)
        matches = [
            employee_id
            for employee_id, first, last in found
            if _same_name(first_name, first) and _same_name(last_name, last)
        ]
        return list(dict.fromkeys(matches))

    def _employees_named(
        self, first_name: str | None, last_name: str | None
    ) -> list[tuple[int, str | None, str | None]]:
        columns = self.library.search_columns(EMPLOYEE_ORIGIN)
        rules: list[dict[str, Any]] = []
        ids: dict[str, str] = {}
        for part, value in (("first", first_name), ("last", last_name)):
            column = _name_column(columns, part)
            if column is None:
                if value is not None:
                    raise InvalidInput(
                        f"{part}_name",
                        "cannot be searched: the tenant's advanced search has no such column; search by email or phone",
                    )
                continue
            ids[part] = column.column_id
            if value is not None:
                rules.append({"columnId": column.column_id, "operatorId": EQUALS, "values": [value]})

        def fetch(skip: int, take: int) -> OffsetPage[dict[str, Any]]:
            page = self.library.advanced_search(
                EMPLOYEE_ORIGIN,
                rules=rules,
                return_column_ids=list(ids.values()),
                sort_column_id=None,
                skip=skip,
                take=take,
            )
            return OffsetPage(page.data, page.total_count)

        rows = []
        for row in OffsetPager(fetch, page_size=NAME_SEARCH_PAGE):
            employee_id = _row_id(row)
            if employee_id is not None:
                first, last = (_cell_text(row, ids[part]) if part in ids else None for part in ("first", "last"))
                rows.append((employee_id, first, last))
        return rows

    # --- paging machinery ---------------------------------------------------------------------------

    def _state(
        self,
        source: Source[Any],
        cursor: str | None,
        updated_after: datetime | None,
        page_size: int | None,
        filters: tuple[str, ...],
        *,
        stream: str | None = None,
    ) -> CursorState:
        stream = stream or source.stream
        since = _since_text(updated_after)
        if cursor is not None:
            state = decode_cursor(cursor, stream=stream)
            if since is not None and since != state.since:
                raise InvalidInput("updated_after", "differs from the cursor's; pass the same value or None")
            if filters and filters != state.filters:
                raise InvalidInput("cursor", "was made for other filters; pass the same ones")
            return state if page_size is None else state.model_copy(update={"take": page_size})
        mode = "modified" if since is not None and self._modified_column(source) is not None else "list"
        take = page_size or self.library.page_size
        return CursorState(stream=stream, mode=mode, skip=0, take=take, since=since, filters=filters)

    def _next_cursor(self, state: CursorState, take: int, page: OffsetPage[Any]) -> str | None:
        if _last_page(state.skip, take, page):
            return None
        return encode_cursor(state.model_copy(update={"skip": state.skip + len(page.items), "take": take}))

    def _page(self, source: Source[RecordT], state: CursorState, keep: Callable[[RecordT], bool]) -> Page[RecordT]:
        if state.mode == "modified":
            page = self._modified_rows(source, state, state.skip, state.take)
            records = self._modified_records(source, state, page.items)
            take = state.take
        else:
            take, raw_page = self.library.first_page(source.list_path, skip=state.skip, take=state.take)
            records = source.list_mapper.map_page(raw_page.items, context=self.context)
            page = OffsetPage(raw_page.items, raw_page.total)
        return Page[Any](items=[r for r in records if keep(r)], next_cursor=self._next_cursor(state, take, page))

    def _stream(
        self,
        source: Source[RecordT],
        updated_after: datetime | None,
        keep: Callable[[RecordT], bool],
    ) -> Iterator[RecordT]:
        if updated_after is not None and source.origin is not None:
            state = self._state(source, None, updated_after, None, ())
            if state.mode == "modified":
                return self._modified_stream(source, state, keep)
        return self._list_stream(source, keep)

    def _list_stream(self, source: Source[RecordT], keep: Callable[[RecordT], bool]) -> Iterator[RecordT]:
        take, first = self.library.first_page(source.list_path, skip=0, take=self.library.page_size)

        def fetch(skip: int, size: int) -> OffsetPage[dict[str, Any]]:
            if skip == 0:
                return first
            return self.library.list_page(source.list_path, skip=skip, take=size)

        pager = OffsetPager(fetch, page_size=take, concurrency=self.settings.prefetch)
        for _, page in pager.pages():
            for record in source.list_mapper.map_page(page.items, context=self.context):
                if keep(record):
                    yield record

    def _modified_stream(
        self, source: Source[RecordT], state: CursorState, keep: Callable[[RecordT], bool]
    ) -> Iterator[RecordT]:
        def fetch(skip: int, size: int) -> OffsetPage[dict[str, Any]]:
            return self._modified_rows(source, state, skip, size)

        pager = OffsetPager(fetch, page_size=state.take)
        for _, page in pager.pages():
            for record in self._modified_records(source, state, page.items):
                if keep(record):
                    yield record

    # --- the modified read --------------------------------------------------------------------------

    def _modified_column(self, source: Source[Any]) -> AdvancedSearchColumn | None:
        if source.origin is None:
            return None
        columns = self.library.search_columns(source.origin)
        dated = [c for c in columns if "date" in (c.column_type or "").lower() and "modif" in c.label()]
        if not dated:
            logger.warning(
                "%s: no modified-date column in advanced search origin %s; reading every record instead",
                PROVIDER,
                source.origin,
            )
            return None
        return sorted(dated, key=lambda c: "last" not in c.label())[0]

    def _column_plan(self, source: Source[Any]) -> dict[str, str] | None:
        """Declared column display name -> this tenant's column id; None (read by id) when one is missing."""
        if source.stream in self._column_plans:
            return self._column_plans[source.stream]
        plan: dict[str, str] | None = None
        if source.search_mapper is not None and source.origin is not None:
            columns = self.library.search_columns(source.origin)
            names = [m.remote for m in source.search_mapper.mappings if m.remote != SEARCH_ROW_ID]
            found = {name: _column_named(columns, name) for name in names}
            missing = sorted(name for name, column in found.items() if column is None)
            if missing:
                logger.warning(
                    "%s: advanced search origin %s has no column named %s; %s reads each changed record by id "
                    "(one request per record) for this connection",
                    PROVIDER,
                    source.origin,
                    ", ".join(repr(name) for name in missing),
                    source.stream,
                )
            else:
                plan = {name: column.column_id for name, column in found.items() if column is not None}
        self._column_plans[source.stream] = plan
        return plan

    def _sort_column(self, source: Source[Any], modified: AdvancedSearchColumn) -> AdvancedSearchColumn:
        """The id column (a record changed mid-read keeps its place), else the modified column."""
        assert source.origin is not None
        columns = self.library.search_columns(source.origin)
        found = None if source.id_column is None else _column_named(columns, source.id_column)
        return found if found is not None else modified

    def _threshold(self, state: CursorState) -> datetime:
        assert state.since is not None
        return datetime.fromisoformat(state.since) - timedelta(seconds=self.settings.lookback_seconds)

    def _modified_rows(
        self, source: Source[Any], state: CursorState, skip: int, take: int
    ) -> OffsetPage[dict[str, Any]]:
        """One page of advanced-search rows modified after the threshold, oldest change first."""
        column = self._modified_column(source)
        assert source.origin is not None and column is not None
        plan = self._column_plan(source)
        local = self._threshold(state).astimezone(self.settings.zone).replace(tzinfo=None).isoformat(timespec="seconds")
        returned = [column.column_id] if plan is None else list(dict.fromkeys([column.column_id, *plan.values()]))
        result: AdvancedSearchPage = self.library.advanced_search(
            source.origin,
            rules=[{"columnId": column.column_id, "operatorId": DATE_AFTER, "values": [local]}],
            return_column_ids=returned,
            sort_column_id=self._sort_column(source, column).column_id,
            skip=skip,
            take=take,
        )
        return OffsetPage(result.data, result.total_count)

    def _modified_records(
        self, source: Source[RecordT], state: CursorState, rows: Sequence[dict[str, Any]]
    ) -> list[RecordT]:
        """The records of a page of rows: mapped from the declared columns, or read by id (the fallback)."""
        threshold = self._threshold(state)
        plan = self._column_plan(source)
        if plan is not None and source.search_mapper is not None:
            mapped = source.search_mapper.map_page([_row_by_name(row, plan) for row in rows], context=self.context)
            seen: set[str] = set()
            fresh: list[RecordT] = []
            for record in mapped:
                if record.remote_id not in seen and (record.updated_at is None or record.updated_at >= threshold):
                    fresh.append(record)
                seen.add(record.remote_id)
            return fresh
        column = self._modified_column(source)
        assert column is not None
        modified: dict[int, datetime | None] = {}
        for row in rows:
            record_id = _row_id(row)
            if record_id is None:
                self._unreadable_row(source, row)
                continue
            cell = row.get(column.column_id)
            try:
                stamp = to_datetime(None if cell is None else cell.value, time_zone=self.settings.zone)
            except FieldValueError:
                stamp = None
            if stamp is None or stamp >= threshold:
                modified.setdefault(record_id, stamp)
        raws = [raw for raw in self._read_many(source, list(modified)) if raw is not None]
        records = source.detail_mapper.map_page(raws, context=self.context)
        for record in records:
            record.updated_at = modified.get(int(record.remote_id))
        return records

    def _unreadable_row(self, source: Source[Any], row: dict[str, Any]) -> None:
        """A search row without a record id: raised, or quarantined with its cells (never dropped)."""
        entity = source.detail_mapper.entity
        failure = InvalidResponse(f"a {entity} advanced-search row has no readable 'Id' cell")
        if self.context.on_invalid != "quarantine":
            raise failure
        cells = {key: None if cell is None else cell.model_dump(by_alias=True) for key, cell in row.items()}
        self.context.put_in_quarantine(QuarantinedRecord(PROVIDER, entity, None, failure.provider_message or "", cells))

    def _read_many(self, source: Source[Any], ids: list[int]) -> list[dict[str, Any] | None]:
        def read(record_id: int) -> dict[str, Any] | None:
            try:
                return source.read_one(record_id)
            except NotFound:  # deleted between the search and the read
                return None

        return parallel_map(read, ids, self.settings.prefetch)

    # --- filters ------------------------------------------------------------------------------------

    @staticmethod
    def _status_filter(statuses: tuple[str, ...]) -> Callable[[Job], bool]:
        if not statuses:
            return lambda _: True
        wanted = set(statuses)
        return lambda job: (job.status or "").casefold() in wanted

    @staticmethod
    def _job_filter(job_ids: tuple[str, ...]) -> Callable[[Application], bool]:
        if not job_ids:
            return lambda _: True
        wanted = set(job_ids)
        return lambda application: application.job_id in wanted


def _normalised(statuses: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(sorted({s.strip().casefold() for s in statuses or () if s.strip()}))


def _ids(values: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(sorted({str(v).strip() for v in values or () if str(v).strip()}))


def _phone_query(phone: str) -> str:
    """A NANP number as its 10 national digits (how US tenants store phones); anything else as given."""
    try:
        normalised = to_phone(phone)
    except FieldValueError:
        return phone
    if normalised is not None and normalised.startswith("+1") and len(normalised) == 12:
        return normalised[2:]
    return phone


def _same_name(wanted: str | None, actual: str | None) -> bool:
    return wanted is None or (actual or "").strip().casefold() == wanted.strip().casefold()


def _row_id(row: dict[str, Any]) -> int | None:
    cell = row.get("Id")
    if cell is None:
        return None
    value = cell.origin_id if cell.origin_id is not None else cell.value
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() else None


def _row_by_name(row: dict[str, Any], plan: dict[str, str]) -> dict[str, Any]:
    """An advanced-search row keyed by the declared column display names (and "Id"), as the mapper reads it."""
    flat: dict[str, Any] = {SEARCH_ROW_ID: _row_id(row)}
    for name, column_id in plan.items():
        cell = row.get(column_id)
        flat[name] = None if cell is None else cell.value
    return flat


def _column_named(columns: list[AdvancedSearchColumn], name: str) -> AdvancedSearchColumn | None:
    """The column whose display name (or name) is `name`, ignoring case and spaces; built-in before custom."""
    wanted = _squashed(name)
    matches = [c for c in columns if wanted in (_squashed(c.column_display_name), _squashed(c.column_name))]
    return sorted(matches, key=lambda c: bool(c.is_custom_data))[0] if matches else None


def _squashed(text: str | None) -> str:
    return "".join((text or "").split()).replace("_", "").casefold()


def _cell_text(row: dict[str, Any], column_id: str) -> str | None:
    cell = row.get(column_id)
    value = None if cell is None else cell.value
    return value.strip() if isinstance(value, str) else None


def _name_column(columns: list[AdvancedSearchColumn], part: str) -> AdvancedSearchColumn | None:
    squashed = [(c, c.label().replace(" ", "").replace("_", "")) for c in columns]
    exact = [c for c, label in squashed if f"{part}name" in label and not c.is_custom_data]
    return exact[0] if exact else None
