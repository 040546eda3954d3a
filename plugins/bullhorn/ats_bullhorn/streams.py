"""The Bullhorn streams: candidates (search), job orders and job submissions (query), each paged by id.

Every page asks for the records after the last id of the page before, in id order (keyset paging, which
Bullhorn's own guidance prefers over start/count while data changes): a record changed mid-read keeps its
place. Incremental reads add `dateLastModified >= since` (epoch milliseconds) on the server, and the
filters the manifest declares server-side go into the same query. Soft-deleted records are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from ats_bullhorn.field_mappings import MODIFIED
from ats_bullhorn.library import fields_of
from ats_core.sdk import Entity, Fetched, MappedPage, Position, Stream, StreamQuery

if TYPE_CHECKING:
    from ats_bullhorn.plugin import BullhornProvider

__all__ = ["CandidateStream", "JobOrderStream", "JobSubmissionStream", "epoch_ms", "lucene_date"]


def epoch_ms(moment: datetime) -> int:
    """A datetime as Bullhorn's epoch milliseconds."""
    return int(moment.timestamp() * 1000)


UNKNOWN_ZONE_MARGIN = timedelta(hours=14)
"""The widest offset from UTC: a digits date read in any zone still starts at or before the intended instant."""


def lucene_date(moment: datetime, style: str) -> str:
    """A Lucene range bound: epoch milliseconds, or yyyyMMddHHmmss moved early enough for any zone Bullhorn reads it in."""
    if style == "epoch_ms":
        return str(epoch_ms(moment))
    return (moment.astimezone(UTC) - UNKNOWN_ZONE_MARGIN).strftime("%Y%m%d%H%M%S")


def _quoted(value: str) -> str:
    """A JPQL string literal (single quotes, doubled inside)."""
    return "'" + value.replace("'", "''") + "'"


class _KeysetStream(Stream["BullhornProvider", Any]):
    """Rows after the position's id, in id order; the next page starts after this page's last id."""

    bullhorn_entity: ClassVar[str]
    provider: BullhornProvider

    def fetch(self, query: StreamQuery, position: Position, page_size: int) -> Fetched:
        """One call for the rows after `position["after"]`."""
        after = int(position.get("after", 0))
        rows = self.rows(query, after, page_size)
        if len(rows) < page_size or not rows:
            return Fetched(rows, None)
        return Fetched(rows, {"after": int(rows[-1]["id"])})

    def rows(self, query: StreamQuery, after: int, count: int) -> Sequence[Any]:
        """Up to `count` rows with an id above `after`."""
        raise NotImplementedError

    def fields(self) -> str:
        """The `fields=` of this stream's table."""
        assert self.table is not None
        return fields_of(self.provider.manifest.mapping(self.table))


class CandidateStream(_KeysetStream):
    """Candidates through `search/Candidate` (Bullhorn refuses `query` on Candidate)."""

    entity = Entity.CANDIDATE
    table = "candidate"
    bullhorn_entity = "Candidate"

    def rows(self, query: StreamQuery, after: int, count: int) -> Sequence[Any]:
        """Lucene: not deleted, id above `after`, modified at or after `since`."""
        clauses = ["isDeleted:0", f"id:[{after + 1} TO *]"]
        if query.since is not None:
            bound = lucene_date(query.since, self.provider.config.search_date_format)
            clauses.append(f"{MODIFIED}:[{bound} TO *]")
        return self.provider.library.search("Candidate", " AND ".join(clauses), self.fields(), count=count)


class _QueryStream(_KeysetStream):
    """Rows of a queryable entity through `query/{Entity}` (JPQL)."""

    def rows(self, query: StreamQuery, after: int, count: int) -> Sequence[Any]:
        """JPQL: not deleted, id above `after`, modified at or after `since`, and the server-side filters."""
        clauses = [f"id > {after}", "isDeleted = false"]
        if query.since is not None:
            clauses.append(f"{MODIFIED} >= {epoch_ms(query.since)}")
        clauses.extend(self.filter_clauses(query))
        where = " AND ".join(clauses)
        return self.provider.library.query(self.bullhorn_entity, where, self.fields(), count=count)

    def filter_clauses(self, query: StreamQuery) -> list[str]:
        """JPQL clauses of the filters this stream applies on the server."""
        return []


class JobOrderStream(_QueryStream):
    """Job orders; `statuses` match the job's status on the server."""

    entity = Entity.JOB
    table = "job_order"
    bullhorn_entity = "JobOrder"

    def filter_clauses(self, query: StreamQuery) -> list[str]:
        statuses = query.filters.get("statuses")
        return [f"status IN ({', '.join(_quoted(s) for s in statuses)})"] if statuses else []


class JobSubmissionStream(_QueryStream):
    """Job submissions; `for_job_ids` match the submission's job on the server."""

    entity = Entity.APPLICATION
    table = "job_submission"
    bullhorn_entity = "JobSubmission"

    def rows(self, query: StreamQuery, after: int, count: int) -> Sequence[Any]:
        """No call when every job id asked for is one Bullhorn cannot have (not a whole number)."""
        jobs = query.filters.get("for_job_ids")
        if jobs and not _job_ids(jobs):
            return []
        return super().rows(query, after, count)

    def filter_clauses(self, query: StreamQuery) -> list[str]:
        jobs = _job_ids(query.filters.get("for_job_ids") or ())
        return [f"jobOrder.id IN ({', '.join(str(i) for i in jobs)})"] if jobs else []

    def to_records(self, query: StreamQuery, position: Position, rows: Sequence[Any]) -> MappedPage[Any]:
        """Mapped submissions, with the rejection read from the status (see `BullhornProvider.with_rejection`)."""
        mapped = super().to_records(query, position, rows)
        return MappedPage(self.provider.with_rejection(mapped.records), mapped.rejected)


def _job_ids(values: Sequence[str]) -> list[int]:
    """The whole-number job ids among `values` (others name no Bullhorn job), sorted."""
    return sorted({int(value) for value in values if value.strip().isascii() and value.strip().isdigit()})
