"""Bullhorn fields -> canonical fields, with their field types: the tables the manifest declares and the mappers compile.

Bullhorn answers with the fields a call asks for (`fields=`), so each table is also the request: the
streams and lookups ask for exactly the remote paths their table declares (`library.fields_of`). Every
timestamp is epoch milliseconds (EPOCH_MS); DATE-specialised ones are days in the tenant zone
(EPOCH_MS_DATE). Streams read query/search rows; lookups read `GET entity/...` with the same fields, plus
the long HTML descriptions for jobs (left out of list reads to keep pages small).
"""

from __future__ import annotations

from ats_core.sdk import Entity, ExtensionField, FieldMapping, FieldType, MappingTable

__all__ = ["BULLHORN_FIELD_MAPPINGS"]


def _m(
    canonical: str, remote: str, field_type: FieldType, description: str = "", *, label: str | None = None
) -> FieldMapping:
    return FieldMapping(canonical=canonical, remote=remote, type=field_type, description=description, label=label)


def _x(name: str, remote: str, field_type: FieldType, description: str) -> ExtensionField:
    return ExtensionField(name=name, remote=remote, type=field_type, description=description)


MODIFIED = "dateLastModified"
"""Every streamed entity's modified date (epoch milliseconds): incremental reads filter on it."""

_CANDIDATE = (
    _m("first_name", "firstName", FieldType.STRING),
    _m("middle_name", "middleName", FieldType.STRING),
    _m("last_name", "lastName", FieldType.STRING),
    _m("emails", "email", FieldType.EMAIL, label="primary"),
    _m("emails", "email2", FieldType.EMAIL, label="other"),
    _m("emails", "email3", FieldType.EMAIL, label="other"),
    _m("phone_numbers", "phone", FieldType.PHONE, "Bullhorn's 'Home Phone'", label="home"),
    _m("phone_numbers", "mobile", FieldType.PHONE, label="mobile"),
    _m("phone_numbers", "phone2", FieldType.PHONE, label="other"),
    _m("address.lines", "address.address1", FieldType.STRING, label="home"),
    _m("address.lines", "address.address2", FieldType.STRING, label="home"),
    _m("address.city", "address.city", FieldType.STRING, label="home"),
    _m("address.region", "address.state", FieldType.STRING, label="home"),
    _m("address.postal_code", "address.zip", FieldType.STRING, label="home"),
    _m("owner_id", "owner.id", FieldType.ID, "the recruiter (CorporateUser) who owns the candidate"),
    _m("source", "source", FieldType.STRING),
    _m("status", "status", FieldType.ENUM, "the tenant's candidate status list (New Lead, Active, ...)"),
    _m("job_title", "occupation", FieldType.STRING, "Bullhorn's 'Current Title' (candidates have no title field)"),
    _m("created_at", "dateAdded", FieldType.EPOCH_MS),
)
_CANDIDATE_EXTENSIONS = (
    _x("company_name", "companyName", FieldType.STRING, "the candidate's current company"),
    _x("country_id", "address.countryID", FieldType.ID, "Bullhorn's own country id (1 = United States)"),
    _x("date_available", "dateAvailable", FieldType.EPOCH_MS_DATE, "when the candidate can start"),
    _x("employee_type", "employeeType", FieldType.ENUM, "W2, 1099, Corp to Corp, ..."),
    _x("preferred_contact", "preferredContact", FieldType.ENUM, "Email, Phone, Mobile, ..."),
    _x("desired_hourly_rate", "hourlyRate", FieldType.MONEY, "the candidate's desired hourly rate"),
    _x("owner_first_name", "owner.firstName", FieldType.STRING, "the owning recruiter's first name"),
    _x("owner_last_name", "owner.lastName", FieldType.STRING, "the owning recruiter's last name"),
)

_JOB_ORDER = (
    _m("title", "title", FieldType.STRING),
    _m("status", "status", FieldType.ENUM, "the tenant's job status list (Accepting Candidates, Filled, ...)"),
    _m("is_active", "isOpen", FieldType.BOOLEAN, "Bullhorn's Open/Closed flag"),
    _m("company_id", "clientCorporation.id", FieldType.ID),
    _m("company_name", "clientCorporation.name", FieldType.STRING),
    _m("job_type", "employmentType", FieldType.ENUM, "Contract, Contract To Hire, Direct Hire, ..."),
    _m("city", "address.city", FieldType.STRING),
    _m("region", "address.state", FieldType.STRING),
    _m("postal_code", "address.zip", FieldType.STRING),
    _m("positions_required", "numOpenings", FieldType.INTEGER),
    _m("pay_rate", "payRate", FieldType.MONEY),
    _m("bill_rate", "clientBillRate", FieldType.MONEY),
    _m("start_date", "startDate", FieldType.EPOCH_MS_DATE, "a day, read in the tenant zone"),
    _m("hiring_manager_id", "clientContact.id", FieldType.ID, "the client contact of the job"),
    _m("created_at", "dateAdded", FieldType.EPOCH_MS),
)
_JOB_ORDER_EXTENSIONS = (
    _x("on_site", "onSite", FieldType.ENUM, "On-Site, Remote, Hybrid"),
    _x("is_public", "isPublic", FieldType.BOOLEAN, "published to job boards"),
    _x("owner_id", "owner.id", FieldType.ID, "the recruiter (CorporateUser) who owns the job"),
    _x("hiring_manager_last_name", "clientContact.lastName", FieldType.STRING, "the client contact's last name"),
)
_JOB_ORDER_DETAIL = (
    *_JOB_ORDER,
    _m("description_html", "description", FieldType.HTML, "the internal description, HTML as sent"),
)
_JOB_ORDER_DETAIL_EXTENSIONS = (
    *_JOB_ORDER_EXTENSIONS,
    _x("public_description_html", "publicDescription", FieldType.HTML, "the published description, HTML as sent"),
    _x("closed_at", "dateClosed", FieldType.EPOCH_MS, "when the job was closed"),
)

_SUBMISSION = (
    _m("candidate_id", "candidate.id", FieldType.ID),
    _m("job_id", "jobOrder.id", FieldType.ID),
    _m("status", "status", FieldType.ENUM, "the tenant's JobSubmission status (jobResponseStatusList)"),
    _m("stage", "status", FieldType.ENUM, "Bullhorn's pipeline is the status list: the stage is the status"),
    _m("candidate_first_name", "candidate.firstName", FieldType.STRING),
    _m("candidate_last_name", "candidate.lastName", FieldType.STRING),
    _m("job_title", "jobOrder.title", FieldType.STRING),
    _m("pay_rate", "payRate", FieldType.MONEY),
    _m("bill_rate", "billRate", FieldType.MONEY),
    _m("source", "source", FieldType.STRING),
    _m("created_at", "dateAdded", FieldType.EPOCH_MS),
)
_SUBMISSION_EXTENSIONS = (
    _x("sending_user_id", "sendingUser.id", FieldType.ID, "the CorporateUser credited with the submission"),
    _x("web_response_at", "dateWebResponse", FieldType.EPOCH_MS, "when a web response (New Lead) came in"),
    _x("is_hidden", "isHidden", FieldType.BOOLEAN, "hidden web responses"),
)

_STREAMS = ("stream_candidates", "fetch_candidates_page")

BULLHORN_FIELD_MAPPINGS: tuple[MappingTable, ...] = (
    MappingTable(
        name="candidate",
        entity=Entity.CANDIDATE,
        source="GET search/Candidate rows and GET entity/Candidate/{id}, fields= from this table",
        id_field="id",
        updated_at_field=MODIFIED,
        updated_at_type=FieldType.EPOCH_MS,
        read_by=(*_STREAMS, "get_candidate_by_id", "find_candidates_by_details"),
        fields=_CANDIDATE,
        extensions=_CANDIDATE_EXTENSIONS,
    ),
    MappingTable(
        name="job_order",
        entity=Entity.JOB,
        source="GET query/JobOrder rows, fields= from this table",
        id_field="id",
        updated_at_field=MODIFIED,
        updated_at_type=FieldType.EPOCH_MS,
        read_by=("stream_jobs", "fetch_jobs_page"),
        fields=_JOB_ORDER,
        extensions=_JOB_ORDER_EXTENSIONS,
    ),
    MappingTable(
        name="job_order_detail",
        entity=Entity.JOB,
        source="GET entity/JobOrder/{id}, with the HTML descriptions",
        id_field="id",
        updated_at_field=MODIFIED,
        updated_at_type=FieldType.EPOCH_MS,
        read_by=("get_job_by_job_id", "get_enhanced_job", "fetch_enhanced_jobs_page"),
        fields=_JOB_ORDER_DETAIL,
        extensions=_JOB_ORDER_DETAIL_EXTENSIONS,
    ),
    MappingTable(
        name="job_submission",
        entity=Entity.APPLICATION,
        source="GET query/JobSubmission rows and GET entity/JobSubmission/{id}",
        id_field="id",
        updated_at_field=MODIFIED,
        updated_at_type=FieldType.EPOCH_MS,
        read_by=("stream_applications", "fetch_applications_page", "get_application_by_application_id"),
        fields=_SUBMISSION,
        extensions=_SUBMISSION_EXTENSIONS,
    ),
)
