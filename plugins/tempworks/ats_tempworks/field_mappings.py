"""TempWorks fields -> canonical fields, with their field types: the declaration the mappers compile from.

`TEMPWORKS_FIELD_MAPPINGS` (in the manifest) maps the list items the streams read: `GET /Search/Employees`,
`GET /Search/JobOrders` and `GET /Search/Assignments`. Streams use list items on purpose: a detail request
per record would cost one request per candidate at 25 requests / 5 s (a 100,000-employee tenant: 5.5 h
instead of minutes). The list item lacks middle name, region, country, status and job title; reads by id
(`get_candidate_by_id`, `find_candidates_by_details`) use the detail mappings below. The job order detail
names its order type (`jobOrderType`, e.g. "Temp to Hire") where the list gives its code (`orderType`, "TE"):
two vocabularies, so `job_type` is the list's code and reads by id leave it None (the name stays in remote_data).

`TEMPWORKS_SEARCH_COLUMN_MAPPINGS` is the second declaration: advanced-search column DISPLAY NAMES ->
canonical fields, for incremental candidate streams. Column GUIDs differ per tenant and are found at run
time through `GET /search/{originTypeId}/columns`; each `POST /search/1` page then maps straight to
Candidates (with `updated_at` from "Last Modified"), one request per page instead of one per record.
Assignments are not declared there: their "Assignment Status" column holds the status id (26), not the
name the assignment list and detail carry, so incremental applications keep reading each assignment by id.
"""

from __future__ import annotations

from ats_core.fields import FieldMapping, FieldType, MappedEntity

__all__ = [
    "ASSIGNMENT_ID",
    "ASSIGNMENT_MAPPINGS",
    "ASSIGNMENT_SEARCH_ID_COLUMN",
    "EMPLOYEE_DETAIL_MAPPINGS",
    "EMPLOYEE_ID",
    "EMPLOYEE_LIST_MAPPINGS",
    "EMPLOYEE_SEARCH_COLUMNS",
    "EMPLOYEE_SEARCH_ID_COLUMN",
    "JOB_ORDER_DETAIL_ID",
    "JOB_ORDER_DETAIL_MAPPINGS",
    "JOB_ORDER_LIST_ID",
    "JOB_ORDER_LIST_MAPPINGS",
    "SEARCH_ROW_ID",
    "TEMPWORKS_FIELD_MAPPINGS",
    "TEMPWORKS_SEARCH_COLUMN_MAPPINGS",
]


def _m(canonical: str, remote: str, field_type: FieldType, description: str = "") -> FieldMapping:
    return FieldMapping(canonical=canonical, remote=remote, type=field_type, description=description)


S, E, P, D, T, M, B, N, ID, K = (
    FieldType.STRING,
    FieldType.EMAIL,
    FieldType.PHONE,
    FieldType.DATE,
    FieldType.DATETIME,
    FieldType.MONEY,
    FieldType.BOOLEAN,
    FieldType.ENUM,
    FieldType.ID,
    FieldType.INTEGER,
)

EMPLOYEE_ID = "employeeId"
JOB_ORDER_LIST_ID = "orderId"
JOB_ORDER_DETAIL_ID = "jobOrderId"
ASSIGNMENT_ID = "assignmentId"

EMPLOYEE_LIST_MAPPINGS: tuple[FieldMapping, ...] = (
    _m("first_name", "firstName", S),
    _m("last_name", "lastName", S),
    _m("email", "emailAddress", E),
    _m("phone", "phoneNumber", P, "E.164 where unambiguous (US default region)"),
    _m("mobile_phone", "cellPhoneNumber", P),
    _m("city", "municipality", S),
    _m("postal_code", "postalCode", S, "CHAR padding trimmed"),
    _m("is_active", "isActive", B),
    _m("branch", "branch", S),
    _m("has_resume", "hasResumeOnFile", B),
)

EMPLOYEE_DETAIL_MAPPINGS: tuple[FieldMapping, ...] = (
    _m("first_name", "firstName", S),
    _m("middle_name", "middleName", S),
    _m("last_name", "lastName", S),
    _m("email", "primaryEmailAddress", E),
    _m("phone", "primaryPhoneNumber", P),
    _m("city", "address.municipality", S),
    _m("region", "address.region", S, "CHAR padding trimmed"),
    _m("postal_code", "address.postalCode", S, "CHAR padding trimmed"),
    _m("country_code", "address.countryCode", S, "ISO 3166 numeric (840 = US)"),
    _m("is_active", "isActive", B),
    _m("status", "employeeStatus", N),
    _m("branch", "branch", S),
    _m("job_title", "jobTitle", S),
)

JOB_ORDER_LIST_MAPPINGS: tuple[FieldMapping, ...] = (
    _m("title", "jobTitle", S),
    _m("status", "orderStatus", N),
    _m("is_active", "isActive", B),
    _m("company_name", "customerName", S),
    _m("department", "departmentName", S),
    _m("job_type", "orderType", N, "order type code, e.g. 'TE' (the detail has only the type's name)"),
    _m("positions_required", "positionsRequired", K),
    _m("positions_filled", "positionsFilled", K),
    _m("pay_rate", "payRate", M, "written like 0.0000"),
    _m("bill_rate", "billRate", M),
    _m("start_date", "startDate", D, "0001-01-01 = none"),
)

JOB_ORDER_DETAIL_MAPPINGS: tuple[FieldMapping, ...] = (
    _m("title", "jobTitle", S),
    _m("description", "jobDescription", S),
    _m("status", "jobOrderStatus", N),
    _m("is_active", "isActive", B),
    _m("company_name", "customerName", S),
    _m("department", "departmentName", S),
    _m("positions_required", "positionsRequired", K),
    _m("positions_filled", "positionsFilled", K),
    _m("pay_rate", "payRate", M),
    _m("bill_rate", "billRate", M),
    _m("start_date", "startDate", D),
    _m("created_at", "dateOrderTaken", T, "offset-less: read in the tenant time zone"),
)

ASSIGNMENT_MAPPINGS: tuple[FieldMapping, ...] = (
    _m("candidate_id", "employeeId", ID),
    _m("job_id", "jobOrderId", ID),
    _m("status", "assignmentStatus", N, "26 = Open, 3 = Customer Cancelled, ..."),
    _m("is_active", "isActive", B),
    _m("candidate_first_name", "firstName", S),
    _m("candidate_last_name", "lastName", S),
    _m("job_title", "jobTitle", S),
    _m("company_name", "customerName", S),
    _m("pay_rate", "payRate", M),
    _m("bill_rate", "billRate", M),
    _m("start_date", "startDate", D),
    _m("end_date", "endDate", D),
    _m("created_at", "dateCreated", T, "offset-less: read in the tenant time zone"),
)

TEMPWORKS_FIELD_MAPPINGS: dict[MappedEntity, tuple[FieldMapping, ...]] = {
    MappedEntity.CANDIDATE: EMPLOYEE_LIST_MAPPINGS,
    MappedEntity.JOB: JOB_ORDER_LIST_MAPPINGS,
    MappedEntity.APPLICATION: ASSIGNMENT_MAPPINGS,
}

SEARCH_ROW_ID = "Id"
"""The key of every advanced-search row's own record id cell."""
EMPLOYEE_SEARCH_ID_COLUMN = "Employee Id"
ASSIGNMENT_SEARCH_ID_COLUMN = "Assignment Id"
"""Id columns the incremental reads sort by, so a record changed mid-read keeps its place in the order."""

EMPLOYEE_SEARCH_COLUMNS: tuple[FieldMapping, ...] = (
    _m("first_name", "First Name", S),
    _m("middle_name", "Middle Name", S),
    _m("last_name", "Last Name", S),
    _m("email", "Email Address", E),
    _m("phone", "Phone Number", P),
    _m("mobile_phone", "Cell Phone Number", P),
    _m("city", "City", S),
    _m("region", "State", S, "CHAR padding trimmed"),
    _m("postal_code", "Zip Code", S, "CHAR padding trimmed"),
    _m("is_active", "Is Active", B),
    _m("status", "Employee Status", N),
    _m("branch", "Branch", S),
    _m("job_title", "Job Title", S),
    _m("updated_at", "Last Modified", T, "offset-less: read in the tenant time zone"),
)

TEMPWORKS_SEARCH_COLUMN_MAPPINGS: dict[MappedEntity, tuple[FieldMapping, ...]] = {
    MappedEntity.CANDIDATE: EMPLOYEE_SEARCH_COLUMNS,
}
