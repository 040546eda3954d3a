"""The TempWorks streams: employees, job orders and assignments, each paged by skip/take.

A read starts in one of two modes and its cursor keeps it:

- `list`: the documented search lists (`GET /Search/Employees|JobOrders|Assignments`), the cheapest read
  of every record;
- `modified` (an incremental read): advanced search (`POST /search/{originTypeId}`) on the modified-date
  column found at run time, from the query's `since` (updated_after less the declared lookback), sorted
  by the declared id column (required). Employee rows map through the `employee_search` table (one request
  per page; each column is found by any of its declared display names, a missing one leaves its field None
  with one WARNING); assignment rows name the changed assignments, each then read by id.

Both halve the page size on a 400 (TempWorks documents no maximum take) and keep the size that worked.
Sorted by id, a record modified while a read pages keeps its place; one entering the window shifts later
records by one (a record may come twice, none is passed over); one behind the read gets a modified date
after the read started, so the next incremental read gets it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from ats_core.sdk import (
    Entity,
    MappedPage,
    OffsetStream,
    Position,
    Rows,
    StreamQuery,
    errors,
    fields,
    models,
    parallel_map,
    scope_label,
)
from ats_tempworks.field_mappings import (
    ASSIGNMENT_ORIGIN,
    ASSIGNMENT_SEARCH_ID_COLUMN,
    EMPLOYEE_ORIGIN,
    EMPLOYEE_SEARCH_ID_COLUMN,
    SEARCH_ROW_ID,
)
from ats_tempworks.models import AdvancedSearchColumn
from ats_tempworks.search import column_named, row_by_name, row_id

if TYPE_CHECKING:
    from ats_tempworks.plugin import TempWorksProvider

__all__ = ["AssignmentStream", "EmployeeStream", "JobOrderStream", "TempWorksStream"]

logger = logging.getLogger("ats_tempworks")

DATE_AFTER = 3
"""Advanced-search operator "date after" (public clients use 3 and 4 for dates; the lookback covers the boundary)."""

RecordT = TypeVar("RecordT", bound=models.Record)


class TempWorksStream(OffsetStream["TempWorksProvider", RecordT]):
    """One entity's list, and its advanced search when TempWorks has one for it."""

    list_path: ClassVar[str]
    list_table: ClassVar[str]
    detail_table: ClassVar[str]
    detail_path: ClassVar[str]
    origin: ClassVar[int | None] = None
    """The advanced-search origin type (None: no incremental read is possible)."""
    id_column: ClassVar[tuple[str, ...]] = ()
    """Display names of the id column incremental reads sort by (the first the tenant has)."""
    search_table: ClassVar[str | None] = None
    """The mapping table of advanced-search rows by column display name (None: read each changed record by id)."""

    def __init__(self, provider: TempWorksProvider) -> None:
        super().__init__(provider)
        self._plan: dict[str, str] | None = None  # resolved on the first incremental page

    def start(self, query: StreamQuery) -> Position:
        """`modified` for an incremental query when the tenant has a modified-date column, else `list`."""
        incremental = query.since is not None and self._modified_column() is not None
        return {"mode": "modified" if incremental else "list"}

    def fetch_rows(self, query: StreamQuery, position: Position, skip: int, take: int) -> Rows:
        """A page of list items, or of advanced-search rows changed since the query's `since`."""
        library = self.provider.library
        if position.get("mode") == "modified":
            column = self._modified_column()
            assert self.origin is not None and column is not None and query.since is not None
            plan = self._column_plan() if self.search_table is not None else {}
            local = query.since.astimezone(self.provider.config.zone).replace(tzinfo=None)
            origin = self.origin
            rules = [
                {"columnId": column.column_id, "operatorId": DATE_AFTER, "values": [local.isoformat("T", "seconds")]}
            ]
            returned = list(dict.fromkeys([column.column_id, *plan.values()]))
            sort_by = self._sort_column().column_id
            accepted, result = library.shrinking_take(
                take,
                f"/search/{origin}",
                lambda size: library.advanced_search(
                    origin, rules=rules, return_column_ids=returned, sort_column_id=sort_by, skip=skip, take=size
                ),
            )
            return Rows(result.data, result.total_count, accepted)
        accepted, page = library.first_page(self.list_path, skip=skip, take=take)
        return Rows(page.items, page.total, accepted)

    def to_records(self, query: StreamQuery, position: Position, rows: Sequence[Any]) -> MappedPage[RecordT]:
        """List items map through the list table; search rows through the search table, or by reading each by id."""
        if position.get("mode") != "modified":
            return self.provider.mapper(self.list_table).map_page(rows)
        if self.search_table is not None:
            plan = self._column_plan()
            mapped: MappedPage[RecordT] = self.provider.mapper(self.search_table).map_page(
                [row_by_name(row, plan) for row in rows]
            )
            return MappedPage(_first_of_each_id(mapped.records), mapped.rejected)
        return self._read_each(rows)

    # --- reading changed records by id ---------------------------------------------------------------

    def _read_each(self, rows: Sequence[Any]) -> MappedPage[RecordT]:
        """Each row's record read by id, stamped with the row's modified date; rows without an id are rejected."""
        column = self._modified_column()
        assert column is not None
        modified: dict[int, Any] = {}
        rejected: list[models.RejectedRecord] = []
        entity = self.provider.mapper(self.detail_table).entity
        for row in rows:
            record_id = row_id(row)
            if record_id is None:
                cells = {key: None if cell is None else cell.model_dump(by_alias=True) for key, cell in row.items()}
                problem = f"a {entity} advanced-search row has no readable '{SEARCH_ROW_ID}' cell"
                rejected.append(
                    models.RejectedRecord(
                        provider=self.provider.name, entity=entity, remote_id=None, error=problem, remote_data=cells
                    )
                )
                continue
            cell = row.get(column.column_id)
            try:
                stamp = fields.to_datetime(None if cell is None else cell.value, time_zone=self.provider.config.zone)
            except fields.FieldValueError:
                stamp = None
            modified.setdefault(record_id, stamp)
        raws = [
            raw for raw in parallel_map(self._read_one, list(modified), self.provider.prefetch()) if raw is not None
        ]
        mapped: MappedPage[RecordT] = self.provider.mapper(self.detail_table).map_page(raws)
        for record in mapped.records:
            record.updated_at = modified.get(int(record.remote_id))
        return MappedPage(mapped.records, [*rejected, *mapped.rejected])

    def _read_one(self, record_id: int) -> dict[str, Any] | None:
        try:
            return self.provider.library.record(self.detail_path, record_id)
        except errors.NotFound:  # deleted between the search and the read
            return None

    # --- advanced-search columns of this tenant ------------------------------------------------------

    def _columns(self) -> list[AdvancedSearchColumn]:
        assert self.origin is not None
        return self.provider.library.search_columns(self.origin)

    def _modified_column(self) -> AdvancedSearchColumn | None:
        if self.origin is None:
            return None
        dated = [c for c in self._columns() if "date" in (c.column_type or "").lower() and "modif" in c.label()]
        if not dated:
            logger.warning(
                "%s: no modified-date column in advanced search origin %s; reading every record instead",
                scope_label(),
                self.origin,
            )
            return None
        return sorted(dated, key=lambda c: "last" not in c.label())[0]

    def _column_plan(self) -> dict[str, str]:
        """Declared payload name -> this tenant's column id, each found by any of its declared display names.

        A field whose column the tenant lacks maps to None, with one WARNING per connection naming it.
        """
        if self._plan is not None:
            return self._plan
        plan: dict[str, str] = {}
        if self.search_table is not None:
            table = self.provider.manifest.mapping(self.search_table)
            wanted = [(m.remote, (m.remote, *m.fallbacks)) for m in table.fields]
            wanted += [(x.remote, (x.remote,)) for x in table.extensions]
            if table.updated_at_field:
                wanted.append((table.updated_at_field, (table.updated_at_field,)))
            missing = []
            for key, names in wanted:
                column = next((c for name in names if (c := column_named(self._columns(), name)) is not None), None)
                if column is None:
                    missing.append(" / ".join(repr(name) for name in names))
                else:
                    plan[key] = column.column_id
            if missing:
                logger.warning(
                    "%s: advanced search origin %s has no column named %s; those fields are None for this connection",
                    scope_label(),
                    self.origin,
                    ", ".join(missing),
                )
        self._plan = plan
        return plan

    def _sort_column(self) -> AdvancedSearchColumn:
        """The id column incremental reads sort by (a record changed mid-read keeps its place); required."""
        names = self.id_column
        found = next((c for name in names if (c := column_named(self._columns(), name)) is not None), None)
        if found is None:
            raise errors.InvalidResponse(
                f"advanced search origin {self.origin} has no id column ({' / '.join(repr(n) for n in names)}) "
                "to sort incremental reads by",
                hint="without it a record changed mid-read could be passed over; ask TempWorks to expose the "
                "column to this credential, or read without updated_after",
            )
        return found


class EmployeeStream(TempWorksStream[models.Candidate]):
    """Employees: the list, or advanced search origin 1 mapped through the declared columns."""

    entity = Entity.CANDIDATE
    list_path = "/Search/Employees"
    list_table = "employee_list"
    detail_table = "employee_detail"
    detail_path = "/Employees"
    origin = EMPLOYEE_ORIGIN
    id_column = EMPLOYEE_SEARCH_ID_COLUMN
    search_table = "employee_search"


class JobOrderStream(TempWorksStream[models.Job]):
    """Job orders: the list only (no modified date is known for them); statuses are filtered by the core."""

    entity = Entity.JOB
    list_path = "/Search/JobOrders"
    list_table = "job_order_list"
    detail_table = "job_order_detail"
    detail_path = "/JobOrders"


class AssignmentStream(TempWorksStream[models.Application]):
    """Assignments: the list, or advanced search origin 14 with each changed assignment read by id."""

    entity = Entity.APPLICATION
    list_path = "/Search/Assignments"
    list_table = "assignment"
    detail_table = "assignment"
    detail_path = "/Assignments"
    origin = ASSIGNMENT_ORIGIN
    id_column = ASSIGNMENT_SEARCH_ID_COLUMN


def _first_of_each_id(records: list[RecordT]) -> list[RecordT]:
    """The records in order, each remote id once (a search may return a record in two rows)."""
    seen: set[str] = set()
    unique = []
    for record in records:
        if record.remote_id not in seen:
            seen.add(record.remote_id)
            unique.append(record)
    return unique
