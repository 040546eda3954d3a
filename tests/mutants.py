"""Mutants of the full template (`tests/full_template.py`): each has one planted bug, and names the operation
and the words of the conformance suite's failure that must catch it (`tests/test_conformance_mutants.py`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

from ats_example.plugin import CandidateStream, JobStream
from ats_example.store import Payload, SortKey
from full_template import FULL_MANIFEST, ApplicationStream, FullProvider, FullStore

from ats_core.sdk import Fetched, FieldMapping, FieldType, Position, StreamQuery, hookimpl, models

__all__ = ["MUTANTS", "Mutant"]


class Mutant(FullProvider):
    """A copy of the full template with one planted bug."""

    operation: ClassVar[str]
    """The operation the bug is in; the suite's failure must name it."""
    problem: ClassVar[str]
    """Words of the suite's failure message that say what is wrong."""
    bypass: ClassVar[Mapping[str, str]] = {}
    """A bypass the mutant's test class declares (to hide the bug, which the suite must refuse)."""


# --- the registry's lies: hookimpls pluggy would call without the caller's arguments ------------------------------


class OmitsUpdatedAfter(Mutant):
    """stream_candidates(self): the updated_after filter is silently ignored."""

    operation, problem = "stream_candidates", "['updated_after'] are missing, so they would be ignored"

    @hookimpl
    def stream_candidates(self) -> Iterator[models.Candidate]:  # type: ignore[override]
        return FullProvider.stream_candidates(self, None)  # type: ignore[no-any-return]


class DefaultedFilter(Mutant):
    """stream_jobs(..., statuses=None): pluggy never passes a parameter with a default."""

    operation, problem = "stream_jobs", "['statuses'] have defaults"

    @hookimpl
    def stream_jobs(self, updated_after: datetime | None, statuses: Sequence[str] | None = None) -> Any:
        return FullProvider.stream_jobs(self, updated_after, statuses)


class KeywordOnlyId(Mutant):
    """get_candidate_by_id(self, *, candidate_id): pluggy never fills a keyword-only parameter."""

    operation, problem = "get_candidate_by_id", "['candidate_id'] are keyword-only"

    @hookimpl
    def get_candidate_by_id(self, *, candidate_id: str) -> models.Candidate:  # type: ignore[override]
        return FullProvider.get_candidate_by_id(self, candidate_id)


class StaticStages(Mutant):
    """A staticmethod hookimpl: no provider instance."""

    operation, problem = "get_all_application_stages", "the hookimpl is a staticmethod"

    @hookimpl
    @staticmethod
    def get_all_application_stages() -> list[models.Stage]:  # type: ignore[override]
        return []


class WrapperReasons(Mutant):
    """A wrapper as the implementation: it answers nothing."""

    operation, problem = "get_disposition_reasons", "the hookimpl is a wrapper, which answers nothing"

    @hookimpl(wrapper=True)
    def get_disposition_reasons(self) -> Iterator[None]:  # type: ignore[override]
        return (yield)  # type: ignore[misc]


# --- streams -------------------------------------------------------------------------------------------------------


class StrictlyAfterStore(FullStore):
    """Serves records modified strictly after the time asked (`>`), not at or after it."""

    shift = timedelta(0)

    def list_page(
        self,
        table: dict[int, Payload],
        *,
        modified_since: datetime | None,
        after: SortKey | None,
        limit: int,
        where: Any = lambda _: True,
    ) -> list[Payload]:
        rows = super().list_page(table, modified_since=None, after=after, limit=len(table) + 1, where=where)
        if modified_since is not None:
            rows = [r for r in rows if datetime.fromisoformat(r["lastModified"]) > modified_since + self.shift]
        return rows[:limit]


class OneMinuteLateStore(StrictlyAfterStore):
    """Off by one: starts a minute after the time asked."""

    shift = timedelta(minutes=1)


class UpdatedAfterMeansAfter(Mutant):
    """updated_after applied as 'after', not 'at or after'."""

    operation, problem = "stream_candidates", "missed records updated at exactly that time"
    store_class = StrictlyAfterStore


class UpdatedAfterOffByOne(Mutant):
    """updated_after applied a minute late."""

    operation, problem = "stream_candidates", "missed records updated at exactly that time"
    store_class = OneMinuteLateStore


class RepeatingCandidateStream(CandidateStream):
    """The next page starts one record early: the last record of a page comes again on the next."""

    def fetch(self, query: StreamQuery, position: Position, page_size: int) -> Fetched:
        got = super().fetch(query, position, page_size)
        if got.next is None or len(got.rows) < 2:
            return got
        previous = got.rows[-2]
        return Fetched(got.rows, {"modified": previous["lastModified"], "id": previous["id"]})


class DuplicateAcrossPages(Mutant):
    """A record served on two pages."""

    operation, problem = "fetch_candidates_page", "records repeat across pages"
    streams = (RepeatingCandidateStream, JobStream, ApplicationStream)


class ShortCandidateStream(CandidateStream):
    """Ends one page early: the last page is never served."""

    def fetch(self, query: StreamQuery, position: Position, page_size: int) -> Fetched:
        got = super().fetch(query, position, page_size)
        if got.next is None:
            return got
        return got if super().fetch(query, got.next, page_size).next is not None else Fetched(got.rows, None)


class LostLastPage(Mutant):
    """The last page is lost."""

    operation, problem = "fetch_candidates_page", "differ: only"
    streams = (ShortCandidateStream, JobStream, ApplicationStream)


class RestartingCandidateStream(CandidateStream):
    """From the second page on, the next cursor points at the start again."""

    def fetch(self, query: StreamQuery, position: Position, page_size: int) -> Fetched:
        got = super().fetch(query, position, page_size)
        if position and got.next is not None:
            return Fetched(got.rows, {"modified": "", "id": 0})
        return got


class CursorRestarts(Mutant):
    """A cursor that restarts the stream."""

    operation, problem = "fetch_candidates_page", "the pager loops"
    streams = (RestartingCandidateStream, JobStream, ApplicationStream)


class StatusBlindJobStream(JobStream):
    """Drops the statuses filter the manifest says the store applies."""

    def fetch(self, query: StreamQuery, position: Position, page_size: int) -> Fetched:
        return super().fetch(dataclasses.replace(query, filters={}), position, page_size)


class IgnoresStatuses(Mutant):
    """stream_jobs ignoring statuses."""

    operation, problem = "stream_jobs", "returned records whose status differs"
    streams = (CandidateStream, StatusBlindJobStream, ApplicationStream)


class JobBlindApplicationStream(ApplicationStream):
    """Drops the for_job_ids filter."""

    def fetch(self, query: StreamQuery, position: Position, page_size: int) -> Fetched:
        return super().fetch(dataclasses.replace(query, filters={}), position, page_size)


class IgnoresForJobIds(Mutant):
    """stream_applications ignoring for_job_ids."""

    operation, problem = "stream_applications", "returned records whose job_id differs"
    streams = (CandidateStream, JobStream, JobBlindApplicationStream)


class BypassHidesIgnoredStatuses(IgnoresStatuses):
    """The ignored filter 'bypassed' for an operation declared supported: the bypass must not apply."""

    operation, problem = "stream_jobs", "a bypass is allowed only for an operation declared 'basic'"
    bypass: ClassVar[Mapping[str, str]] = {
        "test_filters_narrow_to_matching_records[stream_jobs]": "declared basic: statuses are not applied"
    }


# --- lookups -------------------------------------------------------------------------------------------------------


class LookupReturnsOnlyIds(Mutant):
    """A lookup that returns provider, id and payload only."""

    operation, problem = "get_candidate_by_id", "drops fields the stream sets"

    @hookimpl
    def get_candidate_by_id(self, candidate_id: str) -> models.Candidate:
        payload = self._lookup("candidates", candidate_id)
        return models.Candidate(provider=self.name, remote_id=candidate_id, remote_data=payload)


class LookupDropsContact(Mutant):
    """A lookup that drops emails, phone numbers and the address (city)."""

    operation, problem = "get_candidate_by_id", "drops fields the stream sets: ['addresses', 'emails'"

    @hookimpl
    def get_candidate_by_id(self, candidate_id: str) -> models.Candidate:
        found = FullProvider.get_candidate_by_id(self, candidate_id)
        return found.model_copy(update={"emails": [], "phone_numbers": [], "addresses": []})


class LookupLosesRemoteData(Mutant):
    """A lookup whose remote_data is not the payload the stream kept."""

    operation, problem = "get_candidate_by_id", "fields differ from the stream: ['remote_data']"

    @hookimpl
    def get_candidate_by_id(self, candidate_id: str) -> models.Candidate:
        found = FullProvider.get_candidate_by_id(self, candidate_id)
        return found.model_copy(update={"remote_data": {"id": int(candidate_id)}})


class WrongType(Mutant):
    """get_job_by_job_id answering with a Candidate."""

    operation, problem = "get_job_by_job_id", "the hook returned Candidate instead of a Job"

    @hookimpl
    def get_job_by_job_id(self, job_id: str) -> Any:
        return models.Candidate(provider=self.name, remote_id=job_id)


class NoResumes(Mutant):
    """get_resume_for_candidate_id always None."""

    operation, problem = "get_resume_for_candidate_id", "None for each of"

    @hookimpl
    def get_resume_for_candidate_id(self, candidate_id: str) -> models.Resume | None:
        return None


class NoCustomFieldValues(Mutant):
    """get_job_custom_field_values always empty."""

    operation, problem = "get_job_custom_field_values", "no value on any of"

    @hookimpl
    def get_job_custom_field_values(self, job_id: str) -> list[models.CustomFieldValue]:
        return []


class NoStages(Mutant):
    """A list operation answering []."""

    operation, problem = "get_all_application_stages", "returned an empty list"

    @hookimpl
    def get_all_application_stages(self) -> list[models.Stage]:
        return []


# --- writes --------------------------------------------------------------------------------------------------------


class MoveSendsNothing(Mutant):
    """move_application_to_stage returning the application unchanged."""

    operation, problem = "move_application_to_stage", "not the requested"

    @hookimpl
    def move_application_to_stage(self, application: Any, stage: Any) -> models.Application:
        return self.get_application_by_application_id(models.remote_id_of(application))


class RejectSendsNothing(Mutant):
    """reject_application returning the application unchanged."""

    operation, problem = "reject_application", "does not read as rejected"

    @hookimpl
    def reject_application(self, application_id: str, reason_id: str) -> models.Application:
        return self.get_application_by_application_id(application_id)


class RejectDropsReason(Mutant):
    """reject_application storing the rejection without its reason."""

    operation, problem = "reject_application", "reads rejection reason None"

    @hookimpl
    def reject_application(self, application_id: str, reason_id: str) -> models.Application:
        FullProvider.reject_application(self, application_id, reason_id)
        number = self._application_id(application_id)
        return self._application(self.store.update_application(number, rejectionReason=None))


class BulkCoversOneId(Mutant):
    """bulk_reject_applications answering for the first id only."""

    operation, problem = "bulk_reject_applications", "no outcome for ids"

    @hookimpl
    def bulk_reject_applications(self, application_ids: Sequence[str], reason_id: str) -> models.BulkRejectResult:
        return FullProvider.bulk_reject_applications(self, application_ids[:1], reason_id)


class CreateIgnoresJob(Mutant):
    """create_application_for_candidate applying to another job than the one asked."""

    operation, problem = "create_application_for_candidate", "job_id is not the requested"

    @hookimpl
    def create_application_for_candidate(self, candidate: Any, job: Any) -> models.Application:
        other = next(j for j in sorted(self.store.jobs) if str(j) != models.remote_id_of(job))
        return FullProvider.create_application_for_candidate(self, candidate, str(other))


class NoteBodyTruncated(Mutant):
    """A note stored cut to 24 characters."""

    operation, problem = "add_note_to_candidate", "does not hold the whole text sent"

    @hookimpl
    def add_note_to_candidate(self, candidate: Any, note: str, note_action_type: str | None) -> models.Note:
        return FullProvider.add_note_to_candidate(self, candidate, note[:24], note_action_type)


class AttachmentNotStored(Mutant):
    """An attachment answered as stored but never kept."""

    operation, problem = "add_attachment_to_candidate", "the read path shows no stored attachment"

    @hookimpl
    def add_attachment_to_candidate(self, filename: str, candidate_id: str, pdf_b64: str) -> models.Attachment:
        answer = FullProvider.add_attachment_to_candidate(self, filename, candidate_id, pdf_b64)
        self.store.attachments.pop()
        return answer


class RequestBeforeRefusing(Mutant):
    """A write that reads the candidate before refusing a blank note."""

    operation, problem = "add_note_to_candidate", "requests sent anyway"

    @hookimpl
    def add_note_to_candidate(self, candidate: Any, note: str, note_action_type: str | None) -> models.Note:
        self.get_candidate_by_id(models.remote_id_of(candidate))
        return FullProvider.add_note_to_candidate(self, candidate, note, note_action_type)


# --- declarations --------------------------------------------------------------------------------------------------

_ABSENT = FieldMapping(canonical="middle_name", remote="middleName", type=FieldType.STRING)
_TABLES = tuple(
    t.model_copy(update={"fields": (*t.fields, _ABSENT)}) if t.name == "candidates" else t
    for t in FULL_MANIFEST.field_mappings
)


class MapsAPathThatDoesNotExist(Mutant):
    """A declared field mapping whose payload path no record has."""

    operation, problem = "candidates", "middle_name <- middleName: no payload of"
    manifest = FULL_MANIFEST.model_copy(update={"field_mappings": _TABLES})


MUTANTS: tuple[type[Mutant], ...] = tuple(
    value
    for value in list(globals().values())
    if isinstance(value, type) and issubclass(value, Mutant) and value is not Mutant
)
