"""One worker per slice (connection, stream), held in the database so it holds across processes and machines.

PostgreSQL: a session advisory lock (`pg_try_advisory_lock`); the server drops it when the session ends,
so a killed worker never leaves it behind. SQLite: a row in `slice_locks` with an owner and a lease that
every committed page renews; a lease past its time, or one whose owner process on this host is gone, is
taken over. Both are checked again inside each page's transaction, so a worker that lost its lock cannot
commit.
"""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Connection, and_, delete, func, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ats_core.fleet.errors import FleetError
from ats_core.fleet.schema import slice_locks

__all__ = [
    "DEFAULT_LEASE",
    "AdvisoryLock",
    "LeaseLock",
    "SliceKey",
    "SliceLock",
    "SliceLockLost",
    "advisory_lock_key",
]

DEFAULT_LEASE = timedelta(minutes=10)


@dataclass(frozen=True, order=True)
class SliceKey:
    """The unit of work: one stream of one connection."""

    connection: str
    stream: str

    def __str__(self) -> str:
        return f"{self.connection} {self.stream}"


class SliceLockLost(FleetError):
    """This worker no longer holds its slice (its lease ran out and another took it); nothing more is committed."""

    def __init__(self, key: SliceKey) -> None:
        self.key = key
        super().__init__(
            f"{key}: this worker lost the slice's lock (its lease ran out, or its database session ended) and "
            "stopped before committing the page; the worker now holding it continues from the saved cursor"
        )


class SliceLock(Protocol):
    """Held by one worker at a time per slice; each call takes the worker's own database connection."""

    def acquire(self, connection: Connection, key: SliceKey, now: datetime) -> bool:
        """Take the slice's lock if it is free (own transaction); False at once when another worker holds it."""

    def confirm(self, connection: Connection, key: SliceKey, now: datetime) -> None:
        """Inside a page's transaction: SliceLockLost unless this worker still holds the lock."""

    def release(self, connection: Connection, key: SliceKey) -> None:
        """Let the slice go (own transaction)."""


def advisory_lock_key(key: SliceKey) -> int:
    """A signed 64-bit PostgreSQL advisory lock key for a slice (a hash: collisions only make a slice wait)."""
    digest = hashlib.blake2b(f"ats-slice\0{key.connection}\0{key.stream}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# A bigint advisory key shows in pg_locks as classid (high 32 bits), objid (low 32 bits), objsubid 1.
_HELD = text(
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted "
    "AND classid::bigint = :high AND objid::bigint = :low AND objsubid = 1)"
)


class AdvisoryLock:
    """PostgreSQL session advisory locks, held by the worker's connection for the slice."""

    def acquire(self, connection: Connection, key: SliceKey, now: datetime) -> bool:
        """`pg_try_advisory_lock`: never waits."""
        with connection.begin():
            return bool(connection.execute(select(func.pg_try_advisory_lock(advisory_lock_key(key)))).scalar_one())

    def confirm(self, connection: Connection, key: SliceKey, now: datetime) -> None:
        """This session still holds the lock (a reconnected session would not)."""
        lock = advisory_lock_key(key) & 0xFFFFFFFFFFFFFFFF
        held = connection.execute(_HELD, {"high": lock >> 32, "low": lock & 0xFFFFFFFF}).scalar_one()
        if not held:
            raise SliceLockLost(key)

    def release(self, connection: Connection, key: SliceKey) -> None:
        """`pg_advisory_unlock`."""
        with connection.begin():
            connection.execute(select(func.pg_advisory_unlock(advisory_lock_key(key))))


def _this_host() -> str:
    return socket.gethostname()


def _owner_is_gone(owner: str) -> bool:
    """True when `owner` names a process on this host that no longer runs."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != _this_host() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclass
class LeaseLock:
    """SQLite slice leases: a `slice_locks` row naming this worker, renewed with every committed page."""

    lease: timedelta = DEFAULT_LEASE
    owner: str = field(default_factory=lambda: f"{_this_host()}:{os.getpid()}:{uuid.uuid4().hex[:12]}")

    def acquire(self, connection: Connection, key: SliceKey, now: datetime) -> bool:
        """Take the row unless another owner's lease still runs and its process is alive."""
        where = and_(slice_locks.c.connection == key.connection, slice_locks.c.stream == key.stream)
        with connection.begin():
            holder = connection.execute(select(slice_locks.c.owner, slice_locks.c.expires_at).where(where)).first()
            if holder is not None and not self._may_take(holder.owner, holder.expires_at, now):
                return False
            values = {"owner": self.owner, "acquired_at": now, "expires_at": now + self.lease}
            statement = sqlite_insert(slice_locks).values(connection=key.connection, stream=key.stream, **values)
            connection.execute(statement.on_conflict_do_update(index_elements=["connection", "stream"], set_=values))
        return True

    def _may_take(self, owner: str, expires_at: datetime, now: datetime) -> bool:
        """Ours already, or another's whose lease ran out or whose process on this host is gone."""
        return owner == self.owner or expires_at <= now or _owner_is_gone(owner)

    def confirm(self, connection: Connection, key: SliceKey, now: datetime) -> None:
        """Renew the lease; SliceLockLost when the row names another owner."""
        renewed = connection.execute(
            update(slice_locks)
            .where(
                slice_locks.c.connection == key.connection,
                slice_locks.c.stream == key.stream,
                slice_locks.c.owner == self.owner,
            )
            .values(expires_at=now + self.lease)
        )
        if renewed.rowcount != 1:
            raise SliceLockLost(key)

    def release(self, connection: Connection, key: SliceKey) -> None:
        """Delete the row if it is still this worker's."""
        with connection.begin():
            connection.execute(
                delete(slice_locks).where(
                    slice_locks.c.connection == key.connection,
                    slice_locks.c.stream == key.stream,
                    slice_locks.c.owner == self.owner,
                )
            )
