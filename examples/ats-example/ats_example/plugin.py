"""ExampleProvider: one hookimpl per implemented operation. Each checks its input, asks the store, maps payloads."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from pydantic import BaseModel

from ats_core import hookimpl
from ats_core.errors import InvalidInput, NotFound
from ats_core.fields import MappedEntity
from ats_core.mapping import RecordMapper, compile_mapper
from ats_core.models import Candidate, CustomFieldDefinition, CustomFieldEntity, Job, Note, Page, Record, remote_id_of
from ats_core.provider import Provider, ProviderContext
from ats_example.cursors import decode_cursor, encode_cursor
from ats_example.field_mappings import EXAMPLE_FIELD_MAPPINGS, ID_FIELD, UPDATED_AT_FIELD
from ats_example.manifest import EXAMPLE_MANIFEST
from ats_example.settings import ExampleSettings
from ats_example.store import ExampleStore, Payload, sort_key

__all__ = ["ExampleProvider"]

RecordT = TypeVar("RecordT", bound=Record)


def _mapper(model: type[RecordT], entity: MappedEntity) -> RecordMapper[RecordT]:
    """Compiled once at import: the declared mappings become one pydantic validator per model."""
    mappings = EXAMPLE_FIELD_MAPPINGS[entity]
    return compile_mapper(
        model,
        mappings,
        provider=EXAMPLE_MANIFEST.name,
        time_zone=UTC,
        id_field=ID_FIELD,
        updated_at_field=UPDATED_AT_FIELD,
    )


CANDIDATES = _mapper(Candidate, MappedEntity.CANDIDATE)
JOBS = _mapper(Job, MappedEntity.JOB)


class ExampleProvider(Provider):
    """An in-memory ATS of candidates and jobs, with notes and candidate custom field definitions."""

    manifest = EXAMPLE_MANIFEST
    settings_model = ExampleSettings

    def __init__(self, settings: BaseModel, context: ProviderContext) -> None:
        super().__init__(settings, context)
        self.config = ExampleSettings.model_validate(settings.model_dump())
        self.store = ExampleStore(self.config.seed, self.config.size)

    # --- helpers ---------------------------------------------------------------------------------

    def _record_id(self, remote_id: str) -> int:
        """The store's numeric id; any other id cannot exist, so it is NotFound (never a crash or None)."""
        if not remote_id.isdigit():
            raise NotFound(f"no record with id '{remote_id}'")
        return int(remote_id)

    def _page(
        self,
        mapper: RecordMapper[RecordT],
        table: dict[int, Payload],
        page: tuple[datetime | None, str | None, int | None],
        where: Callable[[Payload], bool] = lambda _: True,
    ) -> Page[RecordT]:
        """One page in (updated_at, id) order; invalid records raise or are quarantined, as the connection asked."""
        updated_after, cursor, page_size = page
        limit = page_size or self.config.page_size
        after = decode_cursor(cursor)
        rows = self.store.list_page(table, modified_since=updated_after, after=after, limit=limit, where=where)
        items = mapper.map_page(rows, context=self.context)
        next_cursor = encode_cursor(sort_key(rows[-1])) if len(rows) == limit else None
        return Page[mapper.model](items=items, next_cursor=next_cursor)  # type: ignore[name-defined]

    @staticmethod
    def _all_pages(fetch: Callable[[str | None], Page[RecordT]]) -> Iterator[RecordT]:
        cursor: str | None = None
        while True:
            page = fetch(cursor)
            yield from page.items
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    # --- streams ---------------------------------------------------------------------------------

    @hookimpl
    def fetch_candidates_page(
        self, updated_after: datetime | None, cursor: str | None, page_size: int | None
    ) -> Page[Candidate]:
        """A page of candidates in (updated_at, id) order."""
        page = (updated_after, cursor, page_size)
        return self._page(CANDIDATES, self.store.candidates, page)

    @hookimpl
    def stream_candidates(self, updated_after: datetime | None) -> Iterator[Candidate]:
        """Every candidate: the pages, one after another."""
        return self._all_pages(lambda cursor: self.fetch_candidates_page(updated_after, cursor, None))

    @hookimpl
    def fetch_jobs_page(
        self, updated_after: datetime | None, statuses: Sequence[str] | None, cursor: str | None, page_size: int | None
    ) -> Page[Job]:
        """A page of jobs in (updated_at, id) order, optionally only those with one of `statuses`."""
        wanted = None if statuses is None else {s.casefold() for s in statuses}

        def where(row: Payload) -> bool:
            return wanted is None or str(row["status"]).casefold() in wanted

        page = (updated_after, cursor, page_size)
        return self._page(JOBS, self.store.jobs, page, where)

    @hookimpl
    def stream_jobs(self, updated_after: datetime | None, statuses: Sequence[str] | None) -> Iterator[Job]:
        """Every job: the pages, one after another."""
        return self._all_pages(lambda cursor: self.fetch_jobs_page(updated_after, statuses, cursor, None))

    # --- lookups ---------------------------------------------------------------------------------

    @hookimpl
    def get_candidate_by_id(self, candidate_id: str) -> Candidate:
        """One candidate; NotFound when the store has none with that id."""
        payload = self.store.get(self.store.candidates, self._record_id(candidate_id))
        if payload is None:
            raise NotFound(f"no candidate with id '{candidate_id}'")
        return CANDIDATES.map_one(payload)

    @hookimpl
    def get_job_by_job_id(self, job_id: str) -> Job:
        """One job; NotFound when the store has none with that id."""
        payload = self.store.get(self.store.jobs, self._record_id(job_id))
        if payload is None:
            raise NotFound(f"no job with id '{job_id}'")
        return JOBS.map_one(payload)

    @hookimpl
    def find_candidates_by_details(
        self, first_name: str | None, last_name: str | None, email: str | None, phone: str | None
    ) -> list[Candidate]:
        """Candidates matching every given detail; the payload field names come from the field mappings."""
        given = {"first_name": first_name, "last_name": last_name, "email": email, "phone": phone}
        remote = {m.canonical: m.remote for m in EXAMPLE_FIELD_MAPPINGS[MappedEntity.CANDIDATE]}
        criteria = {remote[key]: value for key, value in given.items() if value is not None}
        rows = self.store.search_candidates(criteria)
        return CANDIDATES.map_page(rows, context=self.context)

    # --- notes and custom fields -----------------------------------------------------------------

    @hookimpl
    def add_note_to_candidate(self, candidate: Candidate | str, note: str, note_action_type: str | None) -> Note:
        """Store a plain-text note; an empty note is refused before any request."""
        if not note.strip():
            raise InvalidInput("note", "is empty; write the note's text")
        candidate_id = self._record_id(remote_id_of(candidate))
        if self.store.get(self.store.candidates, candidate_id) is None:
            raise NotFound(f"no candidate with id '{candidate_id}'")
        return self._note(self.store.add_note(candidate_id, note, note_action_type))

    def notes_of_candidate(self, candidate_id: str) -> list[Note]:
        """The read path of notes (not a catalog operation): what the ATS shows on the candidate."""
        return [self._note(n) for n in self.store.list_notes(self._record_id(candidate_id))]

    def _note(self, payload: Payload) -> Note:
        return Note(
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
    def get_candidate_custom_fields(self) -> list[CustomFieldDefinition]:
        """The candidate custom field definitions."""
        return [
            CustomFieldDefinition(
                provider=self.name,
                remote_id=row["id"],
                name=row["label"],
                entity=CustomFieldEntity.CANDIDATE,
                field_type=row["type"],
                required=row["required"],
                remote_data=row,
            )
            for row in self.store.list_candidate_fields()
        ]
