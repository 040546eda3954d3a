"""The change inbox: each delivered event stored once, whatever the number of deliveries."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select, update
from sqlalchemy.exc import IntegrityError

from ats_core.fleet.database import Database
from ats_core.fleet.schema import change_inbox
from ats_core.models import ChangeEvent

__all__ = ["StoredEvents", "dedupe_key", "mark_refreshed", "store_events"]


@dataclass(frozen=True)
class StoredEvents:
    """What one delivery added: the events new to the inbox, and how many were already there."""

    new: list[ChangeEvent]
    duplicates: int


def dedupe_key(body: bytes, position: int) -> str:
    """The same delivery (byte for byte) has the same key; events of one body differ by their position."""
    return f"{hashlib.sha256(body).hexdigest()}:{position}"


def store_events(
    database: Database, connection: str, body: bytes, events: Sequence[ChangeEvent], now: datetime
) -> StoredEvents:
    """Insert the events not yet stored for this connection, in one transaction."""
    keys = [dedupe_key(body, position) for position in range(len(events))]
    try:
        return _insert_new(database, connection, keys, events, now)
    except IntegrityError:  # the same delivery, concurrently: it is stored now, so this one is a duplicate
        return _insert_new(database, connection, keys, events, now)


def _insert_new(
    database: Database, connection: str, keys: Sequence[str], events: Sequence[ChangeEvent], now: datetime
) -> StoredEvents:
    with database.engine.begin() as db:
        held = set(
            db.scalars(
                select(change_inbox.c.dedupe_key).where(
                    and_(change_inbox.c.connection == connection, change_inbox.c.dedupe_key.in_(keys))
                )
            )
        )
        fresh = [(key, event) for key, event in zip(keys, events, strict=True) if key not in held]
        if fresh:
            db.execute(
                change_inbox.insert(),
                [
                    {
                        "connection": connection,
                        "dedupe_key": key,
                        "provider": event.provider,
                        "entity": event.entity,
                        "remote_id": event.remote_id,
                        "kind": event.kind.value,
                        "topic": event.topic,
                        "occurred_at": event.occurred_at,
                        "received_at": now,
                        "raw": event.raw,
                    }
                    for key, event in fresh
                ],
            )
    return StoredEvents([event for _, event in fresh], len(events) - len(fresh))


def mark_refreshed(database: Database, connection: str, entity: str, remote_ids: Iterable[str], now: datetime) -> None:
    """Stamp the pending events of these records refreshed (the record was read after they arrived)."""
    ids = list(remote_ids)
    if not ids:
        return
    with database.engine.begin() as db:
        db.execute(
            update(change_inbox)
            .where(
                and_(
                    change_inbox.c.connection == connection,
                    change_inbox.c.entity == entity,
                    change_inbox.c.remote_id.in_(ids),
                    change_inbox.c.refreshed_at.is_(None),
                    change_inbox.c.received_at <= now,
                )
            )
            .values(refreshed_at=now)
        )
