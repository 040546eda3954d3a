"""The sync engine behind `ats sync`: pages of canonical records to a JSON Lines file, resumable.

The output is an append log: one canonical record per line (`model_dump(mode="json")`). After each
page is flushed and fsynced, a JSON state file is replaced atomically; it holds the cursor of the next
page and the output's committed byte length. A rerun after an interruption truncates the output back
to that length (dropping a page written but not recorded) and continues from the cursor, so no record
is lost or duplicated. A rerun after a completed run reads only records updated since that run
started (minus the provider's declared lookback) and appends them: consumers upsert by `remote_id`.
"""

from __future__ import annotations

import fcntl
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any, Literal, Protocol

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from ats_core.client import ATSClient
from ats_core.errors import ATSError, CapabilityNotSupported
from ats_core.models import Page, Record
from ats_core.operations import Entity, stream_page_operation
from ats_core.paging import iter_pages

__all__ = [
    "ENTITY_OPERATIONS",
    "PageFetcher",
    "SyncError",
    "SyncLocked",
    "SyncProgress",
    "SyncResult",
    "SyncState",
    "client_page_fetcher",
    "load_state",
    "run_sync",
    "write_state",
]

ENTITY_OPERATIONS: Mapping[str, str] = {entity.stream: stream_page_operation(entity).name for entity in Entity}


class SyncError(ATSError):
    """The state file or the output cannot be used for this run; the message says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def describe(self) -> str:
        return self.message


class SyncLocked(SyncError):
    """Another `ats sync` holds the state or the output: this run did nothing."""


class PageFetcher(Protocol):
    """Fetches one page: records updated after a time, starting at a cursor (None = the first page)."""

    def __call__(self, updated_after: datetime | None, cursor: str | None, page_size: int | None) -> Page[Any]: ...


def client_page_fetcher(client: ATSClient, entity: str) -> PageFetcher:
    """The page operation of `entity` on a connected client; CapabilityNotSupported when it is not declared."""
    operation = ENTITY_OPERATIONS[entity]
    declaration = client.manifest.operations[operation]
    if not declaration.status.implemented:
        raise CapabilityNotSupported(client.name, operation, declaration.status.value, declaration.reason)
    method: Callable[..., Page[Any]] = getattr(client, operation)

    def fetch(updated_after: datetime | None, cursor: str | None, page_size: int | None) -> Page[Any]:
        return method(updated_after=updated_after, cursor=cursor, page_size=page_size)

    return fetch


class SyncState(BaseModel):
    """What the state file holds: where the run stands, and where the next run starts."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    provider: str
    entity: str
    status: Literal["running", "complete"]
    run: int = Field(default=1, ge=1, description="1 for the first run; each completed run starts the next")
    output: str
    output_offset: int = Field(ge=0, description="bytes of the output holding committed pages")
    quarantine: str | None = None
    quarantine_offset: int = Field(default=0, ge=0)
    updated_after: AwareDatetime | None = Field(description="the filter of the current (or last) run")
    cursor: str | None = Field(default=None, description="cursor of the next page; None = first page")
    run_started_at: AwareDatetime
    pages: int = Field(default=0, ge=0)
    records: int = Field(default=0, ge=0)
    quarantined: int = Field(default=0, ge=0)
    completed_at: AwareDatetime | None = None
    next_updated_after: AwareDatetime | None = Field(default=None, description="set on completion")


@dataclass(frozen=True)
class SyncProgress:
    """Counts of the run so far, reported after each committed page."""

    pages: int
    records: int
    quarantined: int


@dataclass(frozen=True)
class SyncResult:
    """How a run ended: counts for the whole run and for this invocation, and what the next run reads."""

    state: SyncState
    resumed: bool
    incremental: bool
    pages_now: int
    records_now: int
    quarantined_now: int

    @property
    def next_updated_after(self) -> datetime | None:
        """Where the next run's filter starts (before the provider's lookback)."""
        return self.state.next_updated_after


def _utc_now() -> datetime:
    return datetime.now(UTC)


def load_state(path: Path) -> SyncState | None:
    """The state in `path`, None when there is no file; SyncError when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise SyncError(f"state file {path} could not be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise SyncError(
            f"state file {path} is not UTF-8 text, so not an `ats sync` state; pass another --state to start over"
        ) from None
    try:
        return SyncState.model_validate_json(text)
    except ValidationError as error:
        problem = error.errors()[0]["msg"]
        raise SyncError(
            f"state file {path} is not an `ats sync` state ({problem}); pass another --state to start over"
        ) from None


def write_state(path: Path, state: SyncState) -> None:
    """Replace the state file atomically: write a temp file beside it, fsync, then os.replace."""
    payload = state.model_dump_json(indent=2).encode("utf-8") + b"\n"
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(payload)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _json_line(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8") + b"\n"


def _durable_write(stream: IO[bytes], data: bytes) -> int:
    stream.write(data)
    stream.flush()
    os.fsync(stream.fileno())
    return stream.tell()


def _open_at(path: Path, offset: int, label: str, state_path: Path) -> IO[bytes]:
    """Open `path` (created 0600: it holds candidates' details) for appending after truncating it to `offset`."""
    size = path.stat().st_size if path.exists() else 0
    if size < offset:
        raise SyncError(
            f"{label} {path} holds {size} bytes but the state {state_path} recorded {offset}: it was changed "
            "outside `ats sync`; restore it, or pass a new --state and --out to start over"
        )
    stream = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab")
    try:
        if offset and not _ends_a_line(path, offset):
            raise SyncError(
                f"the state {state_path} records an offset inside a line of {label} {path}: it was changed "
                "outside `ats sync`; restore it, or pass a new --state and --out to start over"
            )
        stream.truncate(offset)
        stream.seek(offset)
    except BaseException:
        stream.close()
        raise
    return stream


def _ends_a_line(path: Path, offset: int) -> bool:
    with path.open("rb") as stream:
        stream.seek(offset - 1)
        return stream.read(1) == b"\n"


def _check_paths(paths: Mapping[str, Path | None]) -> None:
    """Refuse one file for two roles and a file that is not a regular file (a FIFO would block forever)."""
    seen: dict[Path, str] = {}
    for role, path in paths.items():
        if path is None:
            continue
        if path.exists() and not stat.S_ISREG(path.stat().st_mode):
            raise SyncError(f"{role} {path} is not a regular file; pass a file path")
        real = path.resolve()
        if real in seen:
            raise SyncError(f"{role} and {seen[real]} are the same file ({path}); give each its own path")
        seen[real] = role


@contextmanager
def _exclusive(path: Path, role: str) -> Iterator[None]:
    """Hold an exclusive lock beside `path` for the run; SyncLocked at once when another run holds it."""
    lock_path = path.with_name(f".{path.name}.lock")
    handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncLocked(
                f"another `ats sync` is using the {role} {path}; wait for it to finish (it saves its progress), "
                "or give this run its own --state and --out"
            ) from None
        yield
    finally:
        os.close(handle)  # closing releases the lock; the kernel releases it too if the process dies


def _remove_stale_temp_states(state_path: Path) -> None:
    """Delete temp state files a killed run left behind (only ever called while holding the state's lock)."""
    for temp in state_path.parent.glob(f".{state_path.name}.*.tmp"):
        temp.unlink(missing_ok=True)


@contextmanager
def _writing(path: Path, state: SyncState) -> Iterator[None]:
    """Around one durable write: an OSError (a full disk) becomes a SyncError naming the file and what was kept."""
    try:
        yield
    except OSError as error:
        kept = (
            f"the state keeps the {state.pages:,} page(s) committed before it; free space and rerun to resume"
            if state.pages
            else "nothing was committed yet"
        )
        raise SyncError(f"writing {path} failed ({error.strerror or error}); {kept}") from None


@dataclass(frozen=True)
class _Plan:
    state: SyncState
    resumed: bool
    incremental: bool


def _plan(
    previous: SyncState | None,
    *,
    provider: str,
    entity: str,
    output: Path,
    quarantine: Path | None,
    since: datetime | None,
    lookback_seconds: float,
    state_path: Path,
    now: datetime,
) -> _Plan:
    """Decide where this run starts: resume, an incremental run after a completed one, or a first run."""
    if previous is not None:
        if (previous.provider, previous.entity) != (provider, entity):
            raise SyncError(
                f"state file {state_path} belongs to `{previous.provider}` {previous.entity}, not `{provider}` "
                f"{entity}; pass a --state of its own to each provider and entity"
            )
        if Path(previous.output) != output:
            raise SyncError(
                f"state file {state_path} belongs to the output {previous.output}; pass that --out, "
                "or a new --state to start another output"
            )
    quarantine_name = None if quarantine is None else str(quarantine)
    if previous is not None and previous.status == "running":
        if previous.quarantine != quarantine_name:
            previous = previous.model_copy(
                update={"quarantine": quarantine_name, "quarantine_offset": _size(quarantine)}
            )
        return _Plan(previous, resumed=True, incremental=previous.run > 1)
    updated_after = since
    if previous is not None and previous.next_updated_after is not None:
        updated_after = previous.next_updated_after - timedelta(seconds=lookback_seconds)
    if previous is not None and _size(output) < previous.output_offset:
        raise SyncError(
            f"output {output} is shorter than the state {state_path} recorded: it was changed outside `ats sync`; "
            "pass a new --state and --out to start over"
        )
    state = SyncState(
        provider=provider,
        entity=entity,
        status="running",
        run=1 if previous is None else previous.run + 1,
        output=str(output),
        output_offset=_size(output),
        quarantine=quarantine_name,
        quarantine_offset=_size(quarantine),
        updated_after=updated_after,
        run_started_at=now,
        next_updated_after=None,
    )
    return _Plan(state, resumed=False, incremental=previous is not None)


def _size(path: Path | None) -> int:
    return path.stat().st_size if path is not None and path.exists() else 0


def run_sync(
    fetch_page: PageFetcher,
    *,
    provider: str,
    entity: str,
    output: Path,
    state_path: Path,
    since: datetime | None = None,
    lookback_seconds: float = 0,
    page_size: int | None = None,
    quarantine: Path | None = None,
    on_page: Callable[[SyncProgress], None] | None = None,
    now: Callable[[], datetime] = _utc_now,
) -> SyncResult:
    """Write every page from `fetch_page` to `output`, committing the state after each page.

    `since` filters the first run only; later runs continue from the state file. A page's rejected records
    (`Page.rejected`, under on_invalid="quarantine") go to `quarantine` (JSON Lines) in the same commit.
    An exception from `fetch_page` propagates with the state at the last committed page.
    """
    if entity not in ENTITY_OPERATIONS:
        raise SyncError(f"unknown entity '{entity}'; choose one of {', '.join(ENTITY_OPERATIONS)}")
    output, state_path = output.absolute(), state_path.absolute()
    quarantine = None if quarantine is None else quarantine.absolute()
    _check_paths({"--out": output, "--state": state_path, "--quarantine": quarantine})
    for path in (output, state_path, quarantine):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
    with ExitStack() as locks:
        locks.enter_context(_exclusive(state_path, "state file"))
        locks.enter_context(_exclusive(output, "output"))
        if quarantine is not None:
            locks.enter_context(_exclusive(quarantine, "quarantine file"))
        _remove_stale_temp_states(state_path)
        return _run_locked(
            fetch_page,
            provider=provider,
            entity=entity,
            output=output,
            state_path=state_path,
            since=since,
            lookback_seconds=lookback_seconds,
            page_size=page_size,
            quarantine=quarantine,
            on_page=on_page,
            now=now,
        )


def _run_locked(
    fetch_page: PageFetcher,
    *,
    provider: str,
    entity: str,
    output: Path,
    state_path: Path,
    since: datetime | None,
    lookback_seconds: float,
    page_size: int | None,
    quarantine: Path | None,
    on_page: Callable[[SyncProgress], None] | None,
    now: Callable[[], datetime],
) -> SyncResult:
    """`run_sync` once its files are checked and locked."""
    plan = _plan(
        load_state(state_path),
        provider=provider,
        entity=entity,
        output=output,
        quarantine=quarantine,
        since=since,
        lookback_seconds=lookback_seconds,
        state_path=state_path,
        now=now(),
    )
    state = plan.state
    write_state(state_path, state)
    pages_now = records_now = quarantined_now = 0
    with (
        _open_at(output, state.output_offset, "output", state_path) as out,
        _open_quarantine(quarantine, state.quarantine_offset, state_path) as bad,
    ):
        updated_after = state.updated_after
        for page in iter_pages(lambda cursor: fetch_page(updated_after, cursor, page_size), state.cursor):
            refused = page.rejected
            if refused and bad is None:
                raise SyncError("the provider quarantined records but no quarantine file was given; pass --quarantine")
            finished = page.next_cursor is None
            previous = state
            with _writing(output, previous):
                output_offset = _durable_write(out, b"".join(_record_line(record) for record in page.items))
            quarantine_offset = state.quarantine_offset
            if refused and bad is not None and quarantine is not None:
                with _writing(quarantine, previous):
                    quarantine_offset = _durable_write(bad, b"".join(_json_line(r.to_json_dict()) for r in refused))
            pages_now, records_now, quarantined_now = (
                pages_now + 1,
                records_now + len(page.items),
                quarantined_now + len(refused),
            )
            state = state.model_copy(
                update={
                    "cursor": page.next_cursor,
                    "output_offset": output_offset,
                    "quarantine_offset": quarantine_offset,
                    "pages": state.pages + 1,
                    "records": state.records + len(page.items),
                    "quarantined": state.quarantined + len(refused),
                }
            )
            if finished:
                completed = now()
                state = state.model_copy(
                    update={"status": "complete", "completed_at": completed, "next_updated_after": state.run_started_at}
                )
            with _writing(state_path, previous):
                write_state(state_path, state)
            if on_page is not None:
                on_page(SyncProgress(state.pages, state.records, state.quarantined))
    return SyncResult(state, plan.resumed, plan.incremental, pages_now, records_now, quarantined_now)


def _record_line(record: Record) -> bytes:
    return _json_line(record.model_dump(mode="json"))


def _open_quarantine(path: Path | None, offset: int, state_path: Path) -> AbstractContextManager[IO[bytes] | None]:
    if path is None:
        return nullcontext()
    return _open_at(path, offset, "quarantine file", state_path)
