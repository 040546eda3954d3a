"""Advanced search (`GET /search/{originTypeId}/columns`, `POST /search/{originTypeId}`).

Operators: 3 = date strictly after the value, 4 = date strictly before the value (a value without an offset
is the tenant's local time), 7 = equals one of the
values (case-insensitive text comparison), 20 = has a value. Group condition 0 = AND, 1 = OR; `not`
negates a group. Rules on the "Last Modified" column of an AND root group narrow the base records to an
id range in O(log N); any other rule is checked record by record within that range (at most
MAX_SCANNED_ROWS records, else 400).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ats_tempworks_sandbox.local_time import LocalTime
from ats_tempworks_sandbox.paging import OrderedIds
from ats_tempworks_sandbox.problems import ApiProblem
from ats_tempworks_sandbox.seeded import SENTINEL_DATE, seeded_guid
from ats_tempworks_sandbox.state import SandboxState
from ats_tempworks_sandbox.tenant import ASSIGNMENT, EMPLOYEE, JOB_ORDER

__all__ = ["MAX_SCANNED_ROWS", "MAX_SORTED_ROWS", "MODIFIED_COLUMN", "Column", "columns_for", "run_search"]

MODIFIED_COLUMN = "Last Modified"
MAX_SORTED_ROWS = 200_000
MAX_SCANNED_ROWS = 200_000
OP_AFTER, OP_BEFORE, OP_IN, OP_HAS_VALUE = 3, 4, 7, 20

Reader = Callable[[SandboxState, int, dict[str, Any]], Any]


@dataclass(frozen=True)
class Column:
    """One searchable column of an origin type."""

    column_id: str
    name: str
    category: str
    column_type: str
    read: Reader
    is_modified: bool = False
    is_custom: bool = False
    is_id: bool = False
    kind: int = 0

    @property
    def live_type(self) -> str:
        """The columnType as recorded live tenants write it: lower case, decimals as "double"."""
        return "double" if self.column_type == "Decimal" else self.column_type.lower()

    def metadata(self, seed: int) -> dict[str, Any]:
        """The column's metadata, with the keys a recorded live column list carries."""
        return {
            "columnId": self.column_id,
            "categoryId": seeded_guid(seed, 53, self.kind, *self.category.encode()),
            "category": self.category,
            "tableId": seeded_guid(seed, 54, self.kind),
            "columnType": self.live_type,
            "columnName": self.name.replace(" ", ""),
            "columnDisplayName": self.name,
            "returnedColumnName": None,
            "returnedColumnType": None,
            "datalistId": None,
            "isNullable": not self.is_id,
            "isCustomData": self.is_custom,
            "isCustomDataJsonArray": False,
            "canBeIncludedInResults": True,
            "originTypeId": self.kind if self.is_id else None,
            "originIdColumn": "ItemId" if self.is_id else None,
            "displayMaskId": None,
            "invertBooleanValue": None,
        }


def _field(name: str) -> Reader:
    return lambda state, record_id, record: record.get(name)


def _address(name: str) -> Reader:
    return lambda state, record_id, record: (record.get("address") or {}).get(name)


def _modified(kind: int) -> Reader:
    return lambda state, record_id, record: state.data.local.format(state.modified_of(kind, record_id))


_CUSTOM_CACHE = "\x00custom"


def _custom(kind: int, definition_id: str) -> Reader:
    def read(state: SandboxState, record_id: int, record: dict[str, Any]) -> Any:
        values = record.get(_CUSTOM_CACHE)
        if values is None:
            values = {c["propertyDefinitionId"]: c["propertyValue"] for c in state.custom_data(kind, record_id)}
            record[_CUSTOM_CACHE] = values
        return values.get(definition_id)

    return read


_SPECS: dict[int, tuple[tuple[str, str, str, Reader], ...]] = {
    EMPLOYEE: (
        ("Employee Id", "General", "Integer", _field("employeeId")),
        ("First Name", "General", "String", _field("firstName")),
        ("Middle Name", "General", "String", _field("middleName")),
        ("Last Name", "General", "String", _field("lastName")),
        ("Email Address", "Contact Info", "String", _field("primaryEmailAddress")),
        ("Phone Number", "Contact Info", "String", _field("primaryPhoneNumber")),
        ("Cell Phone Number", "Contact Info", "String", lambda s, i, r: s.employee_cell(i)),
        ("Branch", "General", "String", _field("branch")),
        ("Branch Id", "General", "Integer", _field("branchId")),
        ("Is Active", "Status", "Boolean", _field("isActive")),
        ("Is Assigned", "Status", "Boolean", _field("isAssigned")),
        ("Employee Status", "Status", "String", _field("employeeStatus")),
        ("Street Address", "Address", "String", _address("street1")),
        ("City", "Address", "String", _address("municipality")),
        ("State", "Address", "String", _address("region")),
        ("Zip Code", "Address", "String", _address("postalCode")),
        ("Job Title", "General", "String", _field("jobTitle")),
        ("Resume Document Id", "Documents", "Integer", _field("resumeDocumentId")),
        ("Activation Date", "Status", "Date", _field("activationDate")),
    ),
    JOB_ORDER: (
        ("Order Id", "General", "Integer", _field("jobOrderId")),
        ("Job Title", "General", "String", _field("jobTitle")),
        ("Customer Id", "Customer", "Integer", _field("customerId")),
        ("Customer Name", "Customer", "String", _field("customerName")),
        ("Department Name", "Customer", "String", _field("departmentName")),
        ("Branch", "General", "String", _field("branch")),
        ("Branch Id", "General", "Integer", _field("branchId")),
        ("Is Active", "Status", "Boolean", _field("isActive")),
        ("Order Status", "Status", "String", _field("jobOrderStatus")),
        ("Positions Required", "General", "Integer", _field("positionsRequired")),
        ("Positions Filled", "General", "Integer", _field("positionsFilled")),
        ("Pay Rate", "Rates", "Decimal", _field("payRate")),
        ("Bill Rate", "Rates", "Decimal", _field("billRate")),
        ("Date Order Taken", "General", "Date", _field("dateOrderTaken")),
        ("Start Date", "General", "Date", _field("startDate")),
    ),
    ASSIGNMENT: (
        ("Assignment Id", "General", "Integer", _field("assignmentId")),
        ("Employee Id", "Employee", "Integer", _field("employeeId")),
        ("Job Order Id", "Order", "Integer", _field("jobOrderId")),
        ("First Name", "Employee", "String", _field("firstName")),
        ("Last Name", "Employee", "String", _field("lastName")),
        ("Customer Name", "Customer", "String", _field("customerName")),
        ("Job Title", "Order", "String", _field("jobTitle")),
        ("Branch", "General", "String", _field("branchName")),
        ("Branch Id", "General", "Integer", _field("branchId")),
        ("Is Active", "Status", "Boolean", _field("isActive")),
        ("Assignment Status", "Status", "Integer", _field("assignmentStatusId")),
        ("Pay Rate", "Rates", "Decimal", _field("payRate")),
        ("Bill Rate", "Rates", "Decimal", _field("billRate")),
        ("Start Date", "General", "Date", _field("startDate")),
        ("End Date", "General", "Date", _field("endDate")),
        ("Date Created", "General", "Date", _field("dateCreated")),
    ),
}


# search_columns=alternate: other display names for the same columns (live tenants name them their own way;
# "Active" for assignments is a recorded one); minimal: a tenant without the optional columns
_ALTERNATE_NAMES: dict[int, dict[str, str]] = {
    EMPLOYEE: {
        "First Name": "Employee First Name",
        "Last Name": "Employee Last Name",
        "Middle Name": "Middle Initial",
        "Email Address": "Primary Email",
        "Phone Number": "Primary Phone",
        "Cell Phone Number": "Cell Phone",
        "Is Active": "Active",
        "Is Assigned": "Assigned",
        "Street Address": "Address Line 1",
        "City": "Municipality",
        "State": "Region",
        "Zip Code": "Postal Code",
    },
    JOB_ORDER: {"Job Title": "Title", "Is Active": "Active", "Order Status": "Status"},
    ASSIGNMENT: {"Is Active": "Active", "First Name": "Employee First Name", "Last Name": "Employee Last Name"},
}
_OPTIONAL_COLUMNS: dict[int, frozenset[str]] = {
    EMPLOYEE: frozenset({"Middle Name", "Cell Phone Number", "Street Address", "Job Title", "Resume Document Id"}),
    JOB_ORDER: frozenset({"Department Name", "Positions Filled", "Bill Rate"}),
    ASSIGNMENT: frozenset({"Bill Rate", "End Date"}),
}
_CUSTOM_COLUMN_TYPES = {"decimal": "Decimal", "money": "Decimal", "boolean": "Boolean", "integer": "Integer"}


def columns_for(state: SandboxState, kind: int) -> tuple[Column, ...]:
    """The tenant's columns of an origin type; GUIDs are derived from the seed, so they differ per tenant.

    The option search_columns renames (alternate) or leaves out (minimal) some; a column keeps its GUID either way.
    """
    seed = state.data.seed
    chosen = state.faults.search_columns
    renamed = _ALTERNATE_NAMES[kind] if chosen == "alternate" else {}
    left_out = _OPTIONAL_COLUMNS[kind] if chosen == "minimal" else frozenset()
    columns = [
        Column(
            seeded_guid(seed, 51, kind, n),
            renamed.get(name, name),
            category,
            column_type,
            reader,
            is_id=n == 0,
            kind=kind,
        )
        for n, (name, category, column_type, reader) in enumerate(_SPECS[kind])
        if name not in left_out
    ]
    columns.append(
        Column(
            seeded_guid(seed, 51, kind, 99),
            MODIFIED_COLUMN,
            "System",
            "Date",
            _modified(kind),
            is_modified=True,
            kind=kind,
        )
    )
    for n, definition in enumerate(state.data.custom_definitions[kind]):
        columns.append(
            Column(
                seeded_guid(seed, 52, kind, n),
                definition.name,
                "Custom Data",
                "Date"
                if "date" in definition.property_type
                else _CUSTOM_COLUMN_TYPES.get(definition.property_type, "String"),
                _custom(kind, definition.definition_id),
                is_custom=True,
                kind=kind,
            )
        )
    return tuple(columns)


def _parse_instant(local: LocalTime, text: Any, where: str) -> float:
    """A rule's date value; without an offset it is the tenant's local time."""
    try:
        return local.parse(str(text))
    except ValueError:
        raise ApiProblem.invalid(where, f"'{text}' is not a date; use ISO 8601 like 2024-05-01T00:00:00") from None


def _record_instant(local: LocalTime, value: Any) -> float | None:
    if value in (None, "", SENTINEL_DATE):
        return None
    try:
        return local.parse(str(value))
    except ValueError:
        return None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip().lower()


Predicate = Callable[[SandboxState, int, dict[str, Any]], bool]


@dataclass
class _Compiled:
    predicate: Predicate
    after: float | None
    before: float | None
    exact: bool


class _Compiler:
    def __init__(self, columns: dict[str, Column], kind: int, local: LocalTime) -> None:
        self.columns = columns
        self.kind = kind
        self.local = local

    def rule(self, rule: dict[str, Any], where: str) -> Predicate:
        column = self.columns.get(str(rule.get("columnId", "")).lower())
        if column is None:
            raise ApiProblem.invalid(
                f"{where}.columnId", f"unknown column '{rule.get('columnId')}' for this origin type"
            )
        operator = rule.get("operatorId")
        values = rule.get("values") or []
        if not isinstance(values, list):
            raise ApiProblem.invalid(f"{where}.values", "values must be a list")
        if operator in (OP_AFTER, OP_BEFORE):
            if not values:
                raise ApiProblem.invalid(f"{where}.values", "date operators need one date value")
            instant = _parse_instant(self.local, values[0], f"{where}.values")
            after = operator == OP_AFTER
            kind, local = self.kind, self.local

            def compare(state: SandboxState, record_id: int, record: dict[str, Any]) -> bool:
                if column.is_modified:  # the exact instant, also inside a repeated (clocks fall back) hour
                    value: float | None = state.modified_of(kind, record_id)
                else:
                    value = _record_instant(local, column.read(state, record_id, record))
                return value is not None and (value > instant if after else value < instant)

            return compare
        if operator == OP_IN:
            wanted = {_text(v) for v in values}
            return lambda state, record_id, record: _text(column.read(state, record_id, record)) in wanted
        if operator == OP_HAS_VALUE:
            return lambda state, record_id, record: (
                column.read(state, record_id, record) not in (None, "", SENTINEL_DATE)
            )
        raise ApiProblem.invalid(
            f"{where}.operatorId", f"operator {operator} is not supported by the sandbox (3, 4, 7, 20)"
        )

    def group(self, group: dict[str, Any], where: str) -> Predicate:
        condition = group.get("condition", 0)
        if condition not in (0, 1):
            raise ApiProblem.invalid(f"{where}.condition", "condition must be 0 (AND) or 1 (OR)")
        parts: list[Predicate] = []
        for n, item in enumerate(group.get("rules") or []):
            if not isinstance(item, dict):
                raise ApiProblem.invalid(f"{where}.rules[{n}]", "a rule must be an object")
            nested = "rules" in item and "columnId" not in item
            parts.append(self.group(item, f"{where}.rules[{n}]") if nested else self.rule(item, f"{where}.rules[{n}]"))
        negate = bool(group.get("not"))
        combine = all if condition == 0 else any

        def evaluate(state: SandboxState, record_id: int, record: dict[str, Any]) -> bool:
            result = combine(part(state, record_id, record) for part in parts) if parts else True
            return result != negate

        return evaluate

    def compile(self, root: dict[str, Any]) -> _Compiled:
        predicate = self.group(root, "searchCriteria.rootGroup")
        after: float | None = None
        before: float | None = None
        exact = True
        conjunctive = root.get("condition", 0) == 0 and not root.get("not")
        for item in root.get("rules") or []:
            column = self.columns.get(str(item.get("columnId", "")).lower()) if "columnId" in item else None
            narrows = (
                conjunctive
                and column is not None
                and column.is_modified
                and item.get("operatorId") in (OP_AFTER, OP_BEFORE)
            )
            if not narrows:
                exact = False
                continue
            instant = _parse_instant(self.local, item["values"][0], "values")
            if item["operatorId"] == OP_AFTER:
                after = instant if after is None else max(after, instant)
            else:
                before = instant if before is None else min(before, instant)
        if not conjunctive:
            after = before = None
            exact = not root.get("rules") and not root.get("not")
        return _Compiled(predicate, after, before, exact)


def _matching(state: SandboxState, kind: int, compiled: _Compiled) -> OrderedIds:
    space = state.data.space(kind)
    lo = space.first_index_above(compiled.after) if compiled.after is not None else 0
    hi = space.first_index_at_or_above(compiled.before) if compiled.before is not None else space.count
    lo_id, hi_id = space.id_of(lo), space.id_of(max(lo, hi))
    touched = state.modified[kind]
    gone = state.deleted if kind == EMPLOYEE else set()
    excluded = [record_id for record_id in (*touched, *gone) if lo_id <= record_id < hi_id]

    def in_window(moment: float) -> bool:
        return (compiled.after is None or moment > compiled.after) and (
            compiled.before is None or moment < compiled.before
        )

    extras = sorted(record_id for record_id, moment in touched.items() if in_window(moment) and record_id not in gone)
    if compiled.exact:
        return OrderedIds(lo_id, hi_id, excluded, extras)
    candidates = OrderedIds(lo_id, hi_id, excluded, extras)
    if candidates.total > MAX_SCANNED_ROWS:
        raise ApiProblem.invalid(
            "searchCriteria.rootGroup",
            f"the sandbox checks rules other than '{MODIFIED_COLUMN}' on at most {MAX_SCANNED_ROWS} rows "
            f"({candidates.total} here); add a top-level '{MODIFIED_COLUMN}' rule (operator 3 or 4) to narrow it",
        )
    matched = []
    for record_id in candidates:
        record = state.record(kind, record_id)
        if record is not None and compiled.predicate(state, record_id, record):
            matched.append(record_id)
    return OrderedIds(0, 0, [], matched)


def _ordered(state: SandboxState, kind: int, ids: OrderedIds, sort_column: Column | None) -> OrderedIds:
    if sort_column is None:
        return ids
    if sort_column.is_modified:
        # untouched base records come first (their times grow with the id), then writes by their time
        by_time = sorted(ids.extras, key=lambda record_id: (state.modified_of(kind, record_id), record_id))
        return OrderedIds(ids.lo, ids.hi, ids.excluded, by_time, merge=False)
    if ids.total > MAX_SORTED_ROWS:
        raise ApiProblem.invalid(
            "sortByColumns",
            f"the sandbox sorts by '{sort_column.name}' only up to {MAX_SORTED_ROWS} rows; narrow the search",
        )

    def key(record_id: int) -> tuple[int, str, int]:
        record = state.record(kind, record_id) or {}
        value = sort_column.read(state, record_id, record)
        return (value is None, _text(value) if value is not None else "", record_id)

    return OrderedIds(0, 0, [], sorted(ids, key=key), merge=False)


def _int_field(body: dict[str, Any], name: str, default: int) -> int:
    value = body.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApiProblem.invalid(name, f"{name} must be a non-negative integer")
    return value


def _malformed_row(
    state: SandboxState, kind: int, record_id: int, row: dict[str, Any], returned: list[Column]
) -> dict[str, Any]:
    """The malformed_rate fault on a result row, fixed per record id: no "Id" cell, or Boolean cells as text."""
    flaw = state.data.malformed(kind, record_id, state.faults.malformed_rate)
    if flaw == 1:
        del row["Id"]
    elif flaw == 2:
        for column in returned:
            cell = row[column.column_id]
            if column.column_type == "Boolean" and isinstance(cell["value"], bool):
                cell["value"] = "true" if cell["value"] else "false"
    if flaw:
        state.injected["malformed"] += 1
    return row


def run_search(state: SandboxState, kind: int, body: Any, max_take: int) -> dict[str, Any]:
    """Evaluate an advanced-search body against base data plus overlay writes."""
    if not isinstance(body, dict) or not isinstance(body.get("searchCriteria"), dict):
        raise ApiProblem.invalid("searchCriteria", "The searchCriteria field is required.")
    criteria = body["searchCriteria"]
    columns = columns_for(state, kind)
    by_id = {column.column_id.lower(): column for column in columns}
    root = criteria.get("rootGroup") or {"condition": 0, "rules": []}
    if not isinstance(root, dict):
        raise ApiProblem.invalid("searchCriteria.rootGroup", "rootGroup must be an object")
    returned = []
    for n, column_id in enumerate(criteria.get("returnColumnIds") or []):
        column = by_id.get(str(column_id).lower())
        if column is None:
            raise ApiProblem.invalid(f"searchCriteria.returnColumnIds[{n}]", f"unknown column '{column_id}'")
        returned.append(column)
    skip, take = _int_field(body, "skip", 0), _int_field(body, "take", 20)
    if state.faults.repeat_pages:
        skip = 0
    if take > max_take:
        raise ApiProblem.invalid("take", f"take must be at most {max_take}")
    sort_column: Column | None = None
    descending = False
    sorts = body.get("sortByColumns") or []
    if sorts:
        first = sorts[0]
        sort_column = by_id.get(str(first.get("columnId", "")).lower())
        if sort_column is None:
            raise ApiProblem.invalid("sortByColumns[0].columnId", f"unknown column '{first.get('columnId')}'")
        descending = bool(first.get("isDescending"))
        if sort_column.name.endswith(" Id") and sort_column is columns[0]:
            sort_column = None
    compiled = _Compiler(by_id, kind, state.data.local).compile(root)
    ordered = _ordered(state, kind, _matching(state, kind, compiled), sort_column)
    rows = []
    for record_id in ordered.page(skip, take, descending=descending):
        record = state.record(kind, record_id) or {}
        row: dict[str, Any] = {"Id": {"value": record_id, "originId": record_id, "originTypeId": kind}}
        for column in returned:
            row[column.column_id] = {
                "value": column.read(state, record_id, record),
                "originId": record_id,
                "originTypeId": kind,
            }
        rows.append(_malformed_row(state, kind, record_id, row, returned))
    return {
        "columns": [{"columnId": c.column_id, "displayName": c.name, "columnType": c.live_type} for c in returned],
        "data": rows,
        "totalCount": ordered.total,
    }
