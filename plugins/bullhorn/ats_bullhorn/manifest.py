"""The Bullhorn provider's declaration: configuration, and a status with a reason for every operation."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ats_bullhorn.field_mappings import BULLHORN_FIELD_MAPPINGS
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

__all__ = ["CUSTOM_FIELD_TYPES", "LIST_PAGE", "LOOKBACK_SECONDS", "MANIFEST"]

DOCUMENTED_LIMIT = RateLimit(
    requests=1500,
    per_seconds=60,
    raise_reason=None,
)
"""Bullhorn's knowledge base: 1,500 calls a minute (no rate-limit headers are documented; a 429 asks 1 s)."""
LOOKBACK_SECONDS = 60.0
"""Incremental reads start this long before updated_after: dateLastModified is set when a write commits."""
LIST_PAGE = PageSize(default=200, maximum=500)
"""Records per query or search: Bullhorn's clients use 500 at most (no documented maximum)."""


def _version() -> str:
    try:
        return version("ats-bullhorn")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


_KEYSET = (
    "by id, each page after the last id of the page before (keyset paging): a record changed mid-read keeps "
    "its place, so none is passed over; one changed behind the read gets a dateLastModified after the read "
    "started, so the next incremental read gets it"
)
_SOFT_DELETED = "soft-deleted records (isDeleted) are left out, so a full pass lets a sync mark them deleted"
_STAGES = (
    "the tenant's JobSubmission status list (settings/jobResponseStatusList): Bullhorn's pipeline is the status; "
    "a stage's id and name are the status text"
)
_REASONS = (
    "Bullhorn has no rejection-reason list: a rejection is a JobSubmission status. The reasons are the statuses in "
    "the rejection_statuses setting, else the tenant's statuses naming a rejection, decline, withdrawal or 'not "
    "interested' (ids and names are the status text)"
)
_NO_SUBMISSION_FILES = (
    "Bullhorn's file API keeps files on candidates, contacts, companies, jobs, opportunities and placements, not "
    "on job submissions; attach the file to the candidate (add_attachment_to_candidate)"
)

_CANDIDATES_BY_SEARCH = (
    "read through the Lucene search index (Bullhorn refuses query on Candidate); a write reaches the index after a "
    f"delay Bullhorn does not document, which the {LOOKBACK_SECONDS:.0f} s lookback re-reads"
)

OPERATIONS = {
    "stream_jobs": supported(),
    "stream_applications": supported(),
    "stream_candidates": basic(_CANDIDATES_BY_SEARCH),
    "fetch_jobs_page": supported(),
    "fetch_applications_page": supported(),
    "fetch_candidates_page": basic(_CANDIDATES_BY_SEARCH),
    "move_application_to_stage": basic(
        _STAGES + "; POST entity/JobSubmission/{id} with the status (Bullhorn runs no workflow checks over the API)"
    ),
    "get_disposition_reasons": basic(_REASONS),
    "reject_application": basic(
        "sets the JobSubmission status to the reason's status; a submission reads as rejected while its status is a "
        "rejection status (rejection_reason: the status; rejected_at: its dateLastModified, as Bullhorn keeps "
        "transition times in JobSubmissionHistory); " + _REASONS
    ),
    "bulk_reject_applications": basic(
        "one status update per id (each id's outcome reported; massUpdate would hide which ids failed); " + _REASONS
    ),
    "create_application_for_candidate": basic(
        "PUT entity/JobSubmission with the tenant's first status and dateWebResponse now; an existing live "
        "submission of the candidate to the job is returned instead (Bullhorn does not prevent duplicates)"
    ),
    "get_all_application_stages": basic(_STAGES),
    "get_application_by_application_id": supported(),
    "get_job_by_job_id": supported(),
    "get_enhanced_job": basic(
        "the job with its HTML descriptions, custom field values and its address as the worksite; the company is "
        "its id and name (the ClientCorporation record is not read)"
    ),
    "fetch_enhanced_jobs_page": basic(
        "a page of jobs, then each job read by id with its custom field values (two requests per job)"
    ),
    "get_candidate_by_id": supported(),
    "find_candidates_by_details": basic(
        "Lucene search: email in email/email2/email3, phone in phone/phone2/mobile (trailing digits), first and last "
        "name exactly; criteria combined with AND, soft-deleted candidates left out, at most 500 matches"
    ),
    "get_resume_for_candidate_id": basic(
        "the newest file attachment of type 'Resume' (GET file/Candidate/{id}/{fileId}/raw); None when there is "
        "none (the parsed resume text in Candidate.description is not a file)"
    ),
    "add_note_to_application": basic(
        "a Note about the submission's candidate naming its job (Bullhorn's submission note), linked to the "
        "submission by a NoteEntity (targetEntityName 'JobSubmission'); note_action_type is one of the tenant's "
        "commentActionList"
    ),
    "add_note_to_candidate": basic(
        "a Note about the candidate (Bullhorn links it through NoteEntity itself); note_action_type is one of the "
        "tenant's commentActionList (default: the default_note_action setting, else the list's first)"
    ),
    "list_candidate_notes": basic("GET entity/Candidate/{id}/notes, soft-deleted notes left out, oldest first"),
    "list_application_notes": basic(
        "the candidate's notes naming the submission's job, and notes linked to the submission by a NoteEntity"
    ),
    "list_candidate_attachments": basic("GET entity/Candidate/{id}/fileAttachments, soft-deleted files left out"),
    "list_application_attachments": unsupported(_NO_SUBMISSION_FILES),
    "add_attachment_to_application": unsupported(_NO_SUBMISSION_FILES),
    "add_attachment_to_candidate": basic(
        "PUT file/Candidate/{id} (base64, fileType SAMPLE, type 'Other'); PDFs only, up to max_attachment_bytes"
    ),
    "get_application_custom_fields": basic(
        "the JobSubmission custom slots the tenant labelled in /meta (unused slots keep their own name as label)"
    ),
    "update_application_custom_fields": supported(),
    "get_candidate_custom_fields": basic(
        "the Candidate custom slots the tenant labelled in /meta (unused slots keep their own name as label)"
    ),
    "update_candidate_custom_fields": supported(),
    "get_job_custom_fields": basic(
        "the JobOrder custom slots the tenant labelled in /meta (unused slots keep their own name as label)"
    ),
    "get_job_custom_field_values": supported(),
    "get_candidate_custom_field_values": supported(),
    "get_application_custom_field_values": supported(),
    "update_job_custom_fields": supported(),
    **{
        name: not_implemented(
            "Bullhorn's change feed is a pull feed, not webhooks: event subscriptions (PUT event/subscription/{id} to "
            "subscribe, GET event/subscription/{id}?maxEvents=N to read a batch, requestId to replay a lost one) are "
            "to be served through read_change_events; not built yet"
        )
        for name in ("subscribe_changes", "list_change_subscriptions", "unsubscribe_changes", "read_change_events")
    },
    "parse_change_event": unsupported(
        "Bullhorn delivers no webhooks: its events are read from an event subscription (read_change_events)"
    ),
    "passthrough": supported(),
}

CUSTOM_FIELD_TYPES = {
    "String": FieldType.STRING,
    "String.HTML": FieldType.HTML,
    "Integer": FieldType.INTEGER,
    "Integer.INTEGER": FieldType.INTEGER,
    "Double": FieldType.DECIMAL,
    "Double.FLOAT": FieldType.DECIMAL,
    "BigDecimal": FieldType.DECIMAL,
    "BigDecimal.MONEY": FieldType.MONEY,
    "Boolean": FieldType.BOOLEAN,
    "Timestamp": FieldType.EPOCH_MS,
    "Timestamp.DATETIME": FieldType.EPOCH_MS,
    "Timestamp.DATE": FieldType.EPOCH_MS_DATE,
}
"""/meta `dataType`, with `.dataSpecialization` where it changes the value's meaning, and its field type."""

MANIFEST = ProviderManifest(
    name="bullhorn",
    display_name="Bullhorn",
    version=_version(),
    implementation_type=ImplementationType.DIRECT,
    note_format=models.NoteFormat.HTML,
    base_url="Per data centre: loginInfo (https://rest.bullhornstaffing.com/rest-services/loginInfo) names the OAuth "
    "host; the REST login answers the tenant's restUrl (https://rest{N}.bullhornstaffing.com/rest-services/{corp}/)",
    auth_methods=(
        "OAuth 2 refresh token (client_id, client_secret, refresh_token or refresh_token_file; rotated on every use)",
        "OAuth 2 authorization code, headless (client_id, client_secret, username, password)",
        "REST login: BhRestToken session on the tenant's restUrl, renewed when it expires",
    ),
    rate_limit=DOCUMENTED_LIMIT,
    operations=OPERATIONS,
    custom_field_types=CUSTOM_FIELD_TYPES,
    streams=(
        StreamDeclaration(
            entity=Entity.CANDIDATE,
            incremental=True,
            sort=f"search/Candidate (Candidate refuses query) {_KEYSET}; {_SOFT_DELETED}",
            lookback_seconds=LOOKBACK_SECONDS,
            page_size=LIST_PAGE,
        ),
        StreamDeclaration(
            entity=Entity.JOB,
            incremental=True,
            sort=f"query/JobOrder {_KEYSET}; {_SOFT_DELETED}",
            lookback_seconds=LOOKBACK_SECONDS,
            page_size=LIST_PAGE,
            filters={"statuses": FilterDeclaration(applied="server", field="status")},
        ),
        StreamDeclaration(
            entity=Entity.APPLICATION,
            incremental=True,
            sort=f"query/JobSubmission {_KEYSET}; {_SOFT_DELETED}",
            lookback_seconds=LOOKBACK_SECONDS,
            page_size=LIST_PAGE,
            filters={"for_job_ids": FilterDeclaration(applied="server", field="job_id")},
        ),
    ),
    field_mappings=BULLHORN_FIELD_MAPPINGS,
    notes=(
        "Candidates are Candidate records, jobs JobOrders, applications JobSubmissions.",
        "Every timestamp is epoch milliseconds (UTC instants); DATE-specialised fields are read as days in the "
        "time_zone setting (default America/New_York: Bullhorn is Eastern-centric).",
        "updated_after filters on dateLastModified on the server: JPQL `dateLastModified >= ms` for JobOrder and "
        "JobSubmission, Lucene `dateLastModified:[ms TO *]` for Candidate (Bullhorn does not document the Lucene date "
        "format: search_date_format=digits writes yyyyMMddHHmmss instead); statuses and for_job_ids are applied "
        "by Bullhorn too (`status IN (...)`, `jobOrder.id IN (...)`).",
        "Refresh tokens are single-use: each grant returns a new one, written to refresh_token_file (0600, "
        "atomically) before it is used. Two processes must not share one refresh_token_file.",
        "A REST session that expires mid-stream (401) is renewed once and the request replayed.",
        "Creates (PUT entity, PUT file, POST oauth/token) are never re-sent when their answer is lost "
        "(WriteOutcomeUnknown); updates are.",
        "Change feed: Bullhorn's event subscriptions (PUT/GET event/subscription/{id}) are not served yet; see the "
        "plugin's README (what the core would need).",
    ),
)
