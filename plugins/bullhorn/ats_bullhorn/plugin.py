"""The Bullhorn provider: hookimpls for every operation Bullhorn's REST API can serve, and the manifest.

Candidates are Candidate records, jobs JobOrders, applications JobSubmissions. Statuses, reasons and
field mappings live in `manifest.py`; the login chain in `session.py`; the REST calls in `library.py`;
the streams in `streams.py`. Nothing logs in until the first call that needs the API: input is checked
first, so refused input sends nothing. The HTTP stack is imported when a provider is built, not with
this module: discovery (`ats providers`) reads the manifest and the hookimpls only.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ats_bullhorn.library import MAX_COUNT, fields_of, numeric_id
from ats_bullhorn.manifest import MANIFEST
from ats_bullhorn.settings import BullhornSettings
from ats_bullhorn.streams import CandidateStream, JobOrderStream, JobSubmissionStream, epoch_ms
from ats_core.sdk import (
    Entity,
    Provider,
    ProviderContext,
    decoded_pdf,
    errors,
    hookimpl,
    models,
    parallel_map,
    safe_pdf_name,
    typed_custom_value,
)

if TYPE_CHECKING:
    import httpx

    from ats_bullhorn.library import BullhornClient
    from ats_bullhorn.session import LoginChain
    from ats_core.sdk import http

__all__ = ["BullhornProvider"]

PDF = "application/pdf"
NOTE_FIELDS = "id,action,comments,dateAdded,dateLastModified,isDeleted,personReference,jobOrder"
ATTACHMENT_FIELDS = "id,name,type,contentType,contentSubType,fileSize,dateAdded,isDeleted"
CUSTOM_PREFIXES = ("customText", "customTextBlock", "customDate", "customInt", "customFloat")
REJECTION_WORDS = ("reject", "declin", "not interested", "withdr", "disqualif")
MAX_LISTED = 40
_ENTITY_OF = {
    models.CustomFieldEntity.CANDIDATE: "Candidate",
    models.CustomFieldEntity.JOB: "JobOrder",
    models.CustomFieldEntity.APPLICATION: "JobSubmission",
}


def _api_client(provider: BullhornProvider, base_url: str, auth: httpx.Auth, *, limited: bool) -> http.ApiClient:
    """An ApiClient with the connection's retries and timeouts (and, for REST calls, its rate limit)."""
    from ats_core.sdk import http

    settings = provider.config
    limit = provider.rate_limit()
    assert limit is not None  # the manifest declares Bullhorn's documented limit
    return http.ApiClient(
        base_url,
        auth=auth,
        rate_limit=http.RateLimiter(limit.requests, limit.per_seconds, clock=provider.clock) if limited else None,
        retry=http.RetryPolicy(
            max_attempts=settings.retry_attempts,
            max_elapsed_seconds=settings.retry_max_seconds,
            base_delay=settings.retry_base_delay_seconds,
            max_delay=settings.retry_max_delay_seconds,
        ),
        timeouts=http.Timeouts(default=settings.timeout_seconds, connect=settings.connect_timeout_seconds),
        transport=provider.transport,
        clock=provider.clock,
    )


class BullhornProvider(Provider):
    """Bullhorn through its REST API: OAuth 2 code flow and refresh tokens, BhRestToken sessions."""

    manifest = MANIFEST
    settings_model = BullhornSettings
    streams = (CandidateStream, JobOrderStream, JobSubmissionStream)

    def __init__(
        self,
        settings: BaseModel,
        context: ProviderContext,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: http.Clock | None = None,
    ) -> None:
        super().__init__(settings, context)
        if not isinstance(settings, BullhornSettings):
            raise errors.ConfigurationError("settings", "must be BullhornSettings")
        from ats_bullhorn.session import ChainSecrets, LoginChain
        from ats_core.sdk import http

        self.config = settings
        self.transport = transport
        self.clock: http.Clock = clock or http.SystemClock()
        secrets = ChainSecrets()
        login_api = _api_client(self, settings.login_info_url, secrets, limited=False)
        self.chain: LoginChain = LoginChain(settings, login_api, self.clock)
        secrets.chain = self.chain
        self._lock = threading.Lock()
        self._library: BullhornClient | None = None

    @property
    def library(self) -> BullhornClient:
        """The REST client on the session's restUrl; the first use logs in."""
        with self._lock:
            if self._library is None:
                from ats_bullhorn.library import BullhornClient
                from ats_bullhorn.session import RestTokenAuth

                session = self.chain.current()
                api = _api_client(self, session.rest_url, RestTokenAuth(self.chain), limited=True)
                self._library = BullhornClient(api)
            return self._library

    def close(self) -> None:
        """Close the HTTP connection pools."""
        self.chain.api.close()
        if self._library is not None:
            self._library.close()

    def http_stats(self) -> Mapping[str, int]:
        """This connection's request, retry and rate-limit counters (REST and login calls together)."""
        counts = dict(self.chain.api.stats.counts())
        if self._library is not None:
            for key, value in self._library.api.stats.counts().items():
                counts[key] = counts.get(key, 0) + value
        return counts

    # --- records by id -----------------------------------------------------------------------------

    def _read(self, table: str, entity: str, record_id: int, model: type[models.Record] | None = None) -> Any:
        declared = self.manifest.mapping(table)
        return self.mapper(table, model).map_one(self.library.entity(entity, record_id, fields_of(declared)))

    @hookimpl
    def get_candidate_by_id(self, candidate_id: str) -> models.Candidate:
        """`GET entity/Candidate/{id}` mapped like the stream's rows."""
        candidate: models.Candidate = self._read("candidate", "Candidate", numeric_id("candidate_id", candidate_id))
        return candidate

    @hookimpl
    def get_job_by_job_id(self, job_id: str) -> models.Job:
        """`GET entity/JobOrder/{id}` with its descriptions."""
        job: models.Job = self._read("job_order_detail", "JobOrder", numeric_id("job_id", job_id))
        return job

    @hookimpl
    def get_application_by_application_id(self, application_id: str) -> models.Application:
        """`GET entity/JobSubmission/{id}`, with the rejection read from its status."""
        submission_id = numeric_id("application_id", application_id)
        application: models.Application = self._read("job_submission", "JobSubmission", submission_id)
        return self.with_rejection([application])[0]

    def with_rejection(self, applications: list[models.Application]) -> list[models.Application]:
        """Submissions whose status is a rejection status read as rejected: the status is the reason, and the
        submission's dateLastModified the time (Bullhorn keeps transition times in JobSubmissionHistory)."""
        if not applications:
            return applications
        rejections = {status.casefold() for status in self._rejections()}
        for application in applications:
            if application.status is not None and application.status.casefold() in rejections:
                application.rejection_reason = application.status
                application.rejected_at = application.updated_at
        return applications

    def _enhanced_job(self, job_id: int) -> models.EnhancedJob:
        job: models.EnhancedJob = self._read("job_order_detail", "JobOrder", job_id, models.EnhancedJob)
        job.worksite = job.remote_data.get("address") if isinstance(job.remote_data.get("address"), dict) else None
        job.custom_field_values = self._custom_values(models.CustomFieldEntity.JOB, job_id)
        return job

    @hookimpl
    def get_enhanced_job(self, job_id: str) -> models.EnhancedJob:
        """The job with its descriptions, address (as worksite) and custom field values."""
        return self._enhanced_job(numeric_id("job_id", job_id))

    @hookimpl
    def fetch_enhanced_jobs_page(self, cursor: str | None, page_size: int | None) -> models.Page[models.EnhancedJob]:
        """A page of the job stream, each job read by id with its custom field values."""
        page = self.reader(Entity.JOB).page(None, {"statuses": None}, cursor, page_size or 50)
        ids = [int(job.remote_id) for job in page.items]
        jobs = parallel_map(self._enhanced_job, ids, self.prefetch())
        return models.Page[models.EnhancedJob](items=jobs, next_cursor=page.next_cursor, rejected=page.rejected)

    # --- candidates --------------------------------------------------------------------------------

    @hookimpl
    def find_candidates_by_details(
        self, first_name: str | None, last_name: str | None, email: str | None, phone: str | None
    ) -> list[models.Candidate]:
        """Lucene search on the email, phone and name fields, every given detail required."""
        clauses = ["isDeleted:0"]
        given = {"first_name": first_name, "last_name": last_name, "email": email, "phone": phone}
        values = {key: value.strip() for key, value in given.items() if isinstance(value, str) and value.strip()}
        if not values:
            raise errors.InvalidInput("first_name", "give at least one of first_name, last_name, email, phone")
        if "email" in values:
            quoted = _lucene_phrase(values["email"])
            clauses.append(f"(email:{quoted} OR email2:{quoted} OR email3:{quoted})")
        if "phone" in values:
            digits = "".join(ch for ch in values["phone"] if ch.isdigit())
            if len(digits) < 7:
                raise errors.InvalidInput("phone", "needs at least 7 digits")
            clauses.append(f"(phone:{digits[-10:]} OR phone2:{digits[-10:]} OR mobile:{digits[-10:]})")
        for key, field in (("first_name", "firstName"), ("last_name", "lastName")):
            if key in values:
                clauses.append(f"{field}:{_lucene_phrase(values[key])}")
        table = self.manifest.mapping("candidate")
        rows = self.library.search("Candidate", " AND ".join(clauses), fields_of(table), count=MAX_COUNT)
        return self.context.keep(self.mapper("candidate").map_page(rows))

    def _attachments(self, candidate_id: int) -> list[dict[str, Any]]:
        rows = self.library.to_many("Candidate", candidate_id, "fileAttachments", ATTACHMENT_FIELDS)
        return [row for row in rows if not row.get("isDeleted")]

    @hookimpl
    def get_resume_for_candidate_id(self, candidate_id: str) -> models.Resume | None:
        """The newest attachment of type Resume, downloaded; None when the candidate has none."""
        record_id = numeric_id("candidate_id", candidate_id)
        resumes = [row for row in self._attachments(record_id) if str(row.get("type") or "").casefold() == "resume"]
        if not resumes:
            return None
        newest = max(resumes, key=lambda row: (row.get("dateAdded") or 0, row.get("id") or 0))
        content, content_type = self.library.file_bytes("Candidate", record_id, int(newest["id"]))
        return models.Resume(
            provider=self.name,
            remote_id=str(newest["id"]),
            file_name=str(newest.get("name") or f"resume-{newest['id']}"),
            content_type=content_type,
            content=content,
            candidate_id=str(record_id),
            remote_data=newest,
        )

    # --- attachments -------------------------------------------------------------------------------

    def _attachment(self, row: dict[str, Any], candidate_id: int) -> models.Attachment:
        major, minor = row.get("contentType"), row.get("contentSubType")
        content_type = f"{major}/{minor}" if major and minor else str(major or "application/octet-stream")
        size = row.get("fileSize")
        return models.Attachment(
            provider=self.name,
            remote_id=str(row["id"]),
            file_name=str(row.get("name") or row["id"]),
            content_type=content_type,
            candidate_id=str(candidate_id),
            size_bytes=size if isinstance(size, int) and size >= 0 else None,
            remote_data=row,
        )

    @hookimpl
    def list_candidate_attachments(self, candidate_id: str) -> list[models.Attachment]:
        """The candidate's file attachments (without content)."""
        record_id = numeric_id("candidate_id", candidate_id)
        return [self._attachment(row, record_id) for row in self._attachments(record_id)]

    @hookimpl
    def add_attachment_to_candidate(self, filename: str, candidate_id: str, pdf_b64: str) -> models.Attachment:
        """`PUT file/Candidate/{id}` with the PDF, after checking it is a named, sized, real PDF."""
        name = safe_pdf_name(filename)
        content = decoded_pdf(pdf_b64, max_bytes=self.config.max_attachment_bytes)
        record_id = numeric_id("candidate_id", candidate_id)
        body = {
            "externalID": "ats-core",
            "fileContent": "".join(pdf_b64.split()),
            "fileType": "SAMPLE",
            "name": name,
            "contentType": PDF,
            "type": "Other",
            "description": name,
        }
        file_id = self.library.upload("Candidate", record_id, body)
        row = {"id": file_id, "name": name, "contentType": "application", "contentSubType": "pdf"}
        return self._attachment({**row, "fileSize": len(content)}, record_id)

    # --- notes -------------------------------------------------------------------------------------

    def _action(self, requested: str | None) -> str:
        """The tenant's note action for `requested`, the configured default, or the list's first."""
        actions = self.library.string_list_setting("commentActionList")
        names = ", ".join(actions[:MAX_LISTED]) or "(none)"
        wanted = requested.strip() if requested and requested.strip() else self.config.default_note_action
        if wanted is None:
            if not actions:
                raise errors.InvalidInput("note_action_type", "is required: the tenant lists no note actions")
            return actions[0]
        match = next((action for action in actions if action.casefold() == wanted.casefold()), None)
        if match is not None:
            return match
        if requested is None or not requested.strip():
            raise errors.ConfigurationError(
                "default_note_action", f"is no note action of this tenant; use one of: {names}"
            )
        raise errors.InvalidInput("note_action_type", f"is not a note action of this tenant; use one of: {names}")

    def _note(self, row: dict[str, Any], application_id: str | None = None) -> models.Note:
        reference = row.get("personReference")
        person: dict[str, Any] = reference if isinstance(reference, dict) else {}
        return models.Note(
            provider=self.name,
            remote_id=str(row["id"]),
            body=str(row.get("comments") or ""),
            format=self.manifest.note_format,
            candidate_id=None if person.get("id") is None else str(person["id"]),
            application_id=application_id,
            action_type=row.get("action") if isinstance(row.get("action"), str) else None,
            created_at=_instant(row.get("dateAdded")),
            updated_at=_instant(row.get("dateLastModified")),
            remote_data=row,
        )

    def _write_note(self, note: str, action: str | None, candidate_id: int, job_id: int | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "action": self._action(action),
            "comments": note,
            "personReference": {"id": candidate_id},
            "commentingPerson": {"id": self._user_id()},
        }
        if job_id is not None:
            body["jobOrder"] = {"id": job_id}
        note_id = self.library.create("Note", body)
        return self.library.entity("Note", note_id, NOTE_FIELDS)

    def _user_id(self) -> int:
        user = self.library.setting("userId")
        if isinstance(user, bool) or not isinstance(user, int):
            raise errors.InvalidResponse("settings/userId is not a number", method="GET", path="settings/userId")
        return user

    @hookimpl
    def add_note_to_candidate(
        self, candidate: models.CandidateRef, note: str, note_action_type: str | None
    ) -> models.Note:
        """A Note about the candidate, with one of the tenant's note actions."""
        text = _note_text(note)
        candidate_id = numeric_id("candidate", models.remote_id_of(candidate))
        return self._note(self._write_note(text, note_action_type, candidate_id, None))

    @hookimpl
    def add_note_to_application(
        self, application: models.ApplicationRef, note: str, note_action_type: str | None
    ) -> models.Note:
        """A submission note: about the candidate, naming the job, linked to the submission by a NoteEntity."""
        text = _note_text(note)
        submission_id = numeric_id("application", models.remote_id_of(application))
        submission = self.get_application_by_application_id(str(submission_id))
        if submission.candidate_id is None or submission.job_id is None:
            raise errors.InvalidInput("application", "the submission names no candidate or job")
        row = self._write_note(text, note_action_type, int(submission.candidate_id), int(submission.job_id))
        link = {"note": {"id": int(row["id"])}, "targetEntityID": submission_id, "targetEntityName": "JobSubmission"}
        self.library.create("NoteEntity", link)
        return self._note(row, str(submission_id))

    def _candidate_notes(self, candidate_id: int) -> list[dict[str, Any]]:
        rows = self.library.to_many("Candidate", candidate_id, "notes", NOTE_FIELDS)
        live = [row for row in rows if not row.get("isDeleted")]
        return sorted(live, key=lambda row: (row.get("dateAdded") or 0, row.get("id") or 0))

    @hookimpl
    def list_candidate_notes(self, candidate_id: str) -> list[models.Note]:
        """The candidate's notes, oldest first."""
        return [self._note(row) for row in self._candidate_notes(numeric_id("candidate_id", candidate_id))]

    @hookimpl
    def list_application_notes(self, application_id: str) -> list[models.Note]:
        """Notes linked to the submission, and the candidate's notes naming its job, oldest first."""
        submission_id = numeric_id("application_id", application_id)
        submission = self.get_application_by_application_id(str(submission_id))
        where = f"targetEntityName = 'JobSubmission' AND targetEntityID = {submission_id}"
        links = self.library.query("NoteEntity", where, "id,note", count=MAX_COUNT)
        linked = {int(link["note"]["id"]) for link in links if isinstance(link.get("note"), dict)}
        rows = self._candidate_notes(int(submission.candidate_id)) if submission.candidate_id else []
        about_job = [row for row in rows if _id_of(row.get("jobOrder")) == submission.job_id or row["id"] in linked]
        missing = sorted(linked - {int(row["id"]) for row in about_job})
        extra = [row for row in self.library.entities("Note", missing, NOTE_FIELDS) if not row.get("isDeleted")]
        ordered = sorted([*about_job, *extra], key=lambda row: (row.get("dateAdded") or 0, row.get("id") or 0))
        return [self._note(row, str(submission_id)) for row in ordered]

    # --- pipeline ----------------------------------------------------------------------------------

    def _statuses(self) -> list[str]:
        return self.library.string_list_setting("jobResponseStatusList")

    def _rejections(self) -> list[str]:
        statuses = self._statuses()
        configured = self.config.statuses_that_reject
        if configured is not None:
            unknown = [status for status in configured if status not in statuses]
            if unknown:
                raise errors.ConfigurationError(
                    "rejection_statuses", f"names statuses the tenant lacks; its statuses: {', '.join(statuses)}"
                )
            return list(configured)
        return [status for status in statuses if any(word in status.casefold() for word in REJECTION_WORDS)]

    @hookimpl
    def get_all_application_stages(self) -> list[models.Stage]:
        """The tenant's JobSubmission statuses, in the tenant's order."""
        return [
            models.Stage(provider=self.name, remote_id=s, name=s, remote_data={"status": s}) for s in self._statuses()
        ]

    @hookimpl
    def get_disposition_reasons(self) -> list[models.DispositionReason]:
        """The statuses that reject a submission."""
        return [
            models.DispositionReason(provider=self.name, remote_id=s, name=s, remote_data={"status": s})
            for s in self._rejections()
        ]

    def _set_status(self, submission_id: int, status: str) -> models.Application:
        self.library.update("JobSubmission", submission_id, {"status": status})
        return self.get_application_by_application_id(str(submission_id))

    @hookimpl
    def move_application_to_stage(
        self, application: models.ApplicationRef, stage: models.Stage | str
    ) -> models.Application:
        """Set the submission's status to the stage (one of the tenant's statuses)."""
        submission_id = numeric_id("application", models.remote_id_of(application))
        wanted = (stage.remote_id if isinstance(stage, models.Stage) else str(stage)).strip()
        if not wanted:
            raise errors.InvalidInput("stage", "is empty; use one of get_all_application_stages()")
        statuses = self._statuses()
        match = next((status for status in statuses if status.casefold() == wanted.casefold()), None)
        if match is None:
            raise errors.InvalidInput("stage", f"is not a status of this tenant; use one of: {', '.join(statuses)}")
        return self._set_status(submission_id, match)

    def _reason(self, reason_id: str) -> str:
        reasons = self._rejections()
        match = next((reason for reason in reasons if reason.casefold() == reason_id.strip().casefold()), None)
        if match is None:
            listed = ", ".join(reasons) or "(none: set rejection_statuses)"
            raise errors.InvalidInput("reason_id", f"is not a rejection status of this tenant; use one of: {listed}")
        return match

    @hookimpl
    def reject_application(self, application_id: str, reason_id: str) -> models.Application:
        """Set the submission's status to the rejection status `reason_id`."""
        submission_id = numeric_id("application_id", application_id)
        if not str(reason_id).strip():
            raise errors.InvalidInput("reason_id", "is empty; use one of get_disposition_reasons()")
        return self._set_status(submission_id, self._reason(reason_id))

    @hookimpl
    def bulk_reject_applications(self, application_ids: Sequence[str], reason_id: str) -> models.BulkRejectResult:
        """One status update per id; every id's outcome is reported (a failure names its error, not a value)."""
        if not application_ids:
            raise errors.InvalidInput("application_ids", "is empty; give at least one id")
        ids = list(dict.fromkeys(str(i) for i in application_ids))
        for given in ids:
            numeric_id("application_ids", given)
        if not str(reason_id).strip():
            raise errors.InvalidInput("reason_id", "is empty; use one of get_disposition_reasons()")
        status = self._reason(reason_id)
        results = []
        for given in ids:
            try:
                self.library.update("JobSubmission", int(given), {"status": status})
            except errors.ProviderError as error:
                results.append(models.BulkRejectItem(application_id=given, succeeded=False, error=error.describe()))
            else:
                results.append(models.BulkRejectItem(application_id=given, succeeded=True))
        return models.BulkRejectResult(results=results)

    @hookimpl
    def create_application_for_candidate(
        self, candidate: models.CandidateRef, job: models.JobRef
    ) -> models.Application:
        """A JobSubmission of the candidate to the job (the existing live one, if there is one)."""
        candidate_id = numeric_id("candidate", models.remote_id_of(candidate))
        job_id = numeric_id("job", models.remote_id_of(job))
        table = self.manifest.mapping("job_submission")
        where = f"candidate.id = {candidate_id} AND jobOrder.id = {job_id} AND isDeleted = false"
        existing = self.library.query("JobSubmission", where, fields_of(table), count=1)
        if existing:
            return self.with_rejection([self.mapper("job_submission").map_one(existing[0])])[0]
        statuses = self._statuses()
        if not statuses:
            raise errors.InvalidResponse(
                "the tenant lists no JobSubmission statuses", path="settings/jobResponseStatusList"
            )
        body = {
            "candidate": {"id": candidate_id},
            "jobOrder": {"id": job_id},
            "status": statuses[0],
            "dateWebResponse": epoch_ms(self._now()),
        }
        created = self.library.create("JobSubmission", body)
        return self.get_application_by_application_id(str(created))

    def _now(self) -> datetime:
        """Now, by the connection's clock."""
        return datetime.fromtimestamp(self.clock.time(), UTC)

    # --- custom fields -----------------------------------------------------------------------------

    def _custom_meta(self, kind: models.CustomFieldEntity) -> list[dict[str, Any]]:
        """The entity's custom slots the tenant labelled (an unused slot's label is its own name)."""
        described = self.library.meta(_ENTITY_OF[kind])
        return [
            item
            for item in described
            if str(item["name"]).startswith(CUSTOM_PREFIXES) and str(item.get("label") or item["name"]) != item["name"]
        ]

    def _definitions(self, kind: models.CustomFieldEntity) -> list[models.CustomFieldDefinition]:
        return [
            models.CustomFieldDefinition(
                provider=self.name,
                remote_id=str(item["name"]),
                name=str(item.get("label") or item["name"]),
                entity=kind,
                field_type=_type_name(item),
                required=item.get("required") is True,
                read_only=item.get("readOnly") is True,
                multiple=item.get("multiValue") is True,
                remote_data=item,
            )
            for item in self._custom_meta(kind)
        ]

    def _custom_values(self, kind: models.CustomFieldEntity, record_id: int) -> list[models.CustomFieldValue]:
        described = self._custom_meta(kind)
        if not described:
            return []
        names = ",".join(str(item["name"]) for item in described)
        record = self.library.entity(_ENTITY_OF[kind], record_id, names)
        return [
            typed_custom_value(
                definition_id=str(item["name"]),
                raw=record.get(str(item["name"])),
                type_name=_type_name(item),
                declared=self.manifest.custom_field_types,
                multiple=item.get("multiValue") is True,
                name=str(item.get("label") or item["name"]),
                entity=kind,
                entity_id=str(record_id),
                time_zone=self.config.zone,
            )
            for item in described
        ]

    def _update_custom(
        self, kind: models.CustomFieldEntity, record_id: int, updates: Mapping[str, Any]
    ) -> list[models.CustomFieldValue]:
        if not updates:
            raise errors.InvalidInput("updates", "is empty; give custom field id -> value")
        described = {str(item["name"]): item for item in self._custom_meta(kind)}
        unknown = sorted(key for key in updates if key not in described)
        if unknown:
            known = ", ".join(list(described)[:MAX_LISTED]) or "(none)"
            raise errors.InvalidInput("updates", f"names fields that are not custom fields here; use: {known}")
        body = {key: _bullhorn_value(described[key], value, key, self.config.zone) for key, value in updates.items()}
        self.library.update(_ENTITY_OF[kind], record_id, body)
        return self._custom_values(kind, record_id)

    @hookimpl
    def get_candidate_custom_fields(self) -> list[models.CustomFieldDefinition]:
        """Candidate custom slots the tenant uses."""
        return self._definitions(models.CustomFieldEntity.CANDIDATE)

    @hookimpl
    def get_job_custom_fields(self) -> list[models.CustomFieldDefinition]:
        """JobOrder custom slots the tenant uses."""
        return self._definitions(models.CustomFieldEntity.JOB)

    @hookimpl
    def get_application_custom_fields(self) -> list[models.CustomFieldDefinition]:
        """JobSubmission custom slots the tenant uses."""
        return self._definitions(models.CustomFieldEntity.APPLICATION)

    @hookimpl
    def get_candidate_custom_field_values(self, candidate_id: str) -> list[models.CustomFieldValue]:
        """The candidate's custom slot values, typed by /meta."""
        return self._custom_values(models.CustomFieldEntity.CANDIDATE, numeric_id("candidate_id", candidate_id))

    @hookimpl
    def get_job_custom_field_values(self, job_id: str) -> list[models.CustomFieldValue]:
        """The job's custom slot values, typed by /meta."""
        return self._custom_values(models.CustomFieldEntity.JOB, numeric_id("job_id", job_id))

    @hookimpl
    def get_application_custom_field_values(self, application_id: str) -> list[models.CustomFieldValue]:
        """The submission's custom slot values, typed by /meta."""
        submission_id = numeric_id("application_id", application_id)
        return self._custom_values(models.CustomFieldEntity.APPLICATION, submission_id)

    @hookimpl
    def update_candidate_custom_fields(
        self, candidate: models.CandidateRef, updates: models.Updates
    ) -> list[models.CustomFieldValue]:
        """Set custom slots on the candidate; the values now stored come back."""
        record_id = numeric_id("candidate", models.remote_id_of(candidate))
        return self._update_custom(models.CustomFieldEntity.CANDIDATE, record_id, updates)

    @hookimpl
    def update_job_custom_fields(self, job: models.JobRef, updates: models.Updates) -> list[models.CustomFieldValue]:
        """Set custom slots on the job; the values now stored come back."""
        return self._update_custom(models.CustomFieldEntity.JOB, numeric_id("job", models.remote_id_of(job)), updates)

    @hookimpl
    def update_application_custom_fields(
        self, application: models.ApplicationRef, updates: models.Updates
    ) -> list[models.CustomFieldValue]:
        """Set custom slots on the submission; the values now stored come back."""
        record_id = numeric_id("application", models.remote_id_of(application))
        return self._update_custom(models.CustomFieldEntity.APPLICATION, record_id, updates)

    # --- passthrough -------------------------------------------------------------------------------

    @hookimpl
    def passthrough(
        self, method: str, path: str, params: Mapping[str, str] | None, json: Any | None
    ) -> models.PassthroughResponse:
        """One request to the tenant's REST API (relative to its restUrl) through this connection's session."""
        from ats_core.sdk import http

        if not isinstance(method, str) or method.strip().upper() not in http.PASSTHROUGH_METHODS:
            raise errors.InvalidInput("method", f"must be one of {', '.join(sorted(http.PASSTHROUGH_METHODS))}")
        http.relative_path(path)  # both refused before the first use logs in
        return http.passthrough(self.library.api, method, path, params, json)


def _note_text(note: str) -> str:
    """The note's text, or InvalidInput before any request when it is empty."""
    if not isinstance(note, str) or not note.strip():
        raise errors.InvalidInput("note", "is empty; write the note's text")
    return note


def _lucene_phrase(value: str) -> str:
    """A quoted Lucene phrase (quotes and backslashes escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _id_of(reference: Any) -> str | None:
    """The id of a to-one reference (`{"id": n, ...}`) as text."""
    return str(reference["id"]) if isinstance(reference, dict) and reference.get("id") is not None else None


def _instant(value: Any) -> datetime | None:
    """An epoch-millisecond timestamp as an aware UTC datetime (None when absent)."""
    return datetime.fromtimestamp(value / 1000, UTC) if isinstance(value, int) and not isinstance(value, bool) else None


def _type_name(item: Mapping[str, Any]) -> str:
    """`dataType`, with `.dataSpecialization` where it changes the meaning (Timestamp.DATE, String.HTML, ...)."""
    data_type, special = str(item.get("dataType") or "String"), item.get("dataSpecialization")
    return f"{data_type}.{special}" if isinstance(special, str) and special else data_type


def _bullhorn_value(item: Mapping[str, Any], value: Any, key: str, zone: tzinfo) -> Any:
    """A value as Bullhorn takes it: Timestamps as epoch milliseconds (a date: its midnight in `zone`)."""
    if item.get("dataType") != "Timestamp" or value is None:
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise errors.InvalidInput("updates", f"'{key}' needs a timezone-aware datetime")
        return epoch_ms(value)
    if isinstance(value, date):
        return epoch_ms(datetime(value.year, value.month, value.day, tzinfo=zone))
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise errors.InvalidInput("updates", f"'{key}' is a date: give a date, an aware datetime or epoch milliseconds")
