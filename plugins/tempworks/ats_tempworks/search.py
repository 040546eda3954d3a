"""TempWorks searches: advanced-search columns and rows, and finding employees by email, phone or name.

Advanced-search columns are per tenant (GUIDs found through `GET /search/{originTypeId}/columns`); the
plugin declares them by display name and resolves them here. Rows are `{"Id": cell, "<column id>": cell}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ats_core.sdk import errors, fields
from ats_tempworks.field_mappings import EMPLOYEE_ORIGIN, SEARCH_ROW_ID
from ats_tempworks.models import AdvancedSearchColumn, SearchCell

if TYPE_CHECKING:
    from ats_core.sdk import http
    from ats_tempworks.library import TempWorksClient

__all__ = ["EQUALS", "cell_text", "column_named", "find_employee_ids", "row_by_name", "row_id"]

EQUALS = 7
"""Advanced-search operator "equals" (public clients use 7 for equality)."""
NAME_SEARCH_PAGE = 200  # rows per advanced-search page of a name search (every page is read)

Row = Mapping[str, SearchCell | None]


def row_id(row: Row) -> int | None:
    """The record id of a row (its "Id" cell), or None when it has no readable one."""
    cell = row.get(SEARCH_ROW_ID)
    if cell is None:
        return None
    value = cell.origin_id if cell.origin_id is not None else cell.value
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() else None


def row_by_name(row: Row, plan: Mapping[str, str]) -> dict[str, Any]:
    """A row keyed by the declared column display names (and "Id"), as the search mapping table reads it."""
    flat: dict[str, Any] = {SEARCH_ROW_ID: row_id(row)}
    for name, column_id in plan.items():
        cell = row.get(column_id)
        flat[name] = None if cell is None else cell.value
    return flat


def column_named(columns: list[AdvancedSearchColumn], name: str) -> AdvancedSearchColumn | None:
    """The column whose display name (or name) is `name`, ignoring case and spaces; built-in before custom."""
    wanted = _squashed(name)
    matches = [c for c in columns if wanted in (_squashed(c.column_display_name), _squashed(c.column_name))]
    return sorted(matches, key=lambda c: bool(c.is_custom_data))[0] if matches else None


def cell_text(row: Row, column_id: str) -> str | None:
    """The trimmed text of one cell, or None."""
    cell = row.get(column_id)
    value = None if cell is None else cell.value
    return value.strip() if isinstance(value, str) else None


def _squashed(text: str | None) -> str:
    return "".join((text or "").split()).replace("_", "").casefold()


def _name_column(columns: list[AdvancedSearchColumn], part: str) -> AdvancedSearchColumn | None:
    squashed = [(c, c.label().replace(" ", "").replace("_", "")) for c in columns]
    exact = [c for c, label in squashed if f"{part}name" in label and not c.is_custom_data]
    return exact[0] if exact else None


def _phone_query(phone: str) -> str:
    """A NANP number as its 10 national digits (how US tenants store phones); anything else as given."""
    try:
        normalised = fields.to_phone(phone)
    except fields.FieldValueError:
        return phone
    if normalised is not None and normalised.startswith("+1") and len(normalised) == 12:
        return normalised[2:]
    return phone


def _same_name(wanted: str | None, actual: str | None) -> bool:
    return wanted is None or (actual or "").strip().casefold() == wanted.strip().casefold()


def find_employee_ids(
    library: TempWorksClient,
    *,
    first_name: str | None,
    last_name: str | None,
    email: str | None,
    phone: str | None,
) -> list[int]:
    """Employee ids matching every given detail, without duplicates, in the server's order."""
    from ats_tempworks.library import numeric_id

    found: list[tuple[int, str | None, str | None]] | None = None
    for kind, value in (("email", email), ("phone", phone)):
        if value is None:
            continue
        hits = library.universal_search(
            email=value if kind == "email" else None, phone=_phone_query(value) if kind == "phone" else None
        )
        rows = [(numeric_id("employeeId", h.employee_id), h.first_name, h.last_name) for h in hits]
        if found is None:
            found = rows
        else:
            keep = {row[0] for row in rows}
            found = [row for row in found if row[0] in keep]
    if found is None:
        found = _employees_named(library, first_name, last_name)
    matches = [
        employee_id
        for employee_id, first, last in found
        if _same_name(first_name, first) and _same_name(last_name, last)
    ]
    return list(dict.fromkeys(matches))


def _employees_named(
    library: TempWorksClient, first_name: str | None, last_name: str | None
) -> list[tuple[int, str | None, str | None]]:
    from ats_core.sdk import http

    columns = library.search_columns(EMPLOYEE_ORIGIN)
    rules: list[dict[str, Any]] = []
    ids: dict[str, str] = {}
    for part, value in (("first", first_name), ("last", last_name)):
        column = _name_column(columns, part)
        if column is None:
            if value is not None:
                raise errors.InvalidInput(
                    f"{part}_name",
                    "cannot be searched: the tenant's advanced search has no such column; search by email or phone",
                )
            continue
        ids[part] = column.column_id
        if value is not None:
            rules.append({"columnId": column.column_id, "operatorId": EQUALS, "values": [value]})

    def fetch(skip: int, take: int) -> http.OffsetPage[Row]:
        page = library.advanced_search(
            EMPLOYEE_ORIGIN,
            rules=rules,
            return_column_ids=list(ids.values()),
            sort_column_id=None,
            skip=skip,
            take=take,
        )
        return http.OffsetPage(page.data, page.total_count)

    rows = []
    for row in http.OffsetPager(fetch, page_size=NAME_SEARCH_PAGE):
        employee_id = row_id(row)
        if employee_id is not None:
            first, last = (cell_text(row, ids[part]) if part in ids else None for part in ("first", "last"))
            rows.append((employee_id, first, last))
    return rows
