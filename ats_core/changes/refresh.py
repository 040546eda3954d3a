"""Targeted refresh: read the records change events name, by id, and upsert them into the fleet database.

The engine that runs refreshes is an interface (`RefreshEngine`): the in-process worker (`worker.py`) is
one implementation; a task queue is another. Whatever runs them, the upsert keeps the newer version of a
record, so a late or replayed refresh never undoes a newer one, and the scheduled sync stays the backstop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import NamedTuple, Protocol

from ats_core.changes.inbox import mark_refreshed
from ats_core.client import ATSClient
from ats_core.errors import NotFound
from ats_core.fleet.database import Database
from ats_core.fleet.locks import SliceKey
from ats_core.fleet.store import mark_gone, upsert_refreshed
from ats_core.models import Record
from ats_core.operation_spec import Entity, Kind
from ats_core.operations import ENTITY_MODELS, ReturnKind, operations_of_kind
from ats_core.scope import parallel_map

__all__ = ["REFRESHABLE", "RefreshEngine", "RefreshKey", "RefreshOutcome", "refresh_records"]

logger = logging.getLogger("ats_core.changes")

REFRESHABLE: dict[str, str] = {
    op.entity.value: op.name
    for op in operations_of_kind(Kind.LOOKUP)
    if op.entity is not None and op.returns is ReturnKind.RECORD and op.model is ENTITY_MODELS[op.entity]
}
"""Entity -> the catalog lookup that reads one record of it by id (get_candidate_by_id, ...)."""


DEFAULT_READERS = 4
"""Records read concurrently by one refresh; the client's rate limiter still paces the requests."""


class RefreshKey(NamedTuple):
    """One record to read again: which connection, which entity, which id."""

    connection: str
    entity: str
    remote_id: str


class RefreshEngine(Protocol):
    """Runs refreshes somewhere (this process, a task queue); `submit` must return at once."""

    def submit(self, key: RefreshKey) -> None:
        """Ask for the record to be read again soon; asking twice before it runs reads it once."""

    def close(self) -> None:
        """Finish or drop what is pending and release threads or connections."""


class RefreshOutcome(NamedTuple):
    """What one refresh of a connection's records of one entity did."""

    upserted: int
    gone: int


def refresh_records(
    database: Database,
    connection: str,
    client: ATSClient,
    entity: str,
    remote_ids: Sequence[str],
    now: Callable[[], datetime],
    workers: int = DEFAULT_READERS,
) -> RefreshOutcome:
    """Read each record by id (`workers` at a time; the client's rate limiter still paces them) and upsert it
    (newer wins); a 404 marks the record deleted."""
    lookup = getattr(client, REFRESHABLE[entity])

    def read(remote_id: str) -> Record | None:
        try:
            record: Record = lookup(remote_id)
        except NotFound:
            return None
        return record

    unique = list(dict.fromkeys(remote_ids))
    answers = parallel_map(read, unique, workers)
    found = [record for record in answers if record is not None]
    gone = [remote_id for remote_id, record in zip(unique, answers, strict=True) if record is None]
    key = SliceKey(connection, Entity(entity).stream)
    stamp = now()
    with database.engine.begin() as db:
        upsert_refreshed(db, key, found, stamp)
        removed = mark_gone(db, key, gone, stamp)
    mark_refreshed(database, connection, entity, remote_ids, stamp)
    logger.debug("%s %s: refreshed %d, gone %d", connection, entity, len(found), removed)
    return RefreshOutcome(len(found), removed)
