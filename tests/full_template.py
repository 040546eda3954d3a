"""The template provider (examples/ats-example) grown to every kind of operation: applications, stages, rejections,
attachments, resumes and job custom field values, in memory. It passes the conformance suite; the mutants of
`tests/mutants.py` are copies of it with one planted bug each, which the suite must catch.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from ats_example import EXAMPLE_MANIFEST, ExampleProvider
from ats_example.plugin import CandidateStream, JobStream
from ats_example.settings import ExampleSettings
from ats_example.store import ExampleStore, Payload, sort_key

from ats_core.pdf import build_pdf
from ats_core.sdk import (
    Entity,
    Fetched,
    FieldMapping,
    FieldType,
    FilterDeclaration,
    MappingTable,
    PageSize,
    Position,
    ProviderManifest,
    Stream,
    StreamDeclaration,
    StreamQuery,
    errors,
    hookimpl,
    models,
    supported,
)

__all__ = ["FULL_MANIFEST", "FullProvider", "FullStore"]

STAGES = (
    {"id": "st-new", "name": "New"},
    {"id": "st-screen", "name": "Screening"},
    {"id": "st-offer", "name": "Offer"},
)
REASONS = ({"id": "rr-skills", "name": "Skills mismatch"}, {"id": "rr-withdrew", "name": "Candidate withdrew"})
JOB_FIELDS = ({"id": "jf-shift", "label": "Shift", "type": "enum", "required": False},)


def _stamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


class FullStore(ExampleStore):
    """The template's store plus applications (some rejected), stages, reasons, attachments, resumes, job fields."""

    def __init__(self, seed: int, size: int, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        super().__init__(seed, size, clock)
        jobs = sorted(self.jobs)
        self.applications: dict[int, Payload] = {}
        for n, candidate in enumerate(sorted(self.candidates.values(), key=sort_key)):
            rejected = n % 5 == 4
            self.applications[9000 + n] = {
                "id": 9000 + n,
                "candidateId": candidate["id"],
                "jobId": jobs[n % len(jobs)],
                "stage": STAGES[n % 2]["id"],
                "status": "rejected" if rejected else "active",
                "rejectedAt": candidate["lastModified"] if rejected else None,
                "rejectionReason": REASONS[0]["id"] if rejected else None,
                "createdAt": candidate["createdAt"],
                "lastModified": candidate["lastModified"],
            }
        self.attachments: list[Payload] = []
        self.resumes = {c: build_pdf(f"resume {c}") for c in sorted(self.candidates) if c % 2 == 0}
        self.job_values = {job: [{"id": "jf-shift", "value": ("day", "night")[job % 2]}] for job in jobs}

    def update_application(self, application_id: int, **changes: Any) -> Payload:
        """One request: change an application and touch it."""
        self.requests += 1
        application = self.applications[application_id]
        application.update(changes, lastModified=_stamp(self.clock()))
        return application

    def create_application(self, candidate_id: int, job_id: int) -> Payload:
        """One request: a new application in the first stage."""
        self.requests += 1
        now = _stamp(self.clock())
        number = max(self.applications) + 1
        self.applications[number] = {
            "id": number,
            "candidateId": candidate_id,
            "jobId": job_id,
            "stage": STAGES[0]["id"],
            "status": "active",
            "rejectedAt": None,
            "rejectionReason": None,
            "createdAt": now,
            "lastModified": now,
        }
        return self.applications[number]

    def add_attachment(self, candidate_id: int, filename: str, content: bytes) -> Payload:
        """One request: store a file on a candidate."""
        self.requests += 1
        stored = {"id": len(self.attachments) + 1, "candidateId": candidate_id, "name": filename, "size": len(content)}
        self.attachments.append(stored)
        return stored

    def counted(self, value: Any) -> Any:
        """One request answering `value` (lists and lookups the template's store has no method for)."""
        self.requests += 1
        return value


class ApplicationStream(Stream["FullProvider", Any]):
    """The store's applications in (lastModified, id) order; `for_job_ids` is applied by the store."""

    entity = Entity.APPLICATION
    table = "applications"

    def fetch(self, query: StreamQuery, position: Position, page_size: int) -> Fetched:
        """One store request from the position."""
        store = self.provider.store
        job_ids = query.filters.get("for_job_ids")
        rows = store.list_page(
            store.applications,
            modified_since=query.since,
            after=(position["modified"], position["id"]) if position else None,
            limit=page_size,
            where=lambda row: job_ids is None or str(row["jobId"]) in job_ids,
        )
        following = {"modified": rows[-1]["lastModified"], "id": rows[-1]["id"]} if len(rows) == page_size else None
        return Fetched(rows, following)


def _m(canonical: str, remote: str, type_: FieldType) -> FieldMapping:
    return FieldMapping(canonical=canonical, remote=remote, type=type_)


APPLICATIONS_TABLE = MappingTable(
    name="applications",
    entity=Entity.APPLICATION,
    source="the store's application payloads",
    id_field="id",
    updated_at_field="lastModified",
    read_by=("stream_applications", "fetch_applications_page", "get_application_by_application_id"),
    fields=(
        _m("candidate_id", "candidateId", FieldType.ID),
        _m("job_id", "jobId", FieldType.ID),
        _m("stage", "stage", FieldType.STRING),
        _m("status", "status", FieldType.ENUM),
        _m("rejected_at", "rejectedAt", FieldType.DATETIME),
        _m("rejection_reason", "rejectionReason", FieldType.STRING),
        _m("created_at", "createdAt", FieldType.DATETIME),
    ),
)
FULL_OPERATIONS = (
    "stream_applications",
    "fetch_applications_page",
    "get_application_by_application_id",
    "move_application_to_stage",
    "get_all_application_stages",
    "get_disposition_reasons",
    "reject_application",
    "bulk_reject_applications",
    "create_application_for_candidate",
    "add_attachment_to_candidate",
    "list_candidate_attachments",
    "get_resume_for_candidate_id",
    "get_job_custom_fields",
    "get_job_custom_field_values",
)
_ORDER = "lastModified, then id, ascending"
FULL_MANIFEST = ProviderManifest(
    **{
        **dict(EXAMPLE_MANIFEST),
        "operations": {**EXAMPLE_MANIFEST.operations, **{name: supported() for name in FULL_OPERATIONS}},
        "streams": (
            *EXAMPLE_MANIFEST.streams,
            StreamDeclaration(
                entity=Entity.APPLICATION,
                incremental=True,
                sort=_ORDER,
                page_size=PageSize(default=10),
                filters={"for_job_ids": FilterDeclaration(applied="server", field="job_id")},
            ),
        ),
        "field_mappings": (*EXAMPLE_MANIFEST.field_mappings, APPLICATIONS_TABLE),
    }
)


class FullProvider(ExampleProvider):
    """The template with every kind of operation implemented, honestly."""

    manifest = FULL_MANIFEST
    streams = (CandidateStream, JobStream, ApplicationStream)
    store_class: type[FullStore] = FullStore

    def __init__(self, settings: ExampleSettings, context: Any) -> None:
        super().__init__(settings, context)
        self.store = self.store_class(settings.seed, settings.size)

    def _application(self, payload: Payload) -> models.Application:
        mapped: models.Application = self.mapper("applications").map_one(payload)
        return mapped

    def _application_id(self, remote_id: str) -> int:
        number = self._record_id(remote_id)
        if number not in self.store.applications:
            raise errors.NotFound(f"no application with id '{remote_id}'")
        return number

    def _known(self, field: str, value: str, known: Sequence[Payload]) -> str:
        if value not in {item["id"] for item in known}:
            raise errors.InvalidInput(field, f"'{value}' is not one of this ATS's ids; list them first")
        return value

    @hookimpl
    def get_application_by_application_id(self, application_id: str) -> models.Application:
        """One application; NotFound when there is none."""
        return self._application(self._lookup("applications", application_id))

    @hookimpl
    def get_all_application_stages(self) -> list[models.Stage]:
        """The pipeline's stages."""
        rows = self.store.counted(STAGES)
        return [models.Stage(provider=self.name, remote_id=s["id"], name=s["name"], remote_data=s) for s in rows]

    @hookimpl
    def get_disposition_reasons(self) -> list[models.DispositionReason]:
        """The rejection reasons."""
        rows = self.store.counted(REASONS)
        return [
            models.DispositionReason(provider=self.name, remote_id=r["id"], name=r["name"], remote_data=r) for r in rows
        ]

    @hookimpl
    def move_application_to_stage(
        self, application: models.Application | str, stage: models.Stage | str
    ) -> models.Application:
        """Set the application's stage (an id from get_all_application_stages)."""
        stage_id = self._known("stage", stage.remote_id if isinstance(stage, models.Stage) else stage, STAGES)
        number = self._application_id(models.remote_id_of(application))
        return self._application(self.store.update_application(number, stage=stage_id))

    @hookimpl
    def reject_application(self, application_id: str, reason_id: str) -> models.Application:
        """Reject with a reason (an id from get_disposition_reasons)."""
        reason = self._known("reason_id", reason_id, REASONS)
        number = self._application_id(application_id)
        now = _stamp(self.store.clock())
        changes = {"status": "rejected", "rejectedAt": now, "rejectionReason": reason}
        return self._application(self.store.update_application(number, **changes))

    @hookimpl
    def bulk_reject_applications(self, application_ids: Sequence[str], reason_id: str) -> models.BulkRejectResult:
        """Reject each; an unknown id fails alone."""
        self._known("reason_id", reason_id, REASONS)
        results = []
        for application_id in application_ids:
            try:
                self.reject_application(application_id, reason_id)
                results.append(models.BulkRejectItem(application_id=application_id, succeeded=True))
            except errors.NotFound:
                results.append(models.BulkRejectItem(application_id=application_id, succeeded=False, error="not found"))
        return models.BulkRejectResult(results=results)

    @hookimpl
    def create_application_for_candidate(
        self, candidate: models.Candidate | str, job: models.Job | str
    ) -> models.Application:
        """A new application of the candidate to the job."""
        candidate_id = self._record_id(models.remote_id_of(candidate))
        job_id = self._record_id(models.remote_id_of(job))
        if candidate_id not in self.store.candidates or job_id not in self.store.jobs:
            raise errors.NotFound("no such candidate or job")
        return self._application(self.store.create_application(candidate_id, job_id))

    @hookimpl
    def add_attachment_to_candidate(self, filename: str, candidate_id: str, pdf_b64: str) -> models.Attachment:
        """Store a PDF; bad names, bad base64 and non-PDFs are refused before any request."""
        if not filename.strip() or any(c in filename for c in "/\\") or ".." in filename:
            raise errors.InvalidInput("filename", "must be a plain file name such as resume.pdf")
        try:
            content = base64.b64decode(pdf_b64, validate=True)
        except (binascii.Error, ValueError):
            raise errors.InvalidInput("pdf_b64", "is not base64; encode the file's bytes") from None
        if not content.startswith(b"%PDF-"):
            raise errors.InvalidInput("pdf_b64", "is not a PDF")
        number = self._record_id(candidate_id)
        if number not in self.store.candidates:
            raise errors.NotFound(f"no candidate with id '{candidate_id}'")
        return self._attachment(self.store.add_attachment(number, filename, content))

    @hookimpl
    def list_candidate_attachments(self, candidate_id: str) -> list[models.Attachment]:
        """The files stored on a candidate."""
        number = self._record_id(candidate_id)
        if number not in self.store.candidates:
            raise errors.NotFound(f"no candidate with id '{candidate_id}'")
        return [self._attachment(a) for a in self.store.counted(self.store.attachments) if a["candidateId"] == number]

    def _attachment(self, payload: Payload) -> models.Attachment:
        return models.Attachment(
            provider=self.name,
            remote_id=str(payload["id"]),
            file_name=payload["name"],
            content_type="application/pdf",
            candidate_id=str(payload["candidateId"]),
            size_bytes=payload["size"],
            remote_data=payload,
        )

    @hookimpl
    def get_resume_for_candidate_id(self, candidate_id: str) -> models.Resume | None:
        """The candidate's resume; None when the candidate has none."""
        self._lookup("candidates", candidate_id)
        number = self._record_id(candidate_id)
        content = self.store.counted(self.store.resumes.get(number))
        if content is None:
            return None
        return models.Resume(
            provider=self.name,
            remote_id=f"resume-{number}",
            file_name=f"resume-{number}.pdf",
            content_type="application/pdf",
            content=content,
            candidate_id=str(number),
            remote_data={"candidateId": number},
        )

    @hookimpl
    def get_job_custom_fields(self) -> list[models.CustomFieldDefinition]:
        """The job custom field definitions."""
        return [
            models.CustomFieldDefinition(
                provider=self.name,
                remote_id=row["id"],
                name=row["label"],
                entity=models.CustomFieldEntity.JOB,
                field_type=row["type"],
                required=row["required"],
                remote_data=row,
            )
            for row in self.store.counted(JOB_FIELDS)
        ]

    @hookimpl
    def get_job_custom_field_values(self, job_id: str) -> list[models.CustomFieldValue]:
        """A job's custom field values."""
        self._lookup("jobs", job_id)
        values = self.store.counted(self.store.job_values.get(int(job_id), []))
        return [models.CustomFieldValue(definition_id=v["id"], value=v["value"], raw=v) for v in values]
