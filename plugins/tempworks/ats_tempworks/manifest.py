"""The TempWorks provider's declaration: configuration, and a status with a reason for every operation."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ats_core.manifest import ImplementationType, OperationDeclaration, OperationStatus, ProviderManifest, RateLimit
from ats_core.models import NoteFormat
from ats_tempworks.field_mappings import TEMPWORKS_FIELD_MAPPINGS
from ats_tempworks.settings import DEFAULT_LOOKBACK_SECONDS as LOOKBACK_SECONDS
from ats_tempworks.settings import DOCUMENTED_REQUESTS_PER_WINDOW, DOCUMENTED_WINDOW_SECONDS

__all__ = ["MANIFEST"]

INFERRED = "endpoint shape inferred"


def _version() -> str:
    try:
        return version("ats-tempworks")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


def _supported() -> OperationDeclaration:
    return OperationDeclaration(status=OperationStatus.SUPPORTED)


def _basic(reason: str) -> OperationDeclaration:
    return OperationDeclaration(status=OperationStatus.BASIC, reason=reason)


def _not_implemented(reason: str) -> OperationDeclaration:
    return OperationDeclaration(status=OperationStatus.NOT_IMPLEMENTED, reason=reason)


def _unsupported(reason: str) -> OperationDeclaration:
    return OperationDeclaration(status=OperationStatus.UNSUPPORTED_BY_PROVIDER, reason=reason)


_JOBS_LIMIT = (
    "updated_after cannot be applied: TempWorks shows no modified date for job orders (no dateModified field, "
    "no query parameter, and the advanced-search origin type of job orders is not public), so every call reads "
    "all job orders (a superset; updated_at is None); statuses match the job order status name "
    "(e.g. 'Unfilled', 'Filled') case-insensitively, filtered client-side"
)
_APPLICATIONS_LIMIT = (
    "without updated_after: GET /Search/Assignments (no updated_at: the list has no modified date); with "
    "updated_after: advanced search on origin 14 by the modified-date column found at run time, then each changed "
    f"assignment is read by GET /Assignments/{{id}} ({INFERRED}), one request per changed assignment, because the "
    "search's 'Assignment Status' column holds the status id (26), not the name the list carries; for_job_ids is "
    "filtered client-side"
)
_NO_PIPELINE = (
    "TempWorks has no application pipeline: an assignment (the application) is a placement with a status "
    "(e.g. Open, Customer Cancelled), not a candidate moving through stages"
)
_DEFINITIONS = (
    "TempWorks publishes no custom-field definition list; definitions are read from the CustomData of the first "
    "{kind} (each item carries id, name, type, required, read-only, multiple), so a tenant without {kind}s reports none"
)
_NO_CUSTOM_WRITE = (
    "no public documentation shows a CustomData write endpoint (only GET /{resource}/{{id}}/CustomData and "
    "webhook custompropertyupdated events are known)"
)

OPERATIONS: dict[str, OperationDeclaration] = {
    "stream_jobs": _basic(_JOBS_LIMIT),
    "stream_applications": _basic(_APPLICATIONS_LIMIT),
    "stream_candidates": _supported(),
    "fetch_jobs_page": _basic(_JOBS_LIMIT),
    "fetch_applications_page": _basic(_APPLICATIONS_LIMIT),
    "fetch_candidates_page": _supported(),
    "move_application_to_stage": _unsupported(
        _NO_PIPELINE + "; there are no stages to move to, and no public endpoint changes an assignment's status"
    ),
    "get_disposition_reasons": _unsupported(
        "TempWorks has no rejection (disposition) reasons for assignments; its nearest lists are message actions "
        "(use them as note_action_type) and employee deactivation codes, which apply to employees, not applications"
    ),
    "reject_application": _not_implemented(
        "TempWorks has no rejection of an application; the nearest act, ending or cancelling an assignment "
        "(assignment-write scope), has no public documentation of its endpoint or body"
    ),
    "bulk_reject_applications": _not_implemented(
        "no single rejection exists to repeat: ending or cancelling an assignment (assignment-write scope) has no "
        "public documentation of its endpoint or body"
    ),
    "create_application_for_candidate": _not_implemented(
        "TempWorks has order candidates (scope ordercandidate-write, whitepaper 'Creating a Web Candidate Order "
        "Candidate Record') and assignments (assignment-write), but no public documentation shows either create "
        "endpoint's path or body"
    ),
    "get_all_application_stages": _unsupported(_NO_PIPELINE + "; there is no list of stages"),
    "get_application_by_application_id": _basic(
        f"reads GET /Assignments/{{id}} ({INFERRED}: public clients read assignments only through search lists)"
    ),
    "get_job_by_job_id": _supported(),
    "get_enhanced_job": _supported(),
    "fetch_enhanced_jobs_page": _supported(),
    "get_candidate_by_id": _supported(),
    "find_candidates_by_details": _basic(
        "email and phone use universal search; names alone use advanced search with the equals operator (7) on "
        "the first/last name columns found at run time (operator semantics from public clients); criteria are "
        "combined with AND and employees de-duplicated"
    ),
    "get_resume_for_candidate_id": _basic(
        f"downloads resumeDocumentId through GET /Employees/{{id}}/Documents/{{documentId}} ({INFERRED})"
    ),
    "add_note_to_application": _basic(
        "a PLAIN message on the assignment's employee, linked to the assignment (originTypeId 14, linking inferred "
        "from the documented origin types; when TempWorks refuses the link the note is returned with "
        "application_id None); a bare application id is resolved to its employee through GET /Assignments/{id} "
        f"({INFERRED})"
    ),
    "add_note_to_candidate": _supported(),
    "add_attachment_to_application": _basic(
        f"TempWorks shows no assignment documents: the PDF is uploaded to the assignment's employee ({INFERRED}: "
        "POST /Employees/{id}/Documents, multipart) and linked to the assignment by a message with linkedDocumentIds "
        "(when TempWorks refuses the assignment link the attachment is returned with application_id None)"
    ),
    "add_attachment_to_candidate": _basic(
        f"uploads through POST /Employees/{{id}}/Documents, multipart, with a documentTypeId looked up by name in "
        f"GET /DataLists/documentTypes ({INFERRED}) unless attachment_document_type_id is set"
    ),
    "get_application_custom_fields": _basic(_DEFINITIONS.format(kind="assignment")),
    "update_application_custom_fields": _not_implemented(_NO_CUSTOM_WRITE.format(resource="Assignments")),
    "get_candidate_custom_fields": _basic(_DEFINITIONS.format(kind="employee")),
    "update_candidate_custom_fields": _not_implemented(_NO_CUSTOM_WRITE.format(resource="Employees")),
    "get_job_custom_fields": _basic(_DEFINITIONS.format(kind="job order")),
    "get_job_custom_field_values": _supported(),
    "update_job_custom_fields": _not_implemented(_NO_CUSTOM_WRITE.format(resource="JobOrders")),
}

MANIFEST = ProviderManifest(
    name="tempworks",
    display_name="TempWorks",
    version=_version(),
    implementation_type=ImplementationType.DIRECT,
    note_format=NoteFormat.PLAIN,
    base_url="Customer-specific: https://api.ontempworks.com/ for TempWorks-hosted tenants, other hosting differs",
    auth_methods=(
        "OAuth2 app-only grant tw_vendor_service_credentials (client_id, client_secret, tenant, pid)",
        "x-tw-token header (access_token)",
        "Personal Access Token as HTTP Basic (account_sid, auth_token)",
    ),
    rate_limit=RateLimit(requests=DOCUMENTED_REQUESTS_PER_WINDOW, per_seconds=DOCUMENTED_WINDOW_SECONDS),
    incremental_lookback_seconds=LOOKBACK_SECONDS,
    operations=OPERATIONS,
    field_mappings=TEMPWORKS_FIELD_MAPPINGS,
    notes=(
        "Employees are candidates, job orders are jobs, assignments are applications.",
        "Full candidate streams read the /Search/Employees list (one request per page; no middle name, region, "
        "country, status, job title or updated_at); reads by id map the employee detail.",
        "Incremental candidate streams (updated_after) read advanced search from updated_after minus the lookback, "
        "asking for the columns TEMPWORKS_SEARCH_COLUMN_MAPPINGS declares by display name (their ids are found per "
        "tenant through GET /search/1/columns): one request per page, with updated_at from 'Last Modified', no "
        "country or has_resume. A tenant missing a declared column gets a WARNING naming it, and each changed "
        "employee is read by id instead (one request per record). Incremental reads sort by the id column "
        "('Employee Id', 'Assignment Id') so a record changed mid-read keeps its place and none is passed over.",
        "Full streams carry no updated_at on purpose: the lists are the documented and cheapest reads, while an "
        "unfiltered advanced search over a whole tenant is undocumented in cost; `ats sync` continues from each "
        "run's start time, so it does not need one.",
        "Offset-less timestamps are read in the time_zone setting (default America/Chicago).",
        "Results are scoped by the credential's branch/hierarchy permissions.",
        "Message and document POSTs are never re-sent when their outcome is unknown (WriteOutcomeUnknown).",
    ),
)
