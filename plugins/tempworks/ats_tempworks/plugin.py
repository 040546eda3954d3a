"""The TempWorks provider: hookimpls for every operation TempWorks' API can serve, and the manifest.

Employees are candidates, job orders are jobs, assignments are applications. Statuses, reasons and
field mappings live in `manifest.py`; the REST client in `library.py`; the streams in `streams.py`.
The client, the streams and the HTTP stack are imported when a provider is built, not with this module:
discovery (`ats providers`) reads the manifest and the hookimpls only.
"""

from __future__ import annotations

import contextlib
import logging
import mimetypes
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from ats_core.sdk import (
    Entity,
    Provider,
    ProviderContext,
    decoded_pdf,
    errors,
    fields,
    hookimpl,
    models,
    parallel_map,
    safe_pdf_name,
    scope_label,
    typed_custom_value,
)
from ats_tempworks.field_mappings import ASSIGNMENT_ORIGIN, EMPLOYEE_ORIGIN
from ats_tempworks.manifest import LIST_PAGE, MANIFEST
from ats_tempworks.settings import TempWorksSettings
from ats_tempworks.streams import AssignmentStream, EmployeeStream, JobOrderStream, TempWorksStream

if TYPE_CHECKING:
    import httpx

    from ats_core.sdk import http
    from ats_tempworks.models import DocumentItem, MessageAction

__all__ = ["TempWorksProvider"]

_STREAM_OF: dict[models.CustomFieldEntity, type[TempWorksStream[Any]]] = {
    models.CustomFieldEntity.CANDIDATE: EmployeeStream,
    models.CustomFieldEntity.JOB: JobOrderStream,
    models.CustomFieldEntity.APPLICATION: AssignmentStream,
}

logger = logging.getLogger("ats_tempworks")

PDF = "application/pdf"
MAX_LISTED_ACTIONS = 40
DEFAULT_ENHANCED_PAGE = 50  # each enhanced job costs three requests; pages stay short
_EPOCH = datetime(1, 1, 1, tzinfo=UTC)


def numeric_id(field: str, value: str) -> int:
    """`ats_tempworks.library.numeric_id`, imported on first use (the library module loads the HTTP stack)."""
    from ats_tempworks.library import numeric_id as parse_numeric_id

    return parse_numeric_id(field, value)


def _api_client(
    provider: TempWorksProvider, transport: httpx.BaseTransport | None, clock: http.Clock | None
) -> http.ApiClient:
    from ats_core.sdk import http

    settings = provider.config
    limit = provider.rate_limit()
    assert limit is not None  # the manifest declares TempWorks' documented limit
    auth: httpx.Auth
    method = settings.auth_method
    if method == "oauth2":
        assert settings.client_id is not None and settings.client_secret is not None
        auth = http.OAuth2ClientCredentials(
            settings.token_url,
            settings.client_id,
            settings.client_secret,
            grant_type="tw_vendor_service_credentials",
            extra_form={"acr_values": f"tenant:{settings.tenant} pid:{settings.pid}"},
            scope=settings.scope,
            clock=clock,
        )
    elif method == "header_token":
        assert settings.access_token is not None
        auth = http.HeaderToken(settings.access_token, header="x-tw-token", prefix="")
    else:
        assert settings.account_sid is not None and settings.auth_token is not None
        auth = http.BasicAuth(settings.account_sid, settings.auth_token)
    return http.ApiClient(
        settings.base_url,
        auth=auth,
        rate_limit=http.RateLimiter(
            limit.requests,
            limit.per_seconds,
            clock=clock,
            server_time_zone=settings.zone,
            remaining_header=limit.remaining_header,
            reset_header=limit.reset_header,
            count_header=limit.count_header,
        ),
        retry=http.RetryPolicy(
            max_attempts=settings.retry_attempts,
            max_elapsed_seconds=settings.retry_max_seconds,
            base_delay=settings.retry_base_delay_seconds,
            max_delay=settings.retry_max_delay_seconds,
        ),
        timeouts=http.Timeouts(
            default=settings.timeout_seconds,
            slow=settings.search_timeout_seconds,
            connect=settings.connect_timeout_seconds,
        ),
        transport=transport,
        clock=clock,
    )


class TempWorksProvider(Provider):
    """TempWorks through its REST API (OAuth2, x-tw-token or Personal Access Token)."""

    manifest = MANIFEST
    settings_model = TempWorksSettings
    streams = (EmployeeStream, JobOrderStream, AssignmentStream)

    def __init__(
        self,
        settings: BaseModel,
        context: ProviderContext,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: http.Clock | None = None,
    ) -> None:
        super().__init__(settings, context)
        if not isinstance(settings, TempWorksSettings):
            raise errors.ConfigurationError("settings", "must be TempWorksSettings")
        from ats_tempworks.library import TempWorksClient

        self.config = settings
        page_size = settings.page_size or LIST_PAGE.default
        self.library = TempWorksClient(_api_client(self, transport, clock), page_size=page_size)

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self.library.close()

    def http_stats(self) -> Mapping[str, int]:
        """This connection's request, retry and rate-limit counters."""
        return self.library.api.stats.counts()

    # --- Applications and jobs ---------------------------------------------------------------------

    @hookimpl
    def get_application_by_application_id(self, application_id: str) -> models.Application:
        """`GET /Assignments/{id}` (inferred) mapped onto Application."""
        assignment_id = numeric_id("application_id", application_id)
        raw = self.library.assignment(assignment_id)
        application: models.Application = self.mapper("assignment").map_one(raw)
        return application

    @hookimpl
    def get_job_by_job_id(self, job_id: str) -> models.Job:
        """`GET /JobOrders/{id}` mapped onto Job."""
        job: models.Job = self.mapper("job_order_detail").map_one(self.library.job_order(numeric_id("job_id", job_id)))
        return job

    def _enhanced_job(self, job_order_id: int) -> models.EnhancedJob:
        raw = self.library.job_order(job_order_id)
        job: models.EnhancedJob = self.mapper("job_order_detail", models.EnhancedJob).map_one(raw)
        try:
            worksite = self.library.job_order_worksite(job_order_id)
        except errors.NotFound:
            worksite = None
        values = self._custom_values("JobOrders", job_order_id, models.CustomFieldEntity.JOB)
        job.worksite = worksite
        job.custom_field_values = values
        return job

    @hookimpl
    def get_enhanced_job(self, job_id: str) -> models.EnhancedJob:
        """The job order with its worksite and custom data."""
        return self._enhanced_job(numeric_id("job_id", job_id))

    @hookimpl
    def fetch_enhanced_jobs_page(self, cursor: str | None, page_size: int | None) -> models.Page[models.EnhancedJob]:
        """One page of job orders, each with worksite and custom data, and the cursor of the next page."""
        page = self.reader(Entity.JOB).page(None, {"statuses": None}, cursor, page_size or DEFAULT_ENHANCED_PAGE)
        ids = [numeric_id("job_id", job.remote_id) for job in page.items]
        jobs = parallel_map(self._enhanced_job, ids, self.prefetch())
        return models.Page[models.EnhancedJob](items=jobs, next_cursor=page.next_cursor, rejected=page.rejected)

    # --- Candidates --------------------------------------------------------------------------------

    @hookimpl
    def get_candidate_by_id(self, candidate_id: str) -> models.Candidate:
        """`GET /Employees/{id}` mapped onto Candidate (detail fields: middle name, region, status...)."""
        raw = self.library.employee(numeric_id("candidate_id", candidate_id))
        candidate: models.Candidate = self.mapper("employee_detail").map_one(raw)
        return candidate

    @hookimpl
    def find_candidates_by_details(
        self, first_name: str | None, last_name: str | None, email: str | None, phone: str | None
    ) -> list[models.Candidate]:
        """Employees matching every given detail (email/phone: universal search; names: advanced search)."""
        given = {
            k: v.strip()
            for k, v in {"first_name": first_name, "last_name": last_name, "email": email, "phone": phone}.items()
            if v is not None and v.strip()
        }
        if not given:
            raise errors.InvalidInput("first_name", "give at least one of first_name, last_name, email, phone")
        from ats_tempworks.search import find_employee_ids

        ids = find_employee_ids(
            self.library,
            first_name=given.get("first_name"),
            last_name=given.get("last_name"),
            email=given.get("email"),
            phone=given.get("phone"),
        )
        raws = parallel_map(self.library.employee, ids, self.prefetch())
        return self.context.keep(self.mapper("employee_detail").map_page(raws))

    @hookimpl
    def get_resume_for_candidate_id(self, candidate_id: str) -> models.Resume | None:
        """The employee's resume document (resumeDocumentId); None only when the employee has none."""
        employee_id = numeric_id("candidate_id", candidate_id)
        detail = self.library.employee(employee_id)
        document_id = detail.get("resumeDocumentId")
        if document_id in (None, "", 0, "0"):
            return None
        document = numeric_id("resumeDocumentId", str(document_id))
        downloaded = self.library.download_document(employee_id, document)
        file_name = str(detail.get("resumeFileName") or "").strip() or downloaded.file_name or f"resume-{document}"
        return models.Resume(
            provider=self.name,
            remote_id=str(document),
            file_name=file_name,
            content_type=downloaded.content_type,
            content=downloaded.content,
            candidate_id=str(employee_id),
            remote_data={"resumeDocumentId": document_id, "resumeFileName": detail.get("resumeFileName")},
        )

    # --- Notes and attachments ---------------------------------------------------------------------

    def _action(self, requested: str | None) -> MessageAction:
        """The tenant's message action for `requested` (name or id), the configured default, or the tenant's."""
        actions = [a for a in self.library.message_actions() if a.is_active is not False]
        names = ", ".join(sorted({a.action or a.action_id for a in actions})[:MAX_LISTED_ACTIONS]) or "(none)"
        wanted = requested if requested is not None and requested.strip() else self.config.default_note_action
        if wanted is None:
            default = next((a for a in actions if a.is_default), None)
            if default is None:
                raise errors.InvalidInput(
                    "note_action_type",
                    f"is required: the tenant has no default action; use one of: {names}",
                )
            return default
        key = wanted.strip().casefold()
        for action in actions:
            if (action.action or "").casefold() == key or action.action_id == wanted.strip():
                return action
        if requested is None or not requested.strip():
            raise errors.ConfigurationError(
                "default_note_action", f"names no message action of this tenant; use one of: {names}"
            )
        raise errors.InvalidInput("note_action_type", f"is not a message action of this tenant; use one of: {names}")

    def _note(
        self,
        employee_id: int,
        note: str,
        note_action_type: str | None,
        assignment_id: int | None,
    ) -> models.Note:

        if not isinstance(note, str) or not note.strip():
            raise errors.InvalidInput("note", "is empty")
        action = self._action(note_action_type)
        linked = [(EMPLOYEE_ORIGIN, employee_id)]
        if assignment_id is not None:
            linked.append((ASSIGNMENT_ORIGIN, assignment_id))
        created, answer = self.library.post_employee_message(
            employee_id, action_id=action.action_id, message=note, linked=linked
        )
        if assignment_id is not None and _link_failed(created.failed_to_be_linked_origins, assignment_id):
            logger.warning(
                "%s: message %s was stored on employee %s but TempWorks did not link it to assignment %s",
                scope_label(),
                created.message_id,
                employee_id,
                assignment_id,
            )
            assignment_id = None
        return models.Note(
            provider=self.name,
            remote_id=created.message_id,
            body=note,
            format=models.NoteFormat.PLAIN,
            candidate_id=str(employee_id),
            application_id=None if assignment_id is None else str(assignment_id),
            action_type=action.action or action.action_id,
            remote_data=answer,
        )

    @hookimpl
    def add_note_to_candidate(
        self, candidate: models.CandidateRef, note: str, note_action_type: str | None
    ) -> models.Note:
        """A PLAIN text message on the employee."""
        employee_id = numeric_id("candidate", models.remote_id_of(candidate))
        return self._note(employee_id, note, note_action_type, None)

    def _employee_of(self, application: models.ApplicationRef) -> tuple[int, int]:
        """(employee id, assignment id) of an application; a bare id is read through GET /Assignments/{id}."""
        assignment_id = numeric_id("application", models.remote_id_of(application))
        candidate_id = application.candidate_id if isinstance(application, models.Application) else None
        if candidate_id is None:
            raw = self.library.assignment(assignment_id)
            candidate_id = self.mapper("assignment").map_one(raw).candidate_id
        if candidate_id is None:
            raise errors.InvalidInput("application", "the assignment names no employee")
        return numeric_id("application.candidate_id", candidate_id), assignment_id

    @hookimpl
    def add_note_to_application(
        self, application: models.ApplicationRef, note: str, note_action_type: str | None
    ) -> models.Note:
        """A PLAIN text message on the assignment's employee, linked to the assignment (originTypeId 14)."""
        if not isinstance(note, str) or not note.strip():
            raise errors.InvalidInput("note", "is empty")
        employee_id, assignment_id = self._employee_of(application)
        return self._note(employee_id, note, note_action_type, assignment_id)

    def _document_type_id(self) -> int | None:
        """The configured document type id, or the id of the type named by `attachment_document_type`."""
        if self.config.attachment_document_type_id is not None:
            return self.config.attachment_document_type_id
        types = self.library.document_types()
        if types is None:
            return None
        wanted = self.config.attachment_document_type.strip().casefold()
        for item in types:
            if str(item.get("documentType") or "").strip().casefold() == wanted:
                return numeric_id("documentTypeId", str(item.get("documentTypeId")))
        names = ", ".join(sorted(str(t.get("documentType") or "").strip() for t in types)) or "(none)"
        raise errors.ConfigurationError(
            "attachment_document_type", f"names no document type of this tenant; use one of: {names}"
        )

    def _upload(self, employee_id: int, name: str, content: bytes) -> dict[str, Any]:
        answer = self.library.upload_document(
            employee_id,
            file_name=name,
            content=content,
            content_type=PDF,
            description=name,
            document_type_id=self._document_type_id(),
        )
        if answer.get("documentId") in (None, ""):
            raise errors.InvalidResponse(
                "the upload answer has no documentId",
                method="POST",
                path=f"/Employees/{employee_id}/Documents",
                hint="the document may be stored; list the employee's documents before uploading it again",
            )
        return answer

    @hookimpl
    def add_attachment_to_candidate(self, filename: str, candidate_id: str, pdf_b64: str) -> models.Attachment:
        """Upload a PDF to the employee's documents, after checking it is a named, sized, real PDF."""
        name = safe_pdf_name(filename)
        content = decoded_pdf(pdf_b64, max_bytes=self.config.max_attachment_bytes)
        employee_id = numeric_id("candidate_id", candidate_id)
        answer = self._upload(employee_id, name, content)
        return models.Attachment(
            provider=self.name,
            remote_id=str(answer["documentId"]),
            file_name=name,
            content_type=PDF,
            candidate_id=str(employee_id),
            size_bytes=len(content),
            remote_data=answer,
        )

    @hookimpl
    def add_attachment_to_application(self, filename: str, application_id: str, pdf_b64: str) -> models.Attachment:
        """Upload the PDF to the assignment's employee and link it to the assignment through a message."""

        name = safe_pdf_name(filename)
        content = decoded_pdf(pdf_b64, max_bytes=self.config.max_attachment_bytes)
        employee_id, assignment_id = self._employee_of(application_id)
        action = self._action(None)
        answer = self._upload(employee_id, name, content)
        document_id = numeric_id("documentId", str(answer["documentId"]))
        message, message_answer = self.library.post_employee_message(
            employee_id,
            action_id=action.action_id,
            message=f"Attached document: {name}",
            linked=[(EMPLOYEE_ORIGIN, employee_id), (ASSIGNMENT_ORIGIN, assignment_id)],
            document_ids=[document_id],
        )
        linked = not _link_failed(message.failed_to_be_linked_origins, assignment_id)
        if not linked:
            logger.warning(
                "%s: document %s was stored on employee %s but TempWorks did not link it to assignment %s",
                scope_label(),
                document_id,
                employee_id,
                assignment_id,
            )
        return models.Attachment(
            provider=self.name,
            remote_id=str(document_id),
            file_name=name,
            content_type=PDF,
            candidate_id=str(employee_id),
            application_id=str(assignment_id) if linked else None,
            size_bytes=len(content),
            remote_data={"document": answer, "message": message_answer},
        )

    # --- Reading notes and attachments back --------------------------------------------------------

    def _notes(self, resource: str, record_id: int) -> list[models.Note]:
        zone = self.config.zone
        notes = []
        for item, raw in self.library.messages(resource, record_id):
            employees, assignments = item.linked(EMPLOYEE_ORIGIN), item.linked(ASSIGNMENT_ORIGIN)
            notes.append(
                models.Note(
                    provider=self.name,
                    remote_id=item.message_id,
                    body=item.message or "",
                    format=models.NoteFormat.PLAIN,
                    candidate_id=str(record_id) if resource == "Employees" else _only(employees),
                    application_id=str(record_id) if resource == "Assignments" else _only(assignments),
                    action_type=item.action or item.action_id,
                    created_at=_stamp(item.date_created, zone),
                    remote_data=raw,
                )
            )
        return sorted(notes, key=lambda note: (note.created_at is None, note.created_at or _EPOCH))

    @hookimpl
    def list_candidate_notes(self, candidate_id: str) -> list[models.Note]:
        """The employee's messages as PLAIN notes (`GET /Employees/{id}/messages`, inferred)."""
        return self._notes("Employees", numeric_id("candidate_id", candidate_id))

    @hookimpl
    def list_application_notes(self, application_id: str) -> list[models.Note]:
        """The messages linked to an assignment as PLAIN notes (`GET /Assignments/{id}/messages`, inferred)."""
        return self._notes("Assignments", numeric_id("application_id", application_id))

    def _attachment(
        self, item: DocumentItem, raw: dict[str, Any], employee_id: int, assignment_id: int | None
    ) -> models.Attachment:
        return models.Attachment(
            provider=self.name,
            remote_id=item.document_id,
            file_name=item.file_name or item.document_name or f"document-{item.document_id}",
            content_type=mimetypes.guess_type(item.file_name or "")[0] or "application/octet-stream",
            candidate_id=str(employee_id),
            application_id=None if assignment_id is None else str(assignment_id),
            remote_data=raw,
        )

    @hookimpl
    def list_candidate_attachments(self, candidate_id: str) -> list[models.Attachment]:
        """The employee's documents (`GET /Employees/{id}/Documents`, inferred) as attachments, without content."""
        employee_id = numeric_id("candidate_id", candidate_id)
        documents = self.library.employee_documents(employee_id)
        return [self._attachment(item, raw, employee_id, None) for item, raw in documents]

    @hookimpl
    def list_application_attachments(self, application_id: str) -> list[models.Attachment]:
        """The employee's documents linked to the assignment through its messages, as attachments."""
        employee_id, assignment_id = self._employee_of(application_id)
        messages = self.library.messages("Assignments", assignment_id)
        linked = {str(document_id) for message, _ in messages for document_id in message.linked_document_ids}
        documents = self.library.employee_documents(employee_id)
        return [
            self._attachment(item, raw, employee_id, assignment_id)
            for item, raw in documents
            if item.document_id in linked
        ]

    # --- Custom fields -----------------------------------------------------------------------------

    def _custom_values(
        self, resource: str, record_id: int, entity: models.CustomFieldEntity
    ) -> list[models.CustomFieldValue]:
        """`GET /{resource}/{id}/CustomData`, each value typed by its propertyType (the manifest's table)."""
        return [
            typed_custom_value(
                definition_id=item.property_definition_id,
                raw=item.property_value,
                type_name=item.property_type,
                declared=self.manifest.custom_field_types,
                multiple=bool(item.allow_multiple_values),
                name=item.property_name,
                entity=entity,
                entity_id=str(record_id),
                time_zone=self.config.zone,
                null_dates=self.manifest.null_dates,
            )
            for item, _ in self.library.custom_data(resource, record_id)
        ]

    def _first_record_id(self, entity: models.CustomFieldEntity) -> int | None:
        """The id of the first record of a kind, or None when there are none."""
        stream = _STREAM_OF[entity]
        id_field = self.manifest.mapping(stream.list_table).id_field
        page = self.library.list_page(stream.list_path, skip=0, take=1)
        if not page.items:
            return None
        return numeric_id(id_field, str(page.items[0].get(id_field)))

    def _definitions(self, entity: models.CustomFieldEntity) -> list[models.CustomFieldDefinition]:
        """Definitions carried by the CustomData of one record of the kind (TempWorks lists no definitions)."""
        record_id = self._first_record_id(entity)
        if record_id is None:
            return []
        resource = _STREAM_OF[entity].detail_path.strip("/")
        return [
            models.CustomFieldDefinition(
                provider=self.name,
                remote_id=item.property_definition_id,
                name=item.property_name or item.property_definition_id,
                entity=entity,
                field_type=item.property_type or "unknown",
                required=bool(item.is_required),
                read_only=bool(item.is_read_only),
                multiple=bool(item.allow_multiple_values),
                remote_data={k: v for k, v in raw.items() if k not in ("propertyValue", "propertyValueId")},
            )
            for item, raw in self.library.custom_data(resource, record_id)
        ]

    @hookimpl
    def get_candidate_custom_fields(self) -> list[models.CustomFieldDefinition]:
        """Employee custom property definitions."""
        return self._definitions(models.CustomFieldEntity.CANDIDATE)

    @hookimpl
    def get_job_custom_fields(self) -> list[models.CustomFieldDefinition]:
        """Job order custom property definitions."""
        return self._definitions(models.CustomFieldEntity.JOB)

    @hookimpl
    def get_application_custom_fields(self) -> list[models.CustomFieldDefinition]:
        """Assignment custom property definitions."""
        return self._definitions(models.CustomFieldEntity.APPLICATION)

    @hookimpl
    def get_job_custom_field_values(self, job_id: str) -> list[models.CustomFieldValue]:
        """`GET /JobOrders/{id}/CustomData` as values."""
        job_order_id = numeric_id("job_id", job_id)
        return self._custom_values("JobOrders", job_order_id, models.CustomFieldEntity.JOB)

    @hookimpl
    def get_candidate_custom_field_values(self, candidate_id: str) -> list[models.CustomFieldValue]:
        """`GET /Employees/{id}/CustomData` as values."""
        employee_id = numeric_id("candidate_id", candidate_id)
        return self._custom_values("Employees", employee_id, models.CustomFieldEntity.CANDIDATE)

    @hookimpl
    def get_application_custom_field_values(self, application_id: str) -> list[models.CustomFieldValue]:
        """`GET /Assignments/{id}/CustomData` as values."""
        assignment_id = numeric_id("application_id", application_id)
        return self._custom_values("Assignments", assignment_id, models.CustomFieldEntity.APPLICATION)

    # --- change feed -------------------------------------------------------------------------------

    def _subscriptions_url(self, *parts: str) -> str:
        return "/".join([self.config.webhooks_url.rstrip("/"), "Subscriptions", *parts])

    @hookimpl
    def list_change_subscriptions(self) -> list[models.ChangeSubscription]:
        """`GET /api/Subscriptions` on the webhooks host (TempWorks answers 404 when there are none)."""
        try:
            payload = self.library.api.get_json(self._subscriptions_url())
        except errors.NotFound:
            return []
        items = payload.get("subscriptions") if isinstance(payload, dict) else None
        if not isinstance(items, list):
            raise errors.InvalidResponse("GET Subscriptions answered without a subscriptions list")
        return [
            models.ChangeSubscription(
                subscription_id=str(item["subscriptionId"]),
                topic=str(item.get("topicName") or ""),
                callback_url=None if item.get("callbackUrl") in (None, "********") else str(item["callbackUrl"]),
                active=bool(item.get("isActive", True)),
            )
            for item in items
            if isinstance(item, dict) and item.get("subscriptionId")
        ]

    @hookimpl
    def subscribe_changes(
        self, callback_url: str, header_name: str | None, header_value: str | None, topics: Sequence[str] | None
    ) -> list[models.ChangeSubscription]:
        """One subscription per topic not yet subscribed to `callback_url`; returns every subscription."""
        from ats_tempworks import changes

        secret = self.config.webhook_header_value
        name = header_name or self.config.webhook_header_name
        value = header_value or (secret.get_secret_value() if secret is not None else None)
        if value is None:
            raise errors.ConfigurationError(
                "webhook_header_value", "is not set; TempWorks does not sign events, so a shared header is required"
            )
        existing = self.list_change_subscriptions()
        for topic in changes.topics_to_add(topics or changes.DEFAULT_TOPICS, existing, callback_url):
            body = changes.subscription_body(topic, callback_url, name, value)
            self.library.api.post_json(self._subscriptions_url(), json=body)
        return self.list_change_subscriptions()

    @hookimpl
    def unsubscribe_changes(self, callback_url: str | None) -> list[models.ChangeSubscription]:
        """`DELETE /api/Subscriptions/{id}` for each subscription to `callback_url` (every one when None)."""
        removed = [
            s
            for s in self.list_change_subscriptions()
            if callback_url is None or s.callback_url in (callback_url, None)
        ]
        for subscription in removed:
            with contextlib.suppress(errors.NotFound):  # already gone: the outcome wanted
                self.library.api.delete(self._subscriptions_url(subscription.subscription_id))
        return removed

    @hookimpl
    def parse_change_event(self, headers: Mapping[str, str], body: bytes) -> list[models.ChangeEvent]:
        """Check the shared header in constant time (TempWorks does not sign), then read the envelope."""
        from ats_tempworks import changes

        secret = self.config.webhook_header_value
        if secret is None:
            raise errors.ConfigurationError("webhook_header_value", "is not set; events cannot be verified")
        changes.verify_header(headers, self.config.webhook_header_name, secret.get_secret_value())
        return changes.parse_envelope(self.manifest.name, body, self.config.zone)

    @hookimpl
    def passthrough(
        self, method: str, path: str, params: Mapping[str, str] | None, json: Any | None
    ) -> models.PassthroughResponse:
        """One request to the tenant's TempWorks API through this connection's client."""
        from ats_core.sdk import http

        return http.passthrough(self.library.api, method, path, params, json)


def _only(ids: list[str]) -> str | None:
    """The one id of a list, or None when there are none or several."""
    return ids[0] if len(ids) == 1 else None


def _stamp(text: str | None, zone: ZoneInfo) -> datetime | None:
    """An offset-less TempWorks timestamp in the tenant zone; None when absent or unreadable."""
    try:
        return fields.to_datetime(text, time_zone=zone)
    except fields.FieldValueError:
        return None


def _link_failed(failed_origins: list[Any], assignment_id: int) -> bool:
    """True when the message answer lists the assignment among the origins it could not link."""
    for origin in failed_origins:
        if isinstance(origin, dict) and str(origin.get("originId")) == str(assignment_id):
            return True
    return False
