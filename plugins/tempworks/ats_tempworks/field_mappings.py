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

from ats_core.sdk import Entity, ExtensionField, FieldMapping, FieldType, MappingTable

__all__ = [
    "ASSIGNMENT_ORIGIN",
    "ASSIGNMENT_SEARCH_ID_COLUMN",
    "EMPLOYEE_ORIGIN",
    "EMPLOYEE_SEARCH_ID_COLUMN",
    "SEARCH_ROW_ID",
    "TEMPWORKS_FIELD_MAPPINGS",
]


def _m(
    canonical: str,
    remote: str,
    field_type: FieldType,
    description: str = "",
    *,
    label: str | None = None,
    also: tuple[str, ...] = (),
    none: tuple[str, ...] = (),
) -> FieldMapping:
    """One mapping; `also` are fallback fields (or other display names), `none` texts meaning no value."""
    return FieldMapping(
        canonical=canonical,
        remote=remote,
        type=field_type,
        description=description,
        label=label,
        fallbacks=also,
        null_values=none,
    )


def _x(name: str, remote: str, field_type: FieldType, description: str) -> ExtensionField:
    return ExtensionField(name=name, remote=remote, type=field_type, description=description)


PADDED = "CHAR padding trimmed"
PLACEHOLDER_TITLE = ("Default",)
"""The job title TempWorks writes when the order's title was left at its default; the public title is the real one."""

_EMPLOYEE_LIST: tuple[FieldMapping, ...] = (
    _m("first_name", "firstName", FieldType.STRING),
    _m("last_name", "lastName", FieldType.STRING),
    _m("emails", "emailAddress", FieldType.EMAIL, label="primary"),
    _m("phone_numbers", "phoneNumber", FieldType.PHONE, "E.164 where unambiguous (US default region)", label="primary"),
    _m("phone_numbers", "cellPhoneNumber", FieldType.PHONE, label="mobile"),
    _m("address.city", "municipality", FieldType.STRING, label="home"),
    _m("address.postal_code", "postalCode", FieldType.STRING, PADDED, label="home"),
    _m("is_active", "isActive", FieldType.BOOLEAN),
    _m("owner_name", "serviceRep", FieldType.STRING, "the employee's service rep"),
    _m("has_resume", "hasResumeOnFile", FieldType.BOOLEAN),
)
_EMPLOYEE_LIST_EXTENSIONS = (
    _x("branch", "branch", FieldType.STRING, "the branch the employee belongs to"),
    _x("is_assigned", "isAssigned", FieldType.BOOLEAN, "on an active assignment now"),
)

_EMPLOYEE_DETAIL: tuple[FieldMapping, ...] = (
    _m("first_name", "firstName", FieldType.STRING),
    _m("middle_name", "middleName", FieldType.STRING),
    _m("last_name", "lastName", FieldType.STRING),
    _m("preferred_name", "alias", FieldType.STRING, "the employee's alias"),
    _m("name_suffix", "nameSuffix", FieldType.STRING),
    _m("emails", "primaryEmailAddress", FieldType.EMAIL, label="primary"),
    _m("phone_numbers", "primaryPhoneNumber", FieldType.PHONE, label="primary"),
    _m("address.lines", "address.street1", FieldType.STRING, label="home"),
    _m("address.lines", "address.street2", FieldType.STRING, label="home"),
    _m("address.city", "address.municipality", FieldType.STRING, label="home"),
    _m("address.region", "address.region", FieldType.STRING, PADDED, label="home"),
    _m("address.postal_code", "address.postalCode", FieldType.STRING, PADDED, label="home"),
    _m("address.country_code", "address.countryCode", FieldType.STRING, "ISO 3166 numeric (840 = US)", label="home"),
    _m("is_active", "isActive", FieldType.BOOLEAN),
    _m("status", "employeeStatus", FieldType.ENUM),
    _m("owner_id", "serviceRepId", FieldType.ID, "the employee's service rep"),
    _m("owner_name", "serviceRep", FieldType.STRING),
    _m("job_title", "jobTitle", FieldType.STRING),
    _m("has_resume", "resumeDocumentId", FieldType.PRESENCE, "the detail names the resume document, if any"),
)
_EMPLOYEE_DETAIL_EXTENSIONS = (
    *_EMPLOYEE_LIST_EXTENSIONS,
    _x("name_prefix", "namePrefix", FieldType.STRING, "Mr., Dr., ..."),
    _x("birthday", "birthday", FieldType.PARTIAL_DATE, "month and day, without a year"),
    _x("activated_at", "activationDate", FieldType.DATETIME, "when the employee was (last) activated"),
    _x("driver_license_expires", "driverLicenseExpire", FieldType.DATE, "0001-01-01 = none"),
    _x("resume_document_id", "resumeDocumentId", FieldType.ID, "the resume's document id"),
)

_JOB_ORDER_LIST: tuple[FieldMapping, ...] = (
    _m(
        "title",
        "jobTitle",
        FieldType.STRING,
        "'Default' (TempWorks' placeholder) reads as none",
        none=PLACEHOLDER_TITLE,
    ),
    _m("status", "orderStatus", FieldType.ENUM),
    _m("is_active", "isActive", FieldType.BOOLEAN),
    _m("company_id", "customerId", FieldType.ID),
    _m("company_name", "customerName", FieldType.STRING),
    _m("department", "departmentName", FieldType.STRING),
    _m("office", "branchName", FieldType.STRING, "the branch that owns the order"),
    _m("job_type", "orderType", FieldType.ENUM, "order type code, e.g. 'TE' (the detail has only the type's name)"),
    _m("positions_required", "positionsRequired", FieldType.INTEGER),
    _m("positions_filled", "positionsFilled", FieldType.INTEGER),
    _m("pay_rate", "payRate", FieldType.MONEY, "written like 0.0000 or 17.5"),
    _m("bill_rate", "billRate", FieldType.MONEY),
    _m("start_date", "startDate", FieldType.DATE, "0001-01-01 = none"),
)

_JOB_ORDER_LIST_EXTENSIONS = (
    _x("service_rep", "serviceRep", FieldType.STRING, "the order's service rep"),
    _x("worksite", "worksite", FieldType.STRING, "the worksite's name"),
)

_JOB_ORDER_DETAIL: tuple[FieldMapping, ...] = (
    _m(
        "title",
        "jobTitle",
        FieldType.STRING,
        "'Default' (TempWorks' placeholder) falls back to publicJobTitle",
        also=("publicJobTitle",),
        none=PLACEHOLDER_TITLE,
    ),
    _m("public_title", "publicJobTitle", FieldType.STRING),
    _m("description", "jobDescription", FieldType.STRING, "null on many orders: the text of description_html then"),
    _m("description_html", "publicJobDescription", FieldType.HTML, "the public posting, HTML as sent"),
    _m("status", "jobOrderStatus", FieldType.ENUM),
    _m("is_active", "isActive", FieldType.BOOLEAN),
    _m("company_id", "customerId", FieldType.ID),
    _m("company_name", "customerName", FieldType.STRING),
    _m("department", "departmentName", FieldType.STRING),
    _m("office", "branch", FieldType.STRING),
    _m("positions_required", "positionsRequired", FieldType.INTEGER),
    _m("positions_filled", "positionsFilled", FieldType.INTEGER),
    _m("pay_rate", "payRate", FieldType.MONEY),
    _m("bill_rate", "billRate", FieldType.MONEY),
    _m("start_date", "startDate", FieldType.DATE),
    _m("posted_at", "publicPostingDate", FieldType.DATETIME, "offset-less: read in the tenant time zone"),
    _m("hiring_manager_id", "supervisorContactId", FieldType.ID, "the customer's supervisor contact"),
    _m("hiring_manager_name", "supervisorLastName", FieldType.STRING),
    _m("created_at", "dateOrderTaken", FieldType.DATETIME, "offset-less: read in the tenant time zone"),
)
_JOB_ORDER_DETAIL_EXTENSIONS = (
    _x("service_rep", "serviceRep", FieldType.STRING, "the order's service rep"),
    _x("remote_work_status", "remoteWorkStatus", FieldType.ENUM, "On Site, Remote, Hybrid"),
    _x("dress_code", "dressCode", FieldType.STRING, "as the order states it"),
    _x("show_pay_rate", "showPayRate", FieldType.BOOLEAN, "whether job boards show the pay rate"),
)

_ASSIGNMENT: tuple[FieldMapping, ...] = (
    _m("candidate_id", "employeeId", FieldType.ID),
    _m("job_id", "jobOrderId", FieldType.ID),
    _m("status", "assignmentStatus", FieldType.ENUM, "26 = Open, 3 = Customer Cancelled, ..."),
    _m("is_active", "isActive", FieldType.BOOLEAN),
    _m("candidate_first_name", "firstName", FieldType.STRING),
    _m("candidate_last_name", "lastName", FieldType.STRING),
    _m(
        "job_title",
        "jobTitle",
        FieldType.STRING,
        "'Default' (TempWorks' placeholder) reads as none",
        none=PLACEHOLDER_TITLE,
    ),
    _m("company_name", "customerName", FieldType.STRING),
    _m("pay_rate", "payRate", FieldType.MONEY),
    _m("bill_rate", "billRate", FieldType.MONEY),
    _m("start_date", "startDate", FieldType.DATE),
    _m("end_date", "endDate", FieldType.DATE),
    _m("expected_end_date", "expectedEndDate", FieldType.DATE),
    _m("supervisor_id", "supervisorId", FieldType.ID),
    _m("supervisor_name", "supervisor", FieldType.STRING),
    _m("created_at", "dateCreated", FieldType.DATETIME, "offset-less: read in the tenant time zone"),
)
_ASSIGNMENT_EXTENSIONS = (
    _x("branch", "branchName", FieldType.STRING, "the branch of the placement"),
    _x("original_start_date", "originalStartDate", FieldType.DATE, "the start before any change"),
)

EMPLOYEE_ORIGIN = 1
ASSIGNMENT_ORIGIN = 14
"""Advanced-search origin types (TempWorks documents 1 = Employee, 14 = Assignment)."""
SEARCH_ROW_ID = "Id"
"""The key of every advanced-search row's own record id cell."""
EMPLOYEE_SEARCH_ID_COLUMN = ("Employee Id",)
ASSIGNMENT_SEARCH_ID_COLUMN = ("Assignment Id",)
"""Display names of the id columns incremental reads sort by (required: a changed record keeps its place)."""

# Advanced-search display names differ per tenant: each field declares the names it is known by, in order.
_EMPLOYEE_SEARCH: tuple[FieldMapping, ...] = (
    _m("first_name", "First Name", FieldType.STRING, also=("Employee First Name",)),
    _m("middle_name", "Middle Name", FieldType.STRING, also=("Middle Initial",)),
    _m("last_name", "Last Name", FieldType.STRING, also=("Employee Last Name",)),
    _m("emails", "Email Address", FieldType.EMAIL, label="primary", also=("Primary Email",)),
    _m("phone_numbers", "Phone Number", FieldType.PHONE, label="primary", also=("Primary Phone",)),
    _m("phone_numbers", "Cell Phone Number", FieldType.PHONE, label="mobile", also=("Cell Phone",)),
    _m("address.lines", "Street Address", FieldType.STRING, label="home", also=("Address Line 1",)),
    _m("address.city", "City", FieldType.STRING, label="home", also=("Municipality",)),
    _m("address.region", "State", FieldType.STRING, PADDED, label="home", also=("Region",)),
    _m("address.postal_code", "Zip Code", FieldType.STRING, PADDED, label="home", also=("Postal Code",)),
    _m("is_active", "Is Active", FieldType.BOOLEAN, also=("Active",)),
    _m("status", "Employee Status", FieldType.ENUM),
    _m("job_title", "Job Title", FieldType.STRING),
    _m("has_resume", "Resume Document Id", FieldType.PRESENCE),
)
_EMPLOYEE_SEARCH_EXTENSIONS = (
    _x("branch", "Branch", FieldType.STRING, "the branch the employee belongs to"),
    _x("is_assigned", "Is Assigned", FieldType.BOOLEAN, "on an active assignment now"),
    _x("activated_at", "Activation Date", FieldType.DATETIME, "when the employee was (last) activated"),
)

TEMPWORKS_FIELD_MAPPINGS: tuple[MappingTable, ...] = (
    MappingTable(
        name="employee_list",
        entity=Entity.CANDIDATE,
        source="GET /Search/Employees items",
        id_field="employeeId",
        read_by=("stream_candidates", "fetch_candidates_page"),
        fields=_EMPLOYEE_LIST,
        extensions=_EMPLOYEE_LIST_EXTENSIONS,
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
        extensions=_EMPLOYEE_SEARCH_EXTENSIONS,
    ),
    MappingTable(
        name="employee_detail",
        entity=Entity.CANDIDATE,
        source="GET /Employees/{id}",
        id_field="employeeId",
        read_by=("get_candidate_by_id", "find_candidates_by_details"),
        fields=_EMPLOYEE_DETAIL,
        extensions=_EMPLOYEE_DETAIL_EXTENSIONS,
    ),
    MappingTable(
        name="job_order_list",
        entity=Entity.JOB,
        source="GET /Search/JobOrders items",
        id_field="orderId",
        read_by=("stream_jobs", "fetch_jobs_page"),
        fields=_JOB_ORDER_LIST,
        extensions=_JOB_ORDER_LIST_EXTENSIONS,
    ),
    MappingTable(
        name="job_order_detail",
        entity=Entity.JOB,
        source="GET /JobOrders/{id}",
        id_field="jobOrderId",
        read_by=("get_job_by_job_id", "get_enhanced_job", "fetch_enhanced_jobs_page"),
        fields=_JOB_ORDER_DETAIL,
        extensions=_JOB_ORDER_DETAIL_EXTENSIONS,
    ),
    MappingTable(
        name="assignment",
        entity=Entity.APPLICATION,
        source="GET /Search/Assignments items and GET /Assignments/{id}",
        id_field="assignmentId",
        read_by=("stream_applications", "fetch_applications_page", "get_application_by_application_id"),
        fields=_ASSIGNMENT,
        extensions=_ASSIGNMENT_EXTENSIONS,
    ),
)
