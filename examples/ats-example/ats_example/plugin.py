"""ExampleProvider: one stream per entity it streams, and one hookimpl per other implemented operation."""

from __future__ import annotations

from typing import Any

from ats_core.sdk import Entity, Fetched, Position, Provider, Stream, StreamQuery, errors, hookimpl, models
from ats_example.manifest import EXAMPLE_MANIFEST
from ats_example.settings import ExampleSettings
from ats_example.store import ExampleStore, Payload

__all__ = ["ExampleProvider"]


class _StoreStream(Stream["ExampleProvider", Any]):
    """A table of the store in (lastModified, id) order: the position is the sort key of the last record served."""

    def fetch(self, query: StreamQuery, position: Position, page_size: int) -> Fetched:
        """One store request from the position; the next page starts after this page's last record."""
        store = self.provider.store
        after = (position["modified"], position["id"]) if position else None
        statuses = query.filters.get("statuses")
        rows = store.list_page(
            getattr(store, str(self.table)),  # the store's table has the mapping table's name
            modified_since=query.since,
            after=after,
            limit=page_size,
            where=lambda row: statuses is None or str(row["status"]).casefold() in statuses,
        )
        following = {"modified": rows[-1]["lastModified"], "id": rows[-1]["id"]} if len(rows) == page_size else None
        return Fetched(rows, following)


class CandidateStream(_StoreStream):
    """The store's candidates."""

    entity = Entity.CANDIDATE
    table = "candidates"


class JobStream(_StoreStream):
    """The store's jobs; `statuses` is applied by the store (a server-side filter)."""

    entity = Entity.JOB
    table = "jobs"


class ExampleProvider(Provider):
    """An in-memory ATS of candidates and jobs, with notes and candidate custom field definitions."""

    manifest = EXAMPLE_MANIFEST
    settings_model = ExampleSettings
    streams = (CandidateStream, JobStream)

    def __init__(self, settings: ExampleSettings, context: Any) -> None:
        super().__init__(settings, context)
        self.store = ExampleStore(settings.seed, settings.size)

    def _record_id(self, remote_id: str) -> int:
        """The store's numeric id; any other id cannot exist, so it is NotFound (never a crash or None)."""
        if not remote_id.isdigit():
            raise errors.NotFound(f"no record with id '{remote_id}'")
        return int(remote_id)

    def _lookup(self, table: str, remote_id: str) -> Payload:
        payload = self.store.get(getattr(self.store, table), self._record_id(remote_id))
        if payload is None:
            raise errors.NotFound(f"no {table.removesuffix('s')} with id '{remote_id}'")
        return payload

    # --- lookups ---------------------------------------------------------------------------------

    @hookimpl
    def get_candidate_by_id(self, candidate_id: str) -> models.Candidate:
        """One candidate; NotFound when the store has none with that id."""
        mapped: models.Candidate = self.mapper("candidates").map_one(self._lookup("candidates", candidate_id))
        return mapped

    @hookimpl
    def get_job_by_job_id(self, job_id: str) -> models.Job:
        """One job; NotFound when the store has none with that id."""
        mapped: models.Job = self.mapper("jobs").map_one(self._lookup("jobs", job_id))
        return mapped

    @hookimpl
    def find_candidates_by_details(
        self, first_name: str | None, last_name: str | None, email: str | None, phone: str | None
    ) -> list[models.Candidate]:
        """Candidates matching every given detail; the payload field names come from the field mappings."""
        given = {"first_name": first_name, "last_name": last_name, "emails": email, "phone_numbers": phone}
        remote = {m.canonical: m.remote for m in self.manifest.mapping("candidates").fields}
        rows = self.store.search_candidates({remote[key]: value for key, value in given.items() if value is not None})
        return self.context.keep(self.mapper("candidates").map_page(rows))

    # --- notes and custom fields -----------------------------------------------------------------

    @hookimpl
    def add_note_to_candidate(
        self, candidate: models.Candidate | str, note: str, note_action_type: str | None
    ) -> models.Note:
        """Store a plain-text note; an empty note is refused before any request."""
        if not note.strip():
            raise errors.InvalidInput("note", "is empty; write the note's text")
        candidate_id = self._record_id(models.remote_id_of(candidate))
        if self.store.get(self.store.candidates, candidate_id) is None:
            raise errors.NotFound(f"no candidate with id '{candidate_id}'")
        return self._note(self.store.add_note(candidate_id, note, note_action_type))

    @hookimpl
    def list_candidate_notes(self, candidate_id: str) -> list[models.Note]:
        """The notes the store holds on the candidate, oldest first."""
        return [self._note(n) for n in self.store.list_notes(self._record_id(candidate_id))]

    def _note(self, payload: Payload) -> models.Note:
        return models.Note(
            provider=self.name,
            remote_id=str(payload["noteId"]),
            body=payload["text"],
            format=self.manifest.note_format,
            candidate_id=str(payload["candidateId"]),
            action_type=payload["action"],
            created_at=payload["createdAt"],
            remote_data=payload,
        )

    @hookimpl
    def get_candidate_custom_fields(self) -> list[models.CustomFieldDefinition]:
        """The candidate custom field definitions."""
        return [
            models.CustomFieldDefinition(
                provider=self.name,
                remote_id=row["id"],
                name=row["label"],
                entity=models.CustomFieldEntity.CANDIDATE,
                field_type=row["type"],
                required=row["required"],
                remote_data=row,
            )
            for row in self.store.list_candidate_fields()
        ]
