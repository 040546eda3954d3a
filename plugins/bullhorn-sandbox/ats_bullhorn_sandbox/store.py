"""The live tenant: seeded base records plus an overlay of everything written since, with reads, scans
and writes that publish events.

Base records are generated on demand (`TenantData`); the overlay holds created records, field patches of
seeded ones and hard deletions, so memory grows with writes, not with the tenant's size.
"""

from __future__ import annotations

import heapq
import itertools
import random
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ats_bullhorn_sandbox.auth import ApiUser, AuthState, OAuthClient
from ats_bullhorn_sandbox.clock import Clock, epoch_ms, system_clock
from ats_bullhorn_sandbox.errors import BullhornError
from ats_bullhorn_sandbox.events import EventHub
from ats_bullhorn_sandbox.faults import FaultConfig, parse_faults
from ats_bullhorn_sandbox.predicates import (
    And,
    Compare,
    Custom,
    InList,
    Not,
    Or,
    Predicate,
    compare_values,
    evaluate,
)
from ats_bullhorn_sandbox.schema import EntitySpec, build_schema
from ats_bullhorn_sandbox.seed_data import DELETED_SHARE, USERS, TenantData
from ats_bullhorn_sandbox.seeded import mix, quick_hash, seeded_uuid
from ats_core.sandbox import SandboxOptions

__all__ = ["MAX_SORTED_SCAN", "SandboxState", "StoredFile"]

MAX_SORTED_SCAN = 50_000
_ORDERED_BY_INDEX = frozenset({"id", "dateLastModified"})
IndexSet = range | list[int]


@dataclass(frozen=True)
class StoredFile:
    """A file attachment's content as uploaded (or the seeded resume)."""

    name: str
    content_type: str
    content: bytes


# (entity, to-many field) -> (target entity, to-one field on the target pointing back)
BACK_REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("Candidate", "submissions"): ("JobSubmission", "candidate"),
    ("Candidate", "notes"): ("Note", "personReference"),
    ("Candidate", "fileAttachments"): ("CandidateFileAttachment", "candidate"),
    ("JobOrder", "submissions"): ("JobSubmission", "jobOrder"),
    ("ClientCorporation", "clientContacts"): ("ClientContact", "clientCorporation"),
    ("Note", "entities"): ("NoteEntity", "note"),
}


class RowView:
    """One record as predicates see it: cheap seeded fields without building the record, else the record."""

    __slots__ = ("_record", "entity", "index", "record_id", "state")

    def __init__(self, state: SandboxState, entity: str, record_id: int, index: int | None) -> None:
        self.state, self.entity, self.record_id, self.index = state, entity, record_id, index
        self._record: dict[str, Any] | None = None

    @property
    def record(self) -> dict[str, Any]:
        if self._record is None:
            self._record = self.state.get(self.entity, self.record_id) or {}
        return self._record

    def value(self, path: tuple[str, ...]) -> Any:
        if self.index is not None:
            getter = self.state.cheap_getter(self.entity, path)
            if getter is not None:
                return getter(self.index)
        return self.state.resolve(self.entity, self.record, path)

    def to_many_ids(self, field: str) -> list[int]:
        return self.state.to_many(self.entity, self.record_id, field)


class SandboxState:
    """Everything one sandbox tenant knows; guard every use with `lock`."""

    def __init__(self, options: SandboxOptions, clock: Clock | None = None) -> None:
        self.options = options
        self.clock: Clock = clock or system_clock
        self.faults: FaultConfig = parse_faults(options.faults)
        self.schema = build_schema(self.faults)
        self.data = TenantData(
            options.seed, options.size, self.schema, self.faults.submission_statuses, self.faults.note_actions
        )
        self.lock = threading.RLock()
        self.corporation_id = 10_000 + options.seed % 90_000
        self.corporation_name = "Sandbox Staffing"
        api_username = USERS[0][2]
        self.api_user = ApiUser(self.data.spaces["CorporateUser"].id_of(0), api_username, _password(options.seed))
        self.oauth_client = OAuthClient(
            seeded_uuid(options.seed, 91), _secret(options.seed), "https://sandbox.invalid/bullhorn/callback"
        )
        self.auth = AuthState(
            self.clock,
            self.api_user,
            self.oauth_client,
            code_ttl=self.faults.auth_code_ttl,
            access_ttl=self.faults.access_token_ttl,
            session_ttl=self.faults.session_ttl,
        )
        self.events = EventHub(self.corporation_id, self.faults.max_subscriptions, self.faults.event_ttl_days)
        self.created: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
        self.patches: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
        self.removed: dict[str, set[int]] = defaultdict(set)
        self.references: dict[tuple[str, str, int], set[int]] = defaultdict(set)
        self.files: dict[int, StoredFile] = {}
        self.next_id = {name: space.end_id for name, space in self.data.spaces.items()}
        self.fault_rng = random.Random(mix(options.seed, 92))
        self.api_requests = 0
        self.page_requests = 0
        self.injected: Counter[str] = Counter()
        self.writes: Counter[str] = Counter()
        self._base_record = lru_cache(maxsize=2048)(self.data.record)
        self._getters: dict[tuple[str, tuple[str, ...]], Callable[[int], Any] | None] = {}

    # reads ----------------------------------------------------------------------------------------
    def spec(self, entity: str) -> EntitySpec:
        return self.schema[entity]

    def base_index(self, entity: str, record_id: int) -> int | None:
        if record_id in self.removed[entity] or record_id in self.created[entity]:
            return None
        return self.data.spaces[entity].index_of(record_id)

    def get(self, entity: str, record_id: int) -> dict[str, Any] | None:
        """The stored record (a copy), or None when it does not exist (hard-deleted ones do not)."""
        if record_id in self.removed[entity]:
            return None
        created = self.created[entity].get(record_id)
        if created is not None:
            return _copy(created)
        index = self.data.spaces[entity].index_of(record_id)
        if index is None:
            return None
        record = _copy(self._base_record(entity, index))
        patch = self.patches[entity].get(record_id)
        if patch:
            record.update(_copy(patch))
        return record

    def exists(self, entity: str, record_id: int) -> bool:
        if record_id in self.removed[entity]:
            return False
        return record_id in self.created[entity] or self.data.spaces[entity].index_of(record_id) is not None

    def resolve(self, entity: str, record: dict[str, Any], path: tuple[str, ...]) -> Any:
        """The value at a dotted path: through to-one references (loading the target) and composites."""
        value: Any = record.get(path[0])
        spec = self.schema[entity].get(path[0])
        for name in path[1:]:
            if value is None or spec is None:
                return None
            if spec.kind == "TO_ONE" and spec.target is not None:
                target_entity = spec.target
                if name == "id":
                    value = value.get("id")
                    spec = None
                    continue
                target = self.get(target_entity, int(value["id"]))
                value = None if target is None else target.get(name)
                spec = self.schema[target_entity].get(name)
            else:
                value = value.get(name) if isinstance(value, dict) else None
                spec = None
        return value

    def cheap_getter(self, entity: str, path: tuple[str, ...]) -> Callable[[int], Any] | None:
        """How to read `path` of a seeded, unpatched record from its index without building it, if cheap."""
        key = (entity, path)
        if key not in self._getters:
            self._getters[key] = self._make_getter(entity, ".".join(path))
        return self._getters[key]

    def _make_getter(self, entity: str, key: str) -> Callable[[int], Any] | None:
        data = self.data
        space = data.spaces[entity]
        fields = self.schema[entity].by_name
        candidates, jobs, notes = (data.spaces[name] for name in ("Candidate", "JobOrder", "Note"))
        getters: dict[str, Callable[[int], Any]] = {"id": space.id_of}
        if "dateLastModified" in fields:
            getters["dateLastModified"] = space.modified
        share = DELETED_SHARE.get(entity)
        if "isDeleted" in fields and share is not None:
            salt, threshold = space.salt(13), share * 0x100000000
            getters["isDeleted"] = lambda index: quick_hash(salt, index) < threshold
        if entity == "Candidate":
            getters.update(
                firstName=lambda index: data.candidate_name(index)[0],
                lastName=lambda index: data.candidate_name(index)[1],
                name=lambda index: " ".join(data.candidate_name(index)),
                email=data.candidate_email,
                phone=data.candidate_phone,
                mobile=data.candidate_mobile,
            )
        elif entity == "JobSubmission":
            getters["candidate.id"] = lambda index: candidates.id_of(data.submission_candidate(index))
            getters["jobOrder.id"] = lambda index: jobs.id_of(data.submission_job(index))
        elif entity == "Note":
            getters["personReference.id"] = lambda index: candidates.id_of(data.note_candidate(index))
        elif entity == "NoteEntity":
            getters["note.id"] = lambda index: notes.id_of(index // 2)
        return getters.get(key)

    def compile(self, entity: str, predicate: Predicate) -> Callable[[int], bool]:
        """`predicate` as a test on a seeded, unpatched record's index, reading cheap fields directly."""
        space = self.data.spaces[entity]
        if isinstance(predicate, And):
            parts = [self.compile(entity, item) for item in predicate.items]
            return lambda index: all(part(index) for part in parts)
        if isinstance(predicate, Or):
            options = [self.compile(entity, item) for item in predicate.items]
            return lambda index: any(option(index) for option in options)
        if isinstance(predicate, Not):
            inner = self.compile(entity, predicate.item)
            return lambda index: not inner(index)
        getter = self.cheap_getter(entity, predicate.path) if isinstance(predicate, Compare | Custom) else None
        if getter is not None and isinstance(predicate, Compare):
            op, value = predicate.op, predicate.value
            if op == "=" and isinstance(value, bool | int) and not isinstance(value, float):
                return lambda index: getter(index) == value
            return lambda index: compare_values(getter(index), op, value)
        if getter is not None and isinstance(predicate, Custom):
            test = predicate.test
            return lambda index: test(getter(index))
        return lambda index: evaluate(predicate, RowView(self, entity, space.id_of(index), index))

    def to_many(self, entity: str, record_id: int, field: str) -> list[int]:
        """Ids of a to-many association, soft-deleted ones included, in id order."""
        if (entity, field) == ("Note", "candidates"):
            candidates = []
            for link_id in self.to_many("Note", record_id, "entities"):
                link = self.get("NoteEntity", link_id) or {}
                target = link.get("targetEntityID")
                if link.get("targetEntityName") == "User" and target and self.exists("Candidate", int(target)):
                    candidates.append(int(target))
            return sorted(set(candidates))
        target, back = BACK_REFERENCES[(entity, field)]
        ids: set[int] = set()
        index = self.base_index(entity, record_id)
        if index is not None:
            target_space = self.data.spaces[target]
            for target_index in self._seeded_links(entity, field, index):
                target_id = target_space.id_of(target_index)
                if target_id in self.removed[target] or target_space.index_of(target_id) is None:
                    continue
                patch = self.patches[target].get(target_id)
                if patch and back in patch and (patch[back] or {}).get("id") != record_id:
                    continue
                ids.add(target_id)
        ids.update(i for i in self.references.get((target, back, record_id), ()) if i not in self.removed[target])
        return sorted(ids)

    def _seeded_links(self, entity: str, field: str, index: int) -> Iterable[int]:
        data = self.data
        if (entity, field) == ("Candidate", "submissions"):
            return data.candidate_submissions(index)
        if (entity, field) == ("Candidate", "notes"):
            return data.candidate_notes(index)
        if (entity, field) == ("Candidate", "fileAttachments"):
            return [index] if data.has_resume(index) else []
        if (entity, field) == ("JobOrder", "submissions"):
            return data.job_submissions(index)
        if (entity, field) == ("ClientCorporation", "clientContacts"):
            return data.corporation_contacts(index)
        return [2 * index] + ([2 * index + 1] if data.note_job(index) is not None else [])

    # scans ----------------------------------------------------------------------------------------
    def select(self, entity: str, predicate: Predicate | None, order: Sequence[tuple[str, bool]]) -> Iterator[int]:
        """Ids of the records matching `predicate`, in `order` ((field, descending) pairs; default: id)."""
        order = list(order) or [("id", False)]
        if all(name in _ORDERED_BY_INDEX for name, _desc in order):
            return self._select_by_index(entity, predicate, order)
        ids = list(itertools.islice(self._select_by_index(entity, predicate, [("id", False)]), MAX_SORTED_SCAN + 1))
        if len(ids) > MAX_SORTED_SCAN:
            raise BullhornError.bad_request(
                f"The sandbox sorts by {order[0][0]} only up to {MAX_SORTED_SCAN} matches; narrow the query "
                "or sort by id or dateLastModified.",
                "errors.sandboxSortLimit",
            )
        records = {record_id: self.get(entity, record_id) or {} for record_id in ids}
        for name, descending in reversed(order):
            path = tuple(name.split("."))
            ids.sort(
                key=lambda record_id: _sort_key(self.resolve(entity, records[record_id], path)), reverse=descending
            )
        return iter(ids)

    def _select_by_index(
        self, entity: str, predicate: Predicate | None, order: list[tuple[str, bool]]
    ) -> Iterator[int]:
        space = self.data.spaces[entity]
        descending = order[0][1]
        narrowed = self._narrow(entity, predicate)
        indexes: IndexSet = narrowed if narrowed is not None else range(space.count)
        overlaid = self.created[entity].keys() | self.patches[entity].keys() | self.removed[entity]
        has_modified = "dateLastModified" in self.schema[entity].by_name

        def base_key(index: int) -> tuple[Any, ...]:
            return tuple(
                _signed(
                    space.modified(index) if name == "dateLastModified" and has_modified else space.id_of(index), desc
                )
                for name, desc in order
            )

        test = None if predicate is None else self.compile(entity, predicate)
        exists, first_id = space.exists, space.first_id

        def base_ids() -> Iterator[int]:
            for index in reversed(indexes) if descending else indexes:
                if exists is not None and not exists(index):
                    continue
                if first_id + index in overlaid:
                    continue
                if test is None or test(index):
                    yield first_id + index

        overlay: list[tuple[tuple[Any, ...], int]] = []
        for record_id in (self.created[entity].keys() | self.patches[entity].keys()) - self.removed[entity]:
            row = RowView(self, entity, record_id, None)
            if predicate is None or evaluate(predicate, row):
                record = row.record
                key = tuple(_signed(record.get(name) or 0, desc) for name, desc in order)
                overlay.append((key, record_id))
        if not overlay:
            return base_ids()
        overlay.sort()
        keyed_base = ((base_key(space.index_of(record_id) or 0), record_id) for record_id in base_ids())
        return (record_id for _key, record_id in heapq.merge(keyed_base, overlay))

    def _narrow(self, entity: str, predicate: Predicate | None) -> IndexSet | None:
        """Base indexes that can match, from id / dateLastModified / email / phone / parent-id terms."""
        if predicate is None:
            return None
        if isinstance(predicate, And):
            result: IndexSet | None = None
            for item in predicate.items:
                narrowed = self._narrow(entity, item)
                if narrowed is not None:
                    result = narrowed if result is None else _intersect(result, narrowed)
            return result
        if isinstance(predicate, Or):
            parts = [self._narrow(entity, item) for item in predicate.items]
            if any(part is None for part in parts):
                return None
            return sorted(set(itertools.chain.from_iterable(parts)))  # type: ignore[arg-type]
        space = self.data.spaces[entity]
        data = self.data
        if isinstance(predicate, InList) and predicate.path == ("id",) and not predicate.negated:
            found = (space.index_of(int(v)) for v in predicate.values if isinstance(v, int | float))
            return sorted({index for index in found if index is not None})
        if isinstance(predicate, Compare) and isinstance(predicate.value, int | float):
            value = predicate.value
            if predicate.path == ("id",):
                return _bounds(predicate.op, int(value) - space.first_id, space.count)
            if predicate.path == ("dateLastModified",) and "dateLastModified" in self.schema[entity].by_name:
                above, at_or_above = space.first_index_after(value), space.first_index_at_or_after(value)
                return {
                    ">": range(above, space.count),
                    ">=": range(at_or_above, space.count),
                    "<": range(0, at_or_above),
                    "<=": range(0, above),
                    "=": range(at_or_above, above),
                }.get(predicate.op)
            if predicate.op == "=":
                return self._narrow_by_parent(entity, predicate.path, int(value))
        if isinstance(predicate, Custom) and entity == "Candidate":
            if predicate.hint is not None and predicate.hint[0] == "email" and predicate.path == ("email",):
                return data.candidates_by_email(predicate.hint[1])
            if predicate.hint is not None and predicate.hint[0] == "phone":
                return sorted(data.candidates_by_phone(predicate.hint[1]))
        return None

    def _narrow_by_parent(self, entity: str, path: tuple[str, ...], parent_id: int) -> IndexSet | None:
        data = self.data
        key = ".".join(path)
        if entity == "JobSubmission" and key == "candidate.id":
            index = data.spaces["Candidate"].index_of(parent_id)
            return [] if index is None else data.candidate_submissions(index)
        if entity == "JobSubmission" and key == "jobOrder.id":
            index = data.spaces["JobOrder"].index_of(parent_id)
            return [] if index is None else data.job_submissions(index)
        if entity == "Note" and key == "personReference.id":
            index = data.spaces["Candidate"].index_of(parent_id)
            return [] if index is None else data.candidate_notes(index)
        if entity == "NoteEntity" and key == "note.id":
            index = data.spaces["Note"].index_of(parent_id)
            return [] if index is None else [2 * index, 2 * index + 1]
        return None

    # writes ---------------------------------------------------------------------------------------
    def now_ms(self) -> int:
        return epoch_ms(self.clock())

    def new_id(self, entity: str) -> int:
        record_id = self.next_id[entity]
        self.next_id[entity] += 1
        return record_id

    def insert(self, entity: str, values: dict[str, Any], actor: int | None = None) -> int:
        """Store a new record built from validated `values`; publishes INSERTED."""
        spec = self.schema[entity]
        record_id = self.new_id(entity)
        now = self.now_ms()
        record: dict[str, Any] = {field.name: None for field in spec.fields if field.kind != "TO_MANY"}
        record.update(_copy(values))
        record["id"] = record_id
        for name in ("dateAdded", "dateLastModified"):
            if name in record:
                record[name] = values.get(name) if name == "dateAdded" and values.get(name) else now
        if "isDeleted" in record and record["isDeleted"] is None:
            record["isDeleted"] = False
        self.created[entity][record_id] = record
        self._index_references(entity, record_id, record)
        self.writes[f"{entity}.insert"] += 1
        self.events.publish(entity, record_id, "INSERTED", now, actor or self.api_user.user_id)
        return record_id

    def update(self, entity: str, record_id: int, values: dict[str, Any], actor: int | None = None) -> list[str]:
        """Apply validated field changes; publishes UPDATED naming the changed properties."""
        current = self.get(entity, record_id)
        if current is None:
            raise KeyError(record_id)
        changed = sorted(name for name, value in values.items() if current.get(name) != value)
        now = self.now_ms()
        stamped = dict(values)
        if "dateLastModified" in current:
            stamped["dateLastModified"] = now
        if record_id in self.created[entity]:
            self.created[entity][record_id].update(_copy(stamped))
        else:
            self.patches[entity].setdefault(record_id, {}).update(_copy(stamped))
        self._index_references(entity, record_id, values)
        self.writes[f"{entity}.update"] += 1
        self.events.publish(entity, record_id, "UPDATED", now, actor or self.api_user.user_id, changed)
        return changed

    def remove(self, entity: str, record_id: int, actor: int | None = None) -> None:
        """Hard-delete a record; publishes DELETED."""
        self.removed[entity].add(record_id)
        self.created[entity].pop(record_id, None)
        self.patches[entity].pop(record_id, None)
        self.writes[f"{entity}.delete"] += 1
        self.events.publish(entity, record_id, "DELETED", self.now_ms(), actor or self.api_user.user_id)

    def _index_references(self, entity: str, record_id: int, values: dict[str, Any]) -> None:
        for (_owner, _field), (target, back) in BACK_REFERENCES.items():
            if target == entity and back in values:
                for key, members in self.references.items():
                    if key[0] == target and key[1] == back:
                        members.discard(record_id)
                reference = values[back]
                if isinstance(reference, dict) and reference.get("id") is not None:
                    self.references[(target, back, int(reference["id"]))].add(record_id)

    # helpers for tests and faults -----------------------------------------------------------------
    def touch(self, entity: str, record_id: int, **changes: Any) -> list[str]:
        """Change a record as a Bullhorn user would (publishing UPDATED); with no changes, bump comments."""
        with self.lock:
            if not changes:
                field = "comments" if "comments" in self.schema[entity].by_name else "customText20"
                changes = {field: f"touched by the sandbox at {self.now_ms()}"}
            return self.update(entity, record_id, changes)

    def delete(self, entity: str, record_id: int) -> None:
        """Delete a record as a Bullhorn user would: soft (isDeleted, UPDATED) or hard (DELETED)."""
        with self.lock:
            if self.schema[entity].deletion == "hard":
                self.remove(entity, record_id)
            else:
                self.update(entity, record_id, {"isDeleted": True})

    def roll(self, rate: float) -> bool:
        """A seeded coin flip that is true with probability `rate`."""
        return rate > 0 and self.fault_rng.random() < rate

    def mutate_while_paging(self) -> None:
        """The mutate_every fault: before serving a page, update one seeded candidate."""
        self.page_requests += 1
        every = self.faults.mutate_every
        if every and self.page_requests % every == 0:
            index = self.fault_rng.randrange(self.data.spaces["Candidate"].count)
            record_id = self.data.spaces["Candidate"].id_of(index)
            if self.exists("Candidate", record_id):
                self.update("Candidate", record_id, {"comments": f"changed while paging ({self.page_requests})"})
                self.injected["mutated"] += 1

    def file_content(self, attachment_id: int) -> StoredFile | None:
        stored = self.files.get(attachment_id)
        if stored is not None:
            return stored
        index = self.data.spaces["CandidateFileAttachment"].index_of(attachment_id)
        if index is None:
            return None
        record = self.get("CandidateFileAttachment", attachment_id) or {}
        return StoredFile(str(record.get("name")), "application/pdf", self.data.resume_pdf(index))

    def stats(self) -> dict[str, Any]:
        """Counters for tests: requests, injected faults, writes, auth and events."""
        with self.lock:
            return {
                "api_requests": self.api_requests,
                "page_requests": self.page_requests,
                "injected": dict(self.injected),
                "writes": dict(self.writes),
                "auth": dict(self.auth.counts),
                "sessions": len(self.auth.sessions),
                "events_published": self.events.published,
                "subscriptions": {
                    name: len(subscription.pending) for name, subscription in self.events.subscriptions.items()
                },
            }


def _copy(record: dict[str, Any]) -> dict[str, Any]:
    return {key: dict(value) if isinstance(value, dict) else value for key, value in record.items()}


def _signed(value: Any, descending: bool) -> Any:
    return -value if descending and isinstance(value, int | float) else value


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, dict):
        value = value.get("id")
    return (1, value.casefold() if isinstance(value, str) else value)


def _bounds(op: str, index: int, count: int) -> IndexSet | None:
    if op == "=":
        return range(index, index + 1) if 0 <= index < count else []
    low, high = {
        ">": (index + 1, count),
        ">=": (index, count),
        "<": (0, index),
        "<=": (0, index + 1),
    }.get(op, (0, count))
    return range(max(0, low), max(0, min(count, high)))


def _intersect(left: IndexSet, right: IndexSet) -> IndexSet:
    if isinstance(left, range) and isinstance(right, range) and left.step == 1 and right.step == 1:
        return range(max(left.start, right.start), max(max(left.start, right.start), min(left.stop, right.stop)))
    small, other = (left, right) if len(left) <= len(right) else (right, left)
    members = other if isinstance(other, range) else set(other)
    return [index for index in small if index in members]


def _password(seed: int) -> str:
    return f"Sandbox-{mix(seed, 93) % 10**8:08d}!"


def _secret(seed: int) -> str:
    return f"{mix(seed, 94):016x}{mix(seed, 95):016x}"
