"""Column types that behave the same on SQLite and PostgreSQL: aware UTC times, and JSON (JSONB on PostgreSQL).

The migrations import these, so a stored value reads back the same whichever revision wrote it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine

__all__ = ["JSONDocument", "UTCDateTime"]


class UTCDateTime(TypeDecorator[datetime]):
    """A time zone-aware datetime stored in UTC; SQLite (which keeps no zone) stores it naive, and it reads back aware.

    SQLite keeps these as ISO text of one fixed format, so comparing two of them in SQL orders them in time.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive times; send UTC (naive UTC to SQLite)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime cannot be stored: give it a time zone (e.g. tzinfo=UTC)")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """An aware UTC datetime, whichever database it came from."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONDocument: TypeEngine[Any] = JSON().with_variant(JSONB(), "postgresql")
"""A JSON document: JSON text on SQLite, JSONB on PostgreSQL."""
