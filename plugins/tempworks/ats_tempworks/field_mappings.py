"""TempWorks fields -> canonical fields, with their field types: the tables the manifest declares and the mappers compile.

`TEMPWORKS_FIELD_MAPPINGS` holds one table per payload. Full streams map the list items of
`GET /Search/Employees`, `GET /Search/JobOrders` and `GET /Search/Assignments`. Streams use list items on purpose: a detail request
per record would cost one request per candidate at 25 requests / 5 s (a 100,000-employee tenant: 5.5 h
instead of minutes). The list item lacks middle name, region, country, status and job title; reads by id
(`get_candidate_by_id`, `find_candidates_by_details`) use the detail mappings below. The job order detail
names its order type (`jobOrderType`, e.g. "Temp to Hire") where the list gives its code (`orderType`, "TE"):
two vocabularies, so `job_type` is the list's code and reads by id leave it None (the name stays in remote_data).

The `employee_search` table maps advanced-search column DISPLAY NAMES -> canonical fields, for incremental
candidate streams. Column GUIDs differ per tenant and are found at run
time through `GET /search/{originTypeId}/columns`; each `POST /search/1` page then maps straight to
Candidates (with `updated_at` from "Last Modified"), one request per page instead of one per record.
Assignments are not declared there: their "Assignment Status" column holds the status id (26), not the
name the assignment list and detail carry, so incremental applications keep reading each assignment by id.
"""

from __future__ import annotations

from ats_core.sdk import Entity, FieldMapping, FieldType, MappingTable

__all__ = [
    "ASSIGNMENT_ORIGIN",
    "ASSIGNMENT_SEARCH_ID_COLUMN",
    "EMPLOYEE_ORIGIN",
    "EMPLOYEE_SEARCH_ID_COLUMN",
    "SEARCH_ROW_ID",
    "TEMPWORKS_FIELD_MAPPINGS",
]


def _m(canonical: str, remote: str, field_type: FieldType, description: str = "") -> FieldMapping:
    return FieldMapping(canonical=canonical, remote=remote, type=field_type, description=description)


_EMPLOYEE_LIST: tuple[FieldMapping, ...] = (
    _m("first_name", "firstName", FieldType.STRING),
    _m("last_name", "lastName", FieldType.STRING),
    _m("email", "emailAddress", FieldType.EMAIL),
    _m("phone", "phoneNumber", FieldType.PHONE, "E.164 where unambiguous (US default region)"),
    _m("mobile_phone", "cellPhoneNumber", FieldType.PHONE),
    _m("city", "municipality", FieldType.STRING),
    _m("postal_code", "postalCode", FieldType.STRING, "CHAR padding trimmed"),
    _m("is_active", "isActive", FieldType.BOOLEAN),
    _m("branch", "branch", FieldType.STRING),
    _m("has_resume", "hasResumeOnFile", FieldType.BOOLEAN),
)

_EMPLOYEE_DETAIL: tuple[FieldMapping, ...] = (
    _m("first_name", "firstName", FieldType.STRING),
    _m("middle_name", "middleName", FieldType.STRING),
    _m("last_name", "lastName", FieldType.STRING),
    _m("email", "primaryEmailAddress", FieldType.EMAIL),
    _m("phone", "primaryPhoneNumber", FieldType.PHONE),
    _m("city", "address.municipality", FieldType.STRING),
    _m("region", "address.region", FieldType.STRING, "CHAR padding trimmed"),
    _m("postal_code", "address.postalCode", FieldType.STRING, "CHAR padding trimmed"),
    _m("country_code", "address.countryCode", FieldType.STRING, "ISO 3166 numeric (840 = US)"),
    _m("is_active", "isActive", FieldType.BOOLEAN),
    _m("status", "employeeStatus", FieldType.ENUM),
    _m("branch", "branch", FieldType.STRING),
    _m("job_title", "jobTitle", FieldType.STRING),
)

_JOB_ORDER_LIST: tuple[FieldMapping, ...] = (
    _m("title", "jobTitle", FieldType.STRING),
    _m("status", "orderStatus", FieldType.ENUM),
    _m("is_active", "isActive", FieldType.BOOLEAN),
    _m("company_name", "customerName", FieldType.STRING),
    _m("department", "departmentName", FieldType.STRING),
    _m("job_type", "orderType", FieldType.ENUM, "order type code, e.g. 'TE' (the detail has only the type's name)"),
    _m("positions_required", "positionsRequired", FieldType.INTEGER),
    _m("positions_filled", "positionsFilled", FieldType.INTEGER),
    _m("pay_rate", "payRate", FieldType.MONEY, "written like 0.0000"),
    _m("bill_rate", "billRate", FieldType.MONEY),
    _m("start_date", "startDate", FieldType.DATE, "0001-01-01 = none"),
)

_JOB_ORDER_DETAIL: tuple[FieldMapping, ...] = (
    _m("title", "jobTitle", FieldType.STRING),
    _m("description", "jobDescription", FieldType.STRING),
    _m("status", "jobOrderStatus", FieldType.ENUM),
    _m("is_active", "isActive", FieldType.BOOLEAN),
    _m("company_name", "customerName", FieldType.STRING),
    _m("department", "departmentName", FieldType.STRING),
    _m("positions_required", "positionsRequired", FieldType.INTEGER),
    _m("positions_filled", "positionsFilled", FieldType.INTEGER),
    _m("pay_rate", "payRate", FieldType.MONEY),
    _m("bill_rate", "billRate", FieldType.MONEY),
    _m("start_date", "startDate", FieldType.DATE),
    _m("created_at", "dateOrderTaken", FieldType.DATETIME, "offset-less: read in the tenant time zone"),
)

_ASSIGNMENT: tuple[FieldMapping, ...] = (
    _m("candidate_id", "employeeId", FieldType.ID),
    _m("job_id", "jobOrderId", FieldType.ID),
    _m("status", "assignmentStatus", FieldType.ENUM, "26 = Open, 3 = Customer Cancelled, ..."),
    _m("is_active", "isActive", FieldType.BOOLEAN),
    _m("candidate_first_name", "firstName", FieldType.STRING),
    _m("candidate_last_name", "lastName", FieldType.STRING),
    _m("job_title", "jobTitle", FieldType.STRING),
    _m("company_name", "customerName", FieldType.STRING),
    _m("pay_rate", "payRate", FieldType.MONEY),
    _m("bill_rate", "billRate", FieldType.MONEY),
    _m("start_date", "startDate", FieldType.DATE),
    _m("end_date", "endDate", FieldType.DATE),
    _m("created_at", "dateCreated", FieldType.DATETIME, "offset-less: read in the tenant time zone"),
)

EMPLOYEE_ORIGIN = 1
ASSIGNMENT_ORIGIN = 14
"""Advanced-search origin types (TempWorks documents 1 = Employee, 14 = Assignment)."""
SEARCH_ROW_ID = "Id"
"""The key of every advanced-search row's own record id cell."""
EMPLOYEE_SEARCH_ID_COLUMN = "Employee Id"
ASSIGNMENT_SEARCH_ID_COLUMN = "Assignment Id"
"""Id columns the incremental reads sort by, so a record changed mid-read keeps its place in the order."""

_EMPLOYEE_SEARCH: tuple[FieldMapping, ...] = (
    _m("first_name", "First Name", FieldType.STRING),
    _m("middle_name", "Middle Name", FieldType.STRING),
    _m("last_name", "Last Name", FieldType.STRING),
    _m("email", "Email Address", FieldType.EMAIL),
    _m("phone", "Phone Number", FieldType.PHONE),
    _m("mobile_phone", "Cell Phone Number", FieldType.PHONE),
    _m("city", "City", FieldType.STRING),
    _m("region", "State", FieldType.STRING, "CHAR padding trimmed"),
    _m("postal_code", "Zip Code", FieldType.STRING, "CHAR padding trimmed"),
    _m("is_active", "Is Active", FieldType.BOOLEAN),
    _m("status", "Employee Status", FieldType.ENUM),
    _m("branch", "Branch", FieldType.STRING),
    _m("job_title", "Job Title", FieldType.STRING),
)

TEMPWORKS_FIELD_MAPPINGS: tuple[MappingTable, ...] = (
    MappingTable(
        name="employee_list",
        entity=Entity.CANDIDATE,
        source="GET /Search/Employees items",
        id_field="employeeId",
        read_by=("stream_candidates", "fetch_candidates_page"),
        fields=_EMPLOYEE_LIST,
    ),
    MappingTable(
        name="employee_search",
        entity=Entity.CANDIDATE,
        source="POST /search/1 rows, keyed by column display name (incremental reads)",
        id_field=SEARCH_ROW_ID,
        updated_at_field="Last Modified",
        read_by=("stream_candidates", "fetch_candidates_page"),
        incremental=True,
        fields=_EMPLOYEE_SEARCH,
    ),
    MappingTable(
        name="employee_detail",
        entity=Entity.CANDIDATE,
        source="GET /Employees/{id}",
        id_field="employeeId",
        read_by=("get_candidate_by_id", "find_candidates_by_details"),
        fields=_EMPLOYEE_DETAIL,
    ),
    MappingTable(
        name="job_order_list",
        entity=Entity.JOB,
        source="GET /Search/JobOrders items",
        id_field="orderId",
        read_by=("stream_jobs", "fetch_jobs_page"),
        fields=_JOB_ORDER_LIST,
    ),
    MappingTable(
        name="job_order_detail",
        entity=Entity.JOB,
        source="GET /JobOrders/{id}",
        id_field="jobOrderId",
        read_by=("get_job_by_job_id", "get_enhanced_job", "fetch_enhanced_jobs_page"),
        fields=_JOB_ORDER_DETAIL,
    ),
    MappingTable(
        name="assignment",
        entity=Entity.APPLICATION,
        source="GET /Search/Assignments items and GET /Assignments/{id}",
        id_field="assignmentId",
        read_by=("stream_applications", "fetch_applications_page", "get_application_by_application_id"),
        fields=_ASSIGNMENT,
    ),
)
