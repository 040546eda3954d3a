"""The TempWorks provider's declaration: configuration, and a status with a reason for every operation."""

from __future__ import annotations

from datetime import date
from importlib.metadata import PackageNotFoundError, version

from ats_core.sdk import (
    Entity,
    FieldType,
    FilterDeclaration,
    ImplementationType,
    PageSize,
    ProviderManifest,
    RateLimit,
    StreamDeclaration,
    basic,
    models,
    not_implemented,
    supported,
    unsupported,
)
from ats_tempworks.field_mappings import TEMPWORKS_FIELD_MAPPINGS

__all__ = ["MANIFEST"]

INFERRED = "endpoint shape inferred"
DOCUMENTED_LIMIT = RateLimit(
    requests=25,
    per_seconds=5,
    remaining_header="x-rate-limit-remaining",
    reset_header="x-rate-limit-reset",
    count_header="x-rate-limit-count",
    raise_reason="TempWorks documents 25 per 5 s for Personal Access Tokens and sets OAuth clients' limits per client",
)
"""TempWorks' documented limit; a connection may set the limit TempWorks granted its OAuth client."""
LOOKBACK_SECONDS = 300.0
"""Incremental reads start this long before updated_after: TempWorks writes local, second-precision times."""
LIST_PAGE = PageSize(default=500)
"""Records per list request; TempWorks documents no maximum take (a 400 halves it, down to 25)."""


def _version() -> str:
    try:
        return version("ats-tempworks")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


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

OPERATIONS = {
    "stream_jobs": basic(_JOBS_LIMIT),
    "stream_applications": basic(_APPLICATIONS_LIMIT),
    "stream_candidates": supported(),
    "fetch_jobs_page": basic(_JOBS_LIMIT),
    "fetch_applications_page": basic(_APPLICATIONS_LIMIT),
    "fetch_candidates_page": supported(),
    "move_application_to_stage": unsupported(
        _NO_PIPELINE + "; there are no stages to move to, and no public endpoint changes an assignment's status"
    ),
    "get_disposition_reasons": unsupported(
        "TempWorks has no rejection (disposition) reasons for assignments; its nearest lists are message actions "
        "(use them as note_action_type) and employee deactivation codes, which apply to employees, not applications"
    ),
    "reject_application": not_implemented(
        "TempWorks has no rejection of an application; the nearest act, ending or cancelling an assignment "
        "(assignment-write scope), has no public documentation of its endpoint or body"
    ),
    "bulk_reject_applications": not_implemented(
        "no single rejection exists to repeat: ending or cancelling an assignment (assignment-write scope) has no "
        "public documentation of its endpoint or body"
    ),
    "create_application_for_candidate": not_implemented(
        "TempWorks has order candidates (scope ordercandidate-write, whitepaper 'Creating a Web Candidate Order "
        "Candidate Record') and assignments (assignment-write), but no public documentation shows either create "
        "endpoint's path or body"
    ),
    "get_all_application_stages": unsupported(_NO_PIPELINE + "; there is no list of stages"),
    "get_application_by_application_id": basic(
        f"reads GET /Assignments/{{id}} ({INFERRED}: public clients read assignments only through search lists)"
    ),
    "get_job_by_job_id": supported(),
    "get_enhanced_job": supported(),
    "fetch_enhanced_jobs_page": supported(),
    "get_candidate_by_id": supported(),
    "find_candidates_by_details": basic(
        "email and phone use universal search; names alone use advanced search with the equals operator (7) on "
        "the first/last name columns found at run time (operator semantics from public clients); criteria are "
        "combined with AND and employees de-duplicated"
    ),
    "get_resume_for_candidate_id": basic(
        f"downloads resumeDocumentId through GET /Employees/{{id}}/Documents/{{documentId}} ({INFERRED})"
    ),
    "add_note_to_application": basic(
        "a PLAIN message on the assignment's employee, linked to the assignment (originTypeId 14, linking inferred "
        "from the documented origin types; when TempWorks refuses the link the note is returned with "
        "application_id None); a bare application id is resolved to its employee through GET /Assignments/{id} "
        f"({INFERRED})"
    ),
    "add_note_to_candidate": supported(),
    "list_candidate_notes": basic(
        f"GET /Employees/{{id}}/messages ({INFERRED}: the list and its item fields are not publicly documented)"
    ),
    "list_application_notes": basic(
        f"the messages linked to the assignment, GET /Assignments/{{id}}/messages ({INFERRED})"
    ),
    "list_candidate_attachments": basic(
        f"the employee's documents, GET /Employees/{{id}}/Documents ({INFERRED}); content is not downloaded"
    ),
    "list_application_attachments": basic(
        "TempWorks keeps documents on employees: the assignment's attachments are the employee's documents its "
        f"messages link to ({INFERRED})"
    ),
    "add_attachment_to_application": basic(
        f"TempWorks shows no assignment documents: the PDF is uploaded to the assignment's employee ({INFERRED}: "
        "POST /Employees/{id}/Documents, multipart) and linked to the assignment by a message with linkedDocumentIds "
        "(when TempWorks refuses the assignment link the attachment is returned with application_id None)"
    ),
    "add_attachment_to_candidate": basic(
        f"uploads through POST /Employees/{{id}}/Documents, multipart, with a documentTypeId looked up by name in "
        f"GET /DataLists/documentTypes ({INFERRED}) unless attachment_document_type_id is set"
    ),
    "get_application_custom_fields": basic(_DEFINITIONS.format(kind="assignment")),
    "update_application_custom_fields": not_implemented(_NO_CUSTOM_WRITE.format(resource="Assignments")),
    "get_candidate_custom_fields": basic(_DEFINITIONS.format(kind="employee")),
    "update_candidate_custom_fields": not_implemented(_NO_CUSTOM_WRITE.format(resource="Employees")),
    "get_job_custom_fields": basic(_DEFINITIONS.format(kind="job order")),
    "get_job_custom_field_values": supported(),
    "get_candidate_custom_field_values": supported(),
    "get_application_custom_field_values": supported(),
    "update_job_custom_fields": not_implemented(_NO_CUSTOM_WRITE.format(resource="JobOrders")),
    "subscribe_changes": basic(
        "one subscription per topic (POST /api/Subscriptions on the webhooks host, webhooks_url), with a shared "
        "header of the subscriber's choosing; topics already subscribed to the callback URL are skipped"
    ),
    "list_change_subscriptions": basic("GET /api/Subscriptions on the webhooks host (404 when there are none)"),
    "unsubscribe_changes": basic(f"DELETE /api/Subscriptions/{{id}} on the webhooks host ({INFERRED})"),
    "parse_change_event": basic(
        "TempWorks does not sign events: the only check is the static header value (webhook_header_value), "
        "compared in constant time; payloads are partial (the record id), so receivers read the record by id"
    ),
    "read_change_events": unsupported("TempWorks pushes events to webhooks; it has no event queue to read from"),
    "passthrough": supported(),
}

CUSTOM_FIELD_TYPES = {
    "string": FieldType.STRING,
    "decimal": FieldType.DECIMAL,
    "integer": FieldType.INTEGER,
    "money": FieldType.MONEY,
    "boolean": FieldType.BOOLEAN,
    "date": FieldType.DATE,
    "datetime": FieldType.DATETIME,
    "time": FieldType.TIME,
    "guid": FieldType.ID,
}
"""CustomData `propertyType` names (as recorded live responses show them) and the type each converts by."""

MANIFEST = ProviderManifest(
    name="tempworks",
    display_name="TempWorks",
    version=_version(),
    implementation_type=ImplementationType.DIRECT,
    note_format=models.NoteFormat.PLAIN,
    base_url="Customer-specific: https://api.ontempworks.com/ for TempWorks-hosted tenants, other hosting differs",
    auth_methods=(
        "OAuth2 app-only grant tw_vendor_service_credentials (client_id, client_secret, tenant, pid)",
        "x-tw-token header (access_token)",
        "Personal Access Token as HTTP Basic (account_sid, auth_token)",
    ),
    rate_limit=DOCUMENTED_LIMIT,
    operations=OPERATIONS,
    custom_field_types=CUSTOM_FIELD_TYPES,
    streams=(
        StreamDeclaration(
            entity=Entity.CANDIDATE,
            incremental=True,
            sort=(
                "full reads: the list's own order, by offset (an employee deleted mid-read shifts later ones back "
                "a place, so a full read can pass one over; the next full pass reads it); incremental reads: by "
                "'Employee Id', so a record changed mid-read keeps its place and none is passed over"
            ),
            lookback_seconds=LOOKBACK_SECONDS,
            page_size=LIST_PAGE,
        ),
        StreamDeclaration(
            entity=Entity.JOB,
            incremental=False,
            sort="the list's own order (job orders have no modified date to read from)",
            page_size=LIST_PAGE,
            filters={"statuses": FilterDeclaration(applied="client", field="status", match="casefold")},
        ),
        StreamDeclaration(
            entity=Entity.APPLICATION,
            incremental=True,
            sort="full reads: the list's own order; incremental reads: by 'Assignment Id'",
            lookback_seconds=LOOKBACK_SECONDS,
            page_size=LIST_PAGE,
            filters={"for_job_ids": FilterDeclaration(applied="client", field="job_id")},
        ),
    ),
    field_mappings=TEMPWORKS_FIELD_MAPPINGS,
    null_dates=(date(1, 1, 1),),
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
