"""`ProviderConformance`: the tests every provider gets for free, generated from its manifest."""

from __future__ import annotations

import importlib.metadata
import inspect
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, TypeVar

import pytest

from ats_core.client import ATSClient
from ats_core.errors import AuthenticationFailed, CapabilityNotSupported, ConfigurationError, InvalidInput, NotFound
from ats_core.fields import MappingTable
from ats_core.manifest import FilterDeclaration, OperationStatus, ProviderManifest
from ats_core.models import (
    Application,
    BulkRejectResult,
    ChangeEventBatch,
    ChangeSubscription,
    CustomFieldValue,
    Record,
    Resume,
)
from ats_core.operations import ENTITY_MODELS, OPERATION_NAMES, Entity, ReturnKind, record_stream_of
from ats_core.operations import operation as catalog_entry
from ats_core.provider import Provider
from ats_core.registry import PROVIDER_GROUP, hookimpl_names, validate_provider_class
from ats_core.testing.effects import (
    application_problems,
    attachment_problems,
    bulk_problems,
    dropped_and_differing,
    note_problems,
)
from ats_core.testing.mappings import mapping_problems
from ats_core.testing.reading import (
    INCREMENTAL_STREAMS,
    PAGE_STREAMS,
    RECORD_STREAMS,
    model_of,
    read_pages,
    read_records,
    streams_of,
)
from ats_core.testing.writes import (
    CHANGE_FEEDS,
    LISTS,
    LOOKUPS,
    MARKER,
    PASSTHROUGHS,
    PLACEHOLDER_ID,
    SEARCHES,
    WRITES,
    WriteTargets,
    default_write_value,
    invalid_variants,
)

__all__ = ["ProviderConformance", "WriteTargets"]

TestT = TypeVar("TestT", bound=Callable[..., None])
Selector = Callable[[ProviderManifest], Sequence[str]]
_PARAMETRIZE = "_ats_conformance_parametrize"
_LONG_AGO = datetime(1970, 1, 1, tzinfo=UTC)


def _over(parameter: str, selector: Selector, what: str) -> Callable[[TestT], TestT]:
    """Parametrize a test over the operations (or entities) `selector` picks from the manifest."""

    def mark(test: TestT) -> TestT:
        setattr(test, _PARAMETRIZE, (parameter, selector, what))
        return test

    return mark


def _implemented(names: Sequence[str]) -> Selector:
    return lambda manifest: [name for name in names if manifest.status_of(name).implemented]


def _not_implemented(manifest: ProviderManifest) -> Sequence[str]:
    return [name for name in OPERATION_NAMES if not manifest.status_of(name).implemented]


def _mapping_tables(manifest: ProviderManifest) -> Sequence[str]:
    """Mapping tables read by an implemented operation."""
    return [t.name for t in manifest.field_mappings if any(manifest.status_of(n).implemented for n in t.read_by)]


def _filtered_streams(manifest: ProviderManifest) -> Sequence[str]:
    """Implemented streams whose declaration lists filters (statuses, for_job_ids...)."""
    names = _implemented(RECORD_STREAMS + PAGE_STREAMS)(manifest)
    return [name for name in names if _filters_of(manifest, name)]


def _filters_of(manifest: ProviderManifest, operation_name: str) -> Mapping[str, FilterDeclaration]:
    entity = catalog_entry(operation_name).entity
    declared = None if entity is None else manifest.stream(entity)
    parameters = catalog_entry(operation_name).parameters
    return {} if declared is None else {k: v for k, v in declared.filters.items() if k in parameters}


def _lookback(client: ATSClient, operation_name: str) -> timedelta:
    entity = catalog_entry(operation_name).entity
    declared = None if entity is None else client.manifest.stream(entity)
    return timedelta(seconds=0 if declared is None else client.provider.lookback_for(declared))


def _dummy_arguments(operation_name: str) -> dict[str, Any]:
    """Arguments that pass the client's own checks, for calls that must never reach a hook."""
    entry = catalog_entry(operation_name)
    dummies: dict[str, Any] = {"application_ids": [PLACEHOLDER_ID], "updates": {}}
    dummies.update(dict.fromkeys(entry.options.one_of[:1], PLACEHOLDER_ID))
    return {p.name: dummies.get(p.name, None if p.optional else PLACEHOLDER_ID) for p in entry.signature}


def _record_problems(operation: str, expected: Record, found: Record, ignored: frozenset[str], what: str) -> str:
    """'' when `found` equals `expected` field by field (remote_data included) outside `ignored`; else the field
    names it drops and those that differ (names only: values may be PII)."""
    dropped, differing = dropped_and_differing(expected, found, ignored)
    parts = [f"drops fields {what} sets: {dropped}"] if dropped else []
    parts += [f"fields differ from {what}: {differing}"] if differing else []
    return f"{operation}: {'; '.join(parts)} (or list them in lookup_ignored_fields)" if parts else ""


def _bypass_problem(manifest: ProviderManifest, key: str, reason: str) -> str | None:
    """Why a bypass may not apply: it names no operation declared `basic`, or does not quote the declared reason."""
    item = key.partition("[")[2].removesuffix("]")
    operations = [item] if item in manifest.operations else list(_table_operations(manifest, item))
    basic = [name for name in operations if manifest.status_of(name) is OperationStatus.BASIC]
    if not basic:
        return f"{key}: a bypass is allowed only for an operation declared 'basic'; {item} is not"
    if not any(manifest.operations[name].reason in reason for name in basic):
        return f"{key}: the bypass reason must quote the declared reason of {basic[0]} ('basic')"
    return None


def _mapping_keys(table: MappingTable) -> set[str]:
    """'table: target <- path' of each mapping, as `unexercised_mappings` and failures name them."""
    keys = {f"{table.name}: {m.canonical} <- {m.remote}" for m in table.fields}
    return keys | {f"{table.name}: extensions.{x.name} <- {x.remote}" for x in table.extensions}


def _table_operations(manifest: ProviderManifest, table: str) -> Sequence[str]:
    return next((t.read_by for t in manifest.field_mappings if t.name == table), ())


def _missing_updates(values: object, updates: Mapping[str, Any]) -> list[str]:
    """Custom field ids from `updates` absent from `values` or holding another value."""
    assert isinstance(values, list) and all(isinstance(v, CustomFieldValue) for v in values), (
        f"expected a list of CustomFieldValue, got {type(values).__name__}"
    )
    stored = {v.definition_id: v.value for v in values}
    return sorted(key for key, value in updates.items() if key not in stored or stored[key] != value)


class ProviderConformance:
    """Subclass this in a provider's tests to run the conformance suite generated from its manifest.

    Required:
      provider = "name"            the provider's name (its entry point in group `ats_core.providers`).
      a `client` fixture           yielding a connected `ATSClient` (sandbox, recorded fixtures or in memory);
                                   function scope keeps writes from leaking into reads.
    Optional class attributes:
      provider_class               the Provider class, when it is not installed as an entry point.
      page_size = 5                page size for page-level streams (small, to get several pages).
      max_records = 1000           streams longer than this skip the tests that need the whole set.
      empty_streams = {}           {operation: reason} for streams the fixtures legitimately leave empty.
      empty_lists = {}             {operation: reason} for lists, resumes or custom field values the fixtures
                                   legitimately leave empty (else an empty answer fails).
      lookup_ignored_fields        fields a lookup by id (or a write's read path) may legitimately return unlike
                                   the stream (or the write's answer), `remote_data` included.
      unexercised_mappings = {}    {"table: target <- path": reason} for field mappings no fixture record fills
                                   (each other mapping must be filled in some record and produce its target).
      bypass = {}                  {"test_name[operation]": reason} for generated tests a declared limit
                                   (a `basic` status) makes fail; they skip with the reason. Keys are checked:
                                   each names a generated test of an operation declared `basic` and quotes
                                   its declared reason, else the bypass does not apply and is a failure.
    Optional hooks (methods):
      unknown_id(operation)        an id that does not exist (default: a string no ATS issues).
      sample_candidate_details(client)   details (first_name/last_name/email/phone) of a candidate that exists
                                   and the remote id it must find; default: taken from the candidate stream.
      write_targets(client)        a `WriteTargets` of records the suite may write to; None skips writes.
      write_value(client, operation, parameter)  a value for a write parameter (stage, reason_id, updates,...).
      read_back(client, operation, written)      what the provider's read path shows of a write; the default
                                   reads applications and job custom fields back through the catalog.
      request_count(client)        requests sent so far; lets invalid-input tests prove none was sent
                                   (without it they still check the refusal, then skip saying so).
      incremental_baseline(client, operation)   the records whose updated_at the incremental checks pick
                                   updated_after points from; default: the whole stream. Override when full
                                   reads carry no updated_at but an incremental read from long ago does.
    A test that cannot run for a provider skips with a reason naming what to declare or define.
    """

    provider: ClassVar[str]
    provider_class: ClassVar[type[Provider] | None] = None
    page_size: ClassVar[int] = 5
    max_records: ClassVar[int] = 1000
    empty_streams: ClassVar[Mapping[str, str]] = {}
    empty_lists: ClassVar[Mapping[str, str]] = {}
    unexercised_mappings: ClassVar[Mapping[str, str]] = {}
    lookup_ignored_fields: ClassVar[frozenset[str]] = frozenset()
    bypass: ClassVar[Mapping[str, str]] = {}

    pytestmark: ClassVar[list[pytest.MarkDecorator]] = [pytest.mark.ats_conformance]

    # --- hooks a provider's test module may override ----------------------------------------------

    def unknown_id(self, operation_name: str) -> str:
        """An id no record has; override when the ATS only accepts ids of a certain shape (e.g. numbers)."""
        return "ats-conformance-no-such-record"

    def sample_candidate_details(self, client: ATSClient) -> tuple[Mapping[str, str], str] | None:
        """(details, remote id) of a candidate `find_candidates_by_details` must find; None skips the search test."""
        for candidate in self._sample_records(client, "Candidate"):
            details = {
                key: value
                for key in ("first_name", "last_name", "email")
                if isinstance(value := getattr(candidate, key, None), str) and value
            }
            if details:
                return details, candidate.remote_id
        return None

    def write_targets(self, client: ATSClient) -> WriteTargets | None:
        """Records the suite may write to; the default None skips every write test with a reason."""
        return None

    def write_value(self, client: ATSClient, operation_name: str, parameter: str) -> Any:
        """A value for a write parameter that is not a target id; None skips the write with a reason."""
        if parameter == "stage" and client.supports("get_all_application_stages"):
            current = self._current_stage(client)
            stages = [s for s in client.get_all_application_stages() if current not in (s.remote_id, s.name)]
            return stages[0].remote_id if stages else None
        if parameter == "reason_id" and client.supports("get_disposition_reasons"):
            reasons = client.get_disposition_reasons()
            return reasons[0].remote_id if reasons else None
        return default_write_value(parameter)

    def _current_stage(self, client: ATSClient) -> str | None:
        """The stage of the application the suite moves, so that it moves it to another one."""
        targets = self.write_targets(client)
        if targets is None or targets.application_id is None:
            return None
        if not client.supports("get_application_by_application_id"):
            return None
        return client.get_application_by_application_id(targets.application_id).stage

    def read_back(self, client: ATSClient, operation_name: str, written: Any) -> Any:
        """The written thing as the write's declared read path (`read_back` in the catalog) shows it."""
        reader = catalog_entry(operation_name).read_back
        if reader is None or not client.supports(reader.name):
            path = "none is declared" if reader is None else f"{reader.name} is not implemented"
            pytest.skip(f"{operation_name}: no read path to confirm the write ({path}); define read_back()")
        ((parameter, entity),) = reader.ids.items()
        found = getattr(client, reader.name)(**{parameter: self._read_back_id(client, written, entity)})
        if isinstance(written, Record) and isinstance(found, list):
            return next((item for item in found if getattr(item, "remote_id", None) == written.remote_id), None)
        return found

    def _read_back_id(self, client: ATSClient, written: Any, entity: Entity) -> str:
        """The id of the `entity` record a write touched: the written record's own, the one it names, or the target."""
        if isinstance(written, ENTITY_MODELS[entity]):
            return written.remote_id
        named = getattr(written, f"{entity.value}_id", None)
        if isinstance(named, str) and named:
            return named
        targets = self.write_targets(client)
        target = None if targets is None else targets.for_parameter(f"{entity.value}_id")
        assert isinstance(target, str), f"no {entity.value} id to read the write back with"
        return target

    def request_count(self, client: ATSClient) -> int | None:
        """How many requests the provider has sent; None when the test setup cannot tell."""
        return None

    def incremental_baseline(self, client: ATSClient, operation_name: str) -> list[Record]:
        """Every record of an incremental stream, with the updated_at the incremental checks pivot on."""
        return self._nonempty(client, operation_name)

    # --- parametrization from the manifest -------------------------------------------------------

    @classmethod
    def declared_manifest(cls) -> ProviderManifest:
        """The manifest to generate tests from: `provider_class`'s, or the installed entry point's (unchecked)."""
        if cls.provider_class is not None:
            return cls.provider_class.manifest
        found = importlib.metadata.entry_points(group=PROVIDER_GROUP, name=cls.provider)
        if not found:
            raise LookupError(f"no provider '{cls.provider}' in entry-point group {PROVIDER_GROUP}; install it")
        manifest = getattr(next(iter(found)).load(), "manifest", None)
        if not isinstance(manifest, ProviderManifest):
            raise LookupError(f"provider '{cls.provider}' has no ProviderManifest `manifest`")
        return manifest

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Expand each marked test over the operations its selector picks; none left: one explicit skip."""
        spec = getattr(metafunc.function, _PARAMETRIZE, None)
        if spec is None:
            return
        parameter, selector, what = spec
        params = []
        for name in selector(self.declared_manifest()):
            marks = [pytest.mark.ats_conformance(name)]
            key = f"{metafunc.function.__name__}[{name}]"
            reason = self.bypass.get(key)
            if reason is not None and _bypass_problem(self.declared_manifest(), key, reason) is None:
                marks.append(pytest.mark.skip(reason=f"bypassed: {reason}"))
            params.append(pytest.param(name, id=name, marks=marks))
        if not params:
            reason = f"{self.provider} declares no {what}"
            params = [pytest.param(None, id="none", marks=pytest.mark.skip(reason=reason))]
        metafunc.parametrize(parameter, params)

    # --- shared reading --------------------------------------------------------------------------

    def _read(
        self,
        client: ATSClient,
        operation_name: str,
        updated_after: datetime | None = None,
        filters: Mapping[str, Any] | None = None,
    ) -> list[Record]:
        return read_records(
            client,
            operation_name,
            page_size=self.page_size,
            max_records=self.max_records,
            updated_after=updated_after,
            filters=filters,
        )

    def _sample_records(self, client: ATSClient, model: str) -> list[Record]:
        """Records of `model` from the first implemented stream of it; skips when there is none."""
        for name in streams_of(model):
            if client.supports(name):
                return self._read(client, name)
        pytest.skip(f"no {model} stream is implemented to take sample ids from")

    def _nonempty(self, client: ATSClient, operation_name: str) -> list[Record]:
        records = self._read(client, operation_name)
        if not records and operation_name in self.empty_streams:
            pytest.skip(f"{operation_name} is declared empty here: {self.empty_streams[operation_name]}")
        assert records, (
            f"{operation_name} yielded no records; seed the sandbox/fixtures or list it in empty_streams with a reason"
        )
        return records

    # --- declarations ----------------------------------------------------------------------------

    def test_manifest_matches_hookimpls(self, client: ATSClient) -> None:
        """Every operation declared supported/basic has a hookimpl and no other operation has one."""
        cls, manifest = type(client.provider), client.manifest
        impls, declared = hookimpl_names(cls), set(manifest.implemented_operations())
        missing, undeclared = sorted(declared - impls), sorted(impls - declared)
        assert not missing, f"{client.name}: declared implemented but no hookimpl: {', '.join(missing)}"
        assert not undeclared, f"{client.name}: hookimpl but declared not implemented: {', '.join(undeclared)}"
        validate_provider_class(client.name, cls)

    def test_bypasses_name_generated_tests(self) -> None:
        """Every `bypass` key names a test this manifest generates, so a stale or misspelt bypass is an error."""
        manifest = self.declared_manifest()
        generated = {
            f"{name}[{item}]"
            for name, test in inspect.getmembers(type(self), inspect.isfunction)
            if (spec := getattr(test, _PARAMETRIZE, None)) is not None
            for item in spec[1](manifest)
        }
        unknown = sorted(set(self.bypass) - generated)
        assert not unknown, f"bypass names tests that are not generated for {self.provider}: {unknown}"
        refused = [p for key, reason in self.bypass.items() if (p := _bypass_problem(manifest, key, reason))]
        assert not refused, f"bypasses that do not apply (the tests run): {refused}"

    @_over("operation", _not_implemented, "unimplemented operations")
    def test_unimplemented_operation_raises_capability_not_supported(self, client: ATSClient, operation: str) -> None:
        """An operation not implemented raises CapabilityNotSupported carrying its declared status and reason."""
        declaration = client.manifest.operations[operation]
        with pytest.raises(CapabilityNotSupported) as raised:
            getattr(client, operation)(**_dummy_arguments(operation))
        error = raised.value
        assert (error.operation, error.status, error.reason) == (
            operation,
            declaration.status.value,
            declaration.reason,
        )

    # --- streams ---------------------------------------------------------------------------------

    @_over("operation", _implemented(RECORD_STREAMS + PAGE_STREAMS), "implemented streams")
    def test_stream_yields_valid_records(self, client: ATSClient, operation: str) -> None:
        """Records validate as the canonical model, with this provider's name, unique ids and the raw payload."""
        model = model_of(operation)
        records = self._nonempty(client, operation)
        for index, record in enumerate(records):
            assert isinstance(record, model), f"{operation}: record {index} is {type(record).__name__}, not {model}"
            model.model_validate(record.model_dump())
            assert record.provider == client.name, f"{operation}: record {record.remote_id} names another provider"
            assert record.remote_data, f"{operation}: record {record.remote_id} has no remote_data (raw payload)"
        ids = [record.remote_id for record in records]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        assert not duplicates, f"{operation}: remote ids repeat: {duplicates[:10]}"

    @_over("operation", _implemented(INCREMENTAL_STREAMS), "incremental streams")
    def test_updated_after_returns_only_newer_records(self, client: ATSClient, operation: str) -> None:
        """A rerun from a mid-point returns every record updated at or after it (the records at exactly the pivot
        too) and none before it (less the lookback)."""
        everything = self.incremental_baseline(client, operation)
        stamped = sorted(r.updated_at for r in everything if r.updated_at is not None)
        if not stamped:
            pytest.skip(f"{operation}: records carry no updated_at, so incremental reads cannot be checked")
        pivot = stamped[len(stamped) // 2]
        earliest = pivot - _lookback(client, operation)
        rerun = self._read(client, operation, updated_after=pivot)
        too_old = [r.remote_id for r in rerun if r.updated_at is None or r.updated_at < earliest]
        assert not too_old, f"{operation}: updated_after={pivot.isoformat()} returned older records {too_old[:10]}"
        returned = {r.remote_id for r in rerun}
        at_pivot = [r.remote_id for r in everything if r.updated_at == pivot and r.remote_id not in returned]
        assert not at_pivot, (
            f"{operation}: updated_after={pivot.isoformat()} missed records updated at exactly that time {at_pivot[:10]}"
            " (updated_after means at or after)"
        )
        lost = [
            r.remote_id for r in everything if r.updated_at and r.updated_at > pivot and r.remote_id not in returned
        ]
        assert not lost, f"{operation}: updated_after={pivot.isoformat()} missed newer records {lost[:10]}"

    @_over("operation", _implemented(INCREMENTAL_STREAMS), "incremental streams")
    def test_future_updated_after_returns_nothing(self, client: ATSClient, operation: str) -> None:
        """An updated_after later than every record (and now, past the lookback) yields no record."""
        stamps = [r.updated_at for r in self.incremental_baseline(client, operation) if r.updated_at is not None]
        lookback = _lookback(client, operation)
        future = max([*stamps, datetime.now(UTC)]) + lookback + timedelta(days=1)
        rerun = self._read(client, operation, updated_after=future)
        assert rerun == [], f"{operation}: updated_after={future.isoformat()} returned {len(rerun)} records"

    @_over("operation", _filtered_streams, "stream filters")
    def test_filters_narrow_to_matching_records(self, client: ATSClient, operation: str) -> None:
        """Each declared filter, given a value a sampled record has, returns exactly the records with that value;
        given a value no record has, returns nothing."""
        everything = self._nonempty(client, operation)
        for name, declared in _filters_of(client.manifest, operation).items():
            if declared.field is None:
                pytest.skip(f"{operation}: filter {name} names no canonical field; declare field= on it")
            field = declared.field

            def key(value: object, fold: bool = declared.match == "casefold") -> object:
                return value.casefold() if fold and isinstance(value, str) else value

            values = [getattr(r, field) for r in everything if getattr(r, field, None) not in (None, "")]
            if not values:
                pytest.skip(f"{operation}: no sampled record has a {field} to filter {name} by")
            chosen = values[0]
            expected = {r.remote_id for r in everything if key(getattr(r, field, None)) == key(chosen)}
            found = {r.remote_id for r in self._read(client, operation, filters={name: [chosen]})}
            where = f"{operation}: {name}=[{chosen!r}]"
            assert not found - expected, (
                f"{where} returned records whose {field} differs: {sorted(found - expected)[:10]} (the filter is "
                "ignored or applied wrongly)"
            )
            assert found == expected, f"{where} missed records with that {field}: {sorted(expected - found)[:10]}"
            nothing = self._read(client, operation, filters={name: [f"{MARKER}-no-such-value"]})
            assert nothing == [], f"{operation}: {name} with a value no record has returned {len(nothing)} records"

    @_over("operation", _implemented(PAGE_STREAMS), "page-level streams")
    def test_page_cursors_never_repeat(self, client: ATSClient, operation: str) -> None:
        """Following next cursors ends, no cursor comes back, no page with a next cursor is empty."""
        seen = read_pages(client, operation, page_size=self.page_size, max_records=self.max_records)
        assert len(set(seen.cursors)) == len(seen.cursors)
        ids = [record.remote_id for record in seen.records]
        assert len(set(ids)) == len(ids), f"{operation}: records repeat across pages"

    @_over("operation", _implemented(PAGE_STREAMS), "page-level streams")
    def test_page_and_record_streams_agree(self, client: ATSClient, operation: str) -> None:
        """The page-level stream returns the same records as its record-level twin."""
        stream = record_stream_of(catalog_entry(operation))
        twin = "" if stream is None else stream.name
        if not twin or not client.supports(twin):
            pytest.skip(f"{operation} has no implemented record-level twin to compare with")
        paged = {r.remote_id: r for r in self._read(client, operation)}
        streamed = {r.remote_id: r for r in self._read(client, twin)}
        assert paged.keys() == streamed.keys(), (
            f"{operation} and {twin} differ: only paged {sorted(paged.keys() - streamed.keys())[:10]}, "
            f"only streamed {sorted(streamed.keys() - paged.keys())[:10]}"
        )
        differ = sorted(i for i in paged if paged[i] != streamed[i])
        assert not differ, f"{operation} and {twin} return different records for ids {differ[:10]}"

    @_over("operation", _implemented(PAGE_STREAMS), "page-level streams")
    def test_resume_from_saved_cursor_completes_the_set(self, client: ATSClient, operation: str) -> None:
        """Stopping after a page and resuming from its cursor yields the rest: no gap, no duplicate."""
        full = read_pages(client, operation, page_size=self.page_size, max_records=self.max_records)
        if not full.cursors:
            pytest.skip(f"{operation}: one page at page_size={self.page_size}; resuming needs two (seed more)")
        first = read_pages(client, operation, page_size=self.page_size, max_records=self.max_records, max_pages=1)
        saved = first.cursors[0]
        rest = read_pages(client, operation, page_size=self.page_size, max_records=self.max_records, cursor=saved)
        resumed = [r.remote_id for r in first.records + rest.records]
        assert len(set(resumed)) == len(resumed), f"{operation}: resuming from a saved cursor repeats records"
        expected = {r.remote_id for r in full.records}
        assert set(resumed) == expected, f"{operation}: resuming lost {sorted(expected - set(resumed))[:10]}"

    # --- lookups, lists, search ------------------------------------------------------------------

    @_over("operation", _implemented(tuple(LOOKUPS)), "lookups by id")
    def test_lookup_returns_the_streamed_record(self, client: ATSClient, operation: str) -> None:
        """Reading a streamed record by id returns that record."""
        parameter, model = LOOKUPS[operation]
        sample = self._sample_records(client, model)
        if not sample:
            pytest.skip(f"the {model} stream is empty; no id to look up")
        entry = catalog_entry(operation)
        if entry.model is CustomFieldValue:
            self._check_custom_field_values(client, operation, sample)
            return
        if entry.returns is ReturnKind.LIST:
            self._check_listed(client, operation, parameter, sample)
            return
        if operation == "get_resume_for_candidate_id":
            self._check_resumes(client, operation, sample)
            return
        expected = sample[0]
        found = getattr(client, operation)(**{parameter: expected.remote_id})
        assert found is not None, f"{operation}: returned None for a streamed id"
        assert found.remote_id == expected.remote_id, f"{operation}: returned another record"
        problem = _record_problems(operation, expected, found, self.lookup_ignored_fields, "the stream")
        assert not problem, problem

    def _check_listed(self, client: ATSClient, operation: str, parameter: str, sample: Sequence[Record]) -> None:
        """A list lookup (notes, attachments) answers a list of its model, each item of the record asked about."""
        entry = catalog_entry(operation)
        expected = sample[0]
        found = getattr(client, operation)(**{parameter: expected.remote_id})
        assert isinstance(found, list), f"{operation} returned {type(found).__name__}, not a list"
        assert all(isinstance(item, entry.model) for item in found), f"{operation}: not all {entry.return_type}"
        owners = {getattr(item, name, None) for item in found for name in (parameter, "entity_id")}
        assert owners <= {None, expected.remote_id}, f"{operation}: items of another record than {parameter}"

    def _check_custom_field_values(self, client: ATSClient, operation: str, sample: Sequence[Record]) -> None:
        """Values of sampled records: each of a definition the entity's definitions list, and some record has one."""
        entity = catalog_entry(operation).entity
        definitions = None if entity is None else f"get_{entity.value}_custom_fields"
        known = None
        if definitions is not None and client.supports(definitions):
            known = {d.remote_id for d in getattr(client, definitions)()}
        found_any = False
        for record in sample[:5]:
            values = getattr(client, operation)(record.remote_id)
            assert isinstance(values, list) and all(isinstance(v, CustomFieldValue) for v in values)
            unknown = sorted({v.definition_id for v in values} - known) if known is not None else []
            assert not unknown, f"{operation}: values of definitions {definitions} does not list: {unknown}"
            found_any = found_any or bool(values)
        self._require_nonempty(operation, found_any, f"no value on any of {len(sample[:5])} sampled records")

    def _check_resumes(self, client: ATSClient, operation: str, sample: Sequence[Record]) -> None:
        """A resume for every sampled candidate that says it has one, and for at least one sampled candidate."""
        found_any = False
        for candidate in sample[:10]:
            resume = getattr(client, operation)(candidate.remote_id)
            if resume is None:
                assert getattr(candidate, "has_resume", None) is not True, (
                    f"{operation}: None for candidate {candidate.remote_id}, whose record says it has a resume"
                )
                continue
            assert isinstance(resume, Resume) and resume.candidate_id == candidate.remote_id, (
                f"{operation}: the resume of candidate {candidate.remote_id} names another candidate"
            )
            assert resume.content, f"{operation}: the resume of candidate {candidate.remote_id} is empty"
            found_any = True
        self._require_nonempty(operation, found_any, f"None for each of {len(sample[:10])} sampled candidates")

    def _require_nonempty(self, operation: str, nonempty: bool, what: str) -> None:
        """Fail on an empty answer unless `empty_lists` declares why; skip (with that reason) when it does."""
        if nonempty:
            return
        if operation in self.empty_lists:
            pytest.skip(f"{operation} is declared empty here: {self.empty_lists[operation]}")
        pytest.fail(f"{operation}: {what}; seed the fixtures or list it in empty_lists with a reason")

    @_over("operation", _implemented(tuple(LOOKUPS)), "lookups by id")
    def test_lookup_of_unknown_id_raises_not_found(self, client: ATSClient, operation: str) -> None:
        """An id no record has raises NotFound: not None, not an empty result, not another error."""
        parameter, _ = LOOKUPS[operation]
        try:
            result = getattr(client, operation)(**{parameter: self.unknown_id(operation)})
        except NotFound as error:
            assert error.provider == client.name
            return
        pytest.fail(f"{operation}: an unknown id returned {type(result).__name__} instead of raising NotFound")

    @_over("operation", _implemented(LISTS), "list operations")
    def test_list_returns_valid_unique_records(self, client: ATSClient, operation: str) -> None:
        """A list operation returns a list of its canonical model with unique ids."""
        model = model_of(operation)
        found = getattr(client, operation)()
        assert isinstance(found, list), f"{operation} returned {type(found).__name__}, not a list"
        assert all(isinstance(r, model) for r in found), f"{operation}: items are not all {model.__name__}"
        ids = [r.remote_id for r in found]
        assert len(set(ids)) == len(ids), f"{operation}: remote ids repeat"
        self._require_nonempty(operation, bool(found), "returned an empty list")

    @_over("operation", _implemented(SEARCHES), "searches")
    def test_search_finds_a_known_candidate(self, client: ATSClient, operation: str) -> None:
        """Searching by a candidate's own details finds it, once; unknown details find an empty list."""
        sample = self.sample_candidate_details(client)
        if sample is None:
            pytest.skip(f"{operation}: no candidate with details to search for; define sample_candidate_details()")
        details, remote_id = sample
        found = getattr(client, operation)(**details)
        ids = [c.remote_id for c in found]
        assert remote_id in ids, f"{operation}: searching by {sorted(details)} did not find candidate {remote_id}"
        assert len(set(ids)) == len(ids), f"{operation}: duplicates in the result"
        nobody = getattr(client, operation)(email=f"nobody@{MARKER}.invalid")
        assert nobody == [], f"{operation}: an unknown email returned {type(nobody).__name__} {len(nobody or [])}"

    @_over("operation", _implemented(PASSTHROUGHS), "passthrough")
    def test_passthrough_refuses_to_leave_the_ats_api(self, client: ATSClient, operation: str) -> None:
        """Absolute URLs, `..` and unknown methods are refused as InvalidInput before any request."""
        before = self.request_count(client)
        send = getattr(client, operation)
        for path in (f"https://{MARKER}.invalid/x", f"//{MARKER}.invalid/x", "/x/../../y"):
            with pytest.raises(InvalidInput):
                send("GET", path, None, None)
        with pytest.raises(InvalidInput):
            send("TRACE", "/x", None, None)
        if before is not None:
            assert self.request_count(client) == before, f"{operation}: a refused request was sent"

    # --- change feed -----------------------------------------------------------------------------

    @_over("operation", _implemented(("parse_change_event",)), "change event parsing")
    def test_change_event_without_its_proof_is_refused(self, client: ATSClient, operation: str) -> None:
        """A delivery without the provider's proof (header or signature) is refused, never read as changes."""
        with pytest.raises((AuthenticationFailed, ConfigurationError)):
            getattr(client, operation)({}, b'{"payload": {}}')

    @_over("operation", _implemented(("list_change_subscriptions",)), "change subscription listing")
    def test_change_subscriptions_are_listed_once_each(self, client: ATSClient, operation: str) -> None:
        """The subscriptions listed are ChangeSubscription items with unique ids."""
        found = getattr(client, operation)()
        assert all(isinstance(s, ChangeSubscription) for s in found), f"{operation}: items are not subscriptions"
        ids = [s.subscription_id for s in found]
        assert len(set(ids)) == len(ids), f"{operation}: subscription ids repeat"

    @_over(
        "operation",
        _implemented(tuple(n for n in CHANGE_FEEDS if n in ("subscribe_changes", "unsubscribe_changes"))),
        "change subscriptions",
    )
    def test_subscribing_twice_adds_nothing_and_unsubscribing_removes_it(
        self, client: ATSClient, operation: str
    ) -> None:
        """subscribe_changes is idempotent and unsubscribe_changes removes what it made (a write: needs targets)."""
        if self.write_targets(client) is None:
            pytest.skip(f"{operation}: the suite may not write to this tenant; define write_targets()")
        url = f"https://{MARKER}.invalid/changes/{operation}"
        first = client.subscribe_changes(url, None, f"{MARKER}-header", None)
        again = client.subscribe_changes(url, None, f"{MARKER}-header", None)
        assert sorted(s.subscription_id for s in first) == sorted(s.subscription_id for s in again)
        removed = client.unsubscribe_changes(url)
        assert removed, f"{operation}: nothing was subscribed to {url}"
        left = {s.subscription_id for s in client.list_change_subscriptions()}
        assert not left & {s.subscription_id for s in removed}, f"{operation}: a removed subscription remains"

    @_over("operation", _implemented(("read_change_events",)), "pull change feeds")
    def test_change_events_read_as_a_batch_with_a_cursor(self, client: ATSClient, operation: str) -> None:
        """A pull feed's read returns a ChangeEventBatch (reading consumes events: a write, needs targets)."""
        if self.write_targets(client) is None:
            pytest.skip(f"{operation}: reading a pull feed consumes its events; define write_targets()")
        batch = getattr(client, operation)(None, 1)
        assert isinstance(batch, ChangeEventBatch) and len(batch.events) <= 1

    # --- writes ----------------------------------------------------------------------------------

    def _write_arguments(self, client: ATSClient, operation_name: str, targets: WriteTargets) -> dict[str, Any]:
        arguments: dict[str, Any] = {}
        for parameter in catalog_entry(operation_name).parameters:
            value = targets.for_parameter(parameter)
            if value is None and parameter != "note_action_type":
                value = self.write_value(client, operation_name, parameter)
            if value is None and parameter != "note_action_type":
                pytest.skip(f"{operation_name}: no value for '{parameter}'; define write_targets()/write_value()")
            arguments[parameter] = value
        return arguments

    @_over("operation", _implemented(WRITES), "writes")
    def test_write_is_visible_through_the_read_path(self, client: ATSClient, operation: str) -> None:
        """A write has its effect, as the provider's read path shows it: the requested stage, the rejection with its
        reason, an outcome for every bulk id, the whole note, the stored file, the updated values."""
        targets = self.write_targets(client)
        if targets is None:
            pytest.skip(f"{operation}: no records the suite may write to; define write_targets()")
        arguments = self._write_arguments(client, operation, targets)
        if operation == "bulk_reject_applications" and len(arguments["application_ids"]) < 2:
            pytest.skip(f"{operation}: one application to write to; give WriteTargets(more_application_ids=...)")
        written = getattr(client, operation)(**arguments)
        if isinstance(written, BulkRejectResult):
            problems = bulk_problems(client, operation, arguments, written)
            assert not problems, "; ".join(problems)
            return
        if "updates" not in arguments:  # custom-field writes return the values now stored, checked below
            assert isinstance(written, model_of(operation)) and written.provider == client.name, (
                f"{operation}: returned {type(written).__name__} of provider {getattr(written, 'provider', None)!r}"
            )
        read = self.read_back(client, operation, written)
        problems = self._effect_problems(client, operation, arguments, written, read)
        assert not problems, "; ".join(problems)
        if "updates" not in arguments:
            assert isinstance(read, Record) and read.remote_id == written.remote_id, (
                f"{operation}: the read path does not show the written record {written.remote_id}"
            )
            ignored = self.lookup_ignored_fields | {"updated_at"}
            problem = _record_problems(operation, written, read, ignored, "the write's answer")
            assert not problem, problem

    def _effect_problems(
        self, client: ATSClient, operation: str, arguments: Mapping[str, Any], written: Any, read: Any
    ) -> list[str]:
        """What the write should have done and the read path does not show."""
        if "updates" in arguments:
            missing = _missing_updates(read, arguments["updates"])
            return [f"{operation}: the read path does not show updates to {missing}"] if missing else []
        if isinstance(written, Application):
            return application_problems(client, operation, arguments, written, read)
        if "note" in arguments:
            format_problem = written.format != client.manifest.note_format
            wrong_format = [f"{operation}: the note's format is not the declared note_format"] if format_problem else []
            return wrong_format + note_problems(operation, arguments["note"], [written, read])
        if "pdf_b64" in arguments:
            return attachment_problems(operation, arguments["pdf_b64"], read)
        return []

    @_over("operation", _implemented(WRITES), "writes")
    def test_write_rejects_invalid_input_before_any_request(self, client: ATSClient, operation: str) -> None:
        """Empty ids, blank notes, bad base64, non-PDFs and unsafe file names raise InvalidInput, sending nothing."""
        targets = self.write_targets(client) or WriteTargets(PLACEHOLDER_ID, PLACEHOLDER_ID, PLACEHOLDER_ID)
        placeholders = {"stage": PLACEHOLDER_ID, "reason_id": PLACEHOLDER_ID, "updates": {MARKER: MARKER}}
        valid = {
            p: targets.for_parameter(p) or default_write_value(p) or placeholders.get(p)
            for p in catalog_entry(operation).parameters
        }
        for name, arguments in invalid_variants(operation, valid).items():
            before = self.request_count(client)
            with pytest.raises(InvalidInput) as raised:
                getattr(client, operation)(**arguments)
            assert raised.value.operation == operation, f"{operation} ({name}): InvalidInput names another operation"
            after = self.request_count(client)
            assert before == after, f"{operation} ({name}): {(after or 0) - (before or 0)} requests sent anyway"
        if self.request_count(client) is None:
            pytest.skip(
                f"{operation}: invalid input was refused, but whether a request was sent first is unchecked; "
                "define request_count()"
            )

    # --- field mappings --------------------------------------------------------------------------

    @_over("table", _mapping_tables, "field mappings")
    def test_every_field_mapping_produces_its_target(self, client: ATSClient, table: str) -> None:
        """Each declared field mapping, exercised on records read through the table: where a payload holds a value
        at the mapping's path, the record holds its target; and every path and target occurs in some record."""
        declared = client.manifest.mapping(table)
        records = self._records_of_table(client, declared)
        if not records:
            pytest.skip(f"{table}: no record read through {list(declared.read_by)} to check mapped fields on")
        model = type(records[0])
        targets = [m.canonical for m in declared.fields] + [f"extensions.{x.name}" for x in declared.extensions]
        unknown = sorted(t for t in targets if t.split(".")[0] not in (*model.model_fields, "address"))
        assert not unknown, f"{table} maps fields the model lacks: {unknown}"
        unexercised = self.unexercised_mappings
        problems = mapping_problems(declared, records, null_dates=client.manifest.null_dates, unexercised=unexercised)
        assert not problems, (
            "; ".join(problems) + " (the fixtures never fill a mapping? list it in unexercised_mappings)"
        )
        stale = sorted(k for k in unexercised if k.startswith(f"{table}: ") and k not in _mapping_keys(declared))
        assert not stale, f"unexercised_mappings names mappings {table} does not declare: {stale}"

    def _records_of_table(self, client: ATSClient, table: MappingTable) -> list[Record]:
        """Records mapped through `table`: a full (or, for an incremental table, incremental) read of a stream
        that uses it, else lookups of a few streamed ids."""
        implemented = [name for name in table.read_by if client.supports(name)]
        streams = [name for name in implemented if name in RECORD_STREAMS + PAGE_STREAMS]
        if streams:
            since = _LONG_AGO if table.incremental else None
            return self._read(client, streams[0], updated_after=since)
        lookups = [name for name in implemented if name in LOOKUPS]
        if not lookups:
            pytest.skip(f"{table.name}: none of {list(table.read_by)} is a stream or lookup the suite can read")
        parameter, model = LOOKUPS[lookups[0]]
        sample = self._sample_records(client, model)[:10]
        return [getattr(client, lookups[0])(**{parameter: record.remote_id}) for record in sample]
