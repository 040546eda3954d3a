"""Fleet sync: many tenants' streams kept in a database (SQLite on one machine, PostgreSQL for many).

The pieces, each a module with one job::

    database   open_database(url): SQLite or PostgreSQL, migrated by Alembic on first use
    schema     the tables (SQLAlchemy Core): records per stream, sync_state, sync_runs, quarantine, slice_locks
    locks      one worker per slice: PostgreSQL advisory locks, SQLite leases
    store      a slice's state and runs; each page, its rejects and its cursor in one transaction
    slice      run_slice / sync_slice: the unit of work any scheduler calls
    status     per connection and stream: last success, lag, records, errors, next run
    engine     what any engine needs around sync_slice: settings, retry decisions, schedules
    celery_engine  the shipped engine: a Celery task per slice, beat schedules (ats-core[celery]; not imported here)

Errors (FleetError, an ATSError): DatabaseError (cannot open or migrate), SliceLockLost (another worker
took the slice), StalePage (a page delivered twice), ProviderChanged (a connection's records are another
provider's).
"""

from ats_core.fleet.database import DEFAULT_DATABASE_URL, Database, DatabaseError, open_database, upgrade
from ats_core.fleet.errors import FleetError
from ats_core.fleet.locks import SliceKey, SliceLockLost
from ats_core.fleet.slice import SliceResult, StreamSource, client_source, run_slice, sync_slice
from ats_core.fleet.store import ProviderChanged, RunPlan, SliceState, StalePage, read_state

__all__ = [
    "DEFAULT_DATABASE_URL",
    "Database",
    "DatabaseError",
    "FleetError",
    "ProviderChanged",
    "RunPlan",
    "SliceKey",
    "SliceLockLost",
    "SliceResult",
    "SliceState",
    "StalePage",
    "StreamSource",
    "client_source",
    "open_database",
    "read_state",
    "run_slice",
    "sync_slice",
    "upgrade",
]
