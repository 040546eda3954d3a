"""The registry refuses manifests that lie or are incomplete, naming plugin, operation and mismatch."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fixture_providers import FixtureProviderBase, manifest_for
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from ats_core import Provider, hookimpl
from ats_core.errors import ManifestMismatch, PluginError
from ats_core.hook_shapes import check_with_pluggy
from ats_core.manifest import OperationDeclaration, OperationStatus, ProviderManifest
from ats_core.models import Candidate, Job
from ats_core.operations import OPERATION_NAMES
from ats_core.registry import hookimpl_names, validate_provider_class


def provider_class(manifest: ProviderManifest, base: type = FixtureProviderBase) -> type[Provider]:
    return type("FixtureProvider", (base, Provider), {"manifest": manifest})


def test_an_honest_provider_is_accepted() -> None:
    cls = provider_class(manifest_for())
    assert validate_provider_class("fixture", cls) is cls
    assert hookimpl_names(cls) == {"stream_candidates", "get_candidate_by_id"}


def test_declared_supported_without_hookimpl_is_refused() -> None:
    cls = provider_class(manifest_for(implemented=("stream_candidates", "get_candidate_by_id", "stream_jobs")))
    with pytest.raises(ManifestMismatch, match=r"fixture.*'stream_jobs': declared 'supported' but has no hookimpl"):
        validate_provider_class("fixture", cls)


def test_hookimpl_declared_unsupported_is_refused() -> None:
    cls = provider_class(manifest_for(implemented=("stream_candidates",)))
    with pytest.raises(
        ManifestMismatch, match=r"'get_candidate_by_id': has a hookimpl but is declared 'not_implemented'"
    ):
        validate_provider_class("fixture", cls)


def test_hookimpl_with_parameters_outside_the_spec_is_refused() -> None:
    class Misnamed(FixtureProviderBase):
        @hookimpl
        def get_candidate_by_id(self, employee_id: str) -> Candidate:  # type: ignore[override]
            raise AssertionError

    with pytest.raises(ManifestMismatch, match=r"'get_candidate_by_id': hookimpl parameters \['employee_id'\]"):
        validate_provider_class("fixture", provider_class(manifest_for(), Misnamed))


def test_hookimpl_for_an_unknown_operation_is_refused() -> None:
    class Extra(FixtureProviderBase):
        @hookimpl
        def stream_people(self) -> Iterator[Job]:
            raise AssertionError

    with pytest.raises(ManifestMismatch, match="'stream_people'"):
        validate_provider_class("fixture", provider_class(manifest_for(), Extra))


def test_entry_point_name_must_match_the_manifest() -> None:
    with pytest.raises(PluginError, match="differs from manifest name"):
        validate_provider_class("other", provider_class(manifest_for()))


def test_entry_point_must_name_a_provider_class() -> None:
    with pytest.raises(PluginError, match="subclass of ats_core.Provider"):
        validate_provider_class("fixture", object())


def test_incomplete_manifest_is_an_error_naming_what_is_missing() -> None:
    operations = dict(manifest_for().operations)
    del operations["update_job_custom_fields"]
    with pytest.raises(ValidationError, match="missing operations.*update_job_custom_fields"):
        manifest_for(operations=operations)


def test_unknown_operation_in_manifest_is_an_error() -> None:
    operations: dict[str, Any] = dict(manifest_for().operations)
    operations["teleport_candidate"] = OperationDeclaration(status=OperationStatus.SUPPORTED)
    with pytest.raises(ValidationError, match="unknown operations: teleport_candidate"):
        manifest_for(operations=operations)


@pytest.mark.parametrize("status", [s for s in OperationStatus if s is not OperationStatus.SUPPORTED])
def test_every_status_but_supported_needs_a_reason(status: OperationStatus) -> None:
    with pytest.raises(ValidationError, match="needs a reason"):
        OperationDeclaration(status=status, reason="  ")


statuses = st.sampled_from(list(OperationStatus))


@given(st.fixed_dictionaries(dict.fromkeys(OPERATION_NAMES, statuses)))
def test_any_complete_manifest_counts_sum_to_the_catalog(chosen: dict[str, OperationStatus]) -> None:
    operations = {
        op: OperationDeclaration(status=s, reason="" if s is OperationStatus.SUPPORTED else "why")
        for op, s in chosen.items()
    }
    manifest = manifest_for(operations=operations)
    assert sum(manifest.counts().values()) == len(OPERATION_NAMES)
    assert len(manifest.implemented_operations()) == sum(s.implemented for s in chosen.values())


@given(st.dictionaries(st.text(max_size=12), st.sampled_from(["supported", "basic", "bogus", ""]), max_size=35))
def test_arbitrary_operation_maps_validate_or_raise_validation_error(raw: dict[str, str]) -> None:
    try:
        manifest = manifest_for(operations={op: {"status": s, "reason": "r"} for op, s in raw.items()})
    except ValidationError:
        return
    assert set(manifest.operations) == set(OPERATION_NAMES)


def test_declaration_order_does_not_matter() -> None:
    forward = manifest_for()
    backward = manifest_for(operations=dict(reversed(list(forward.operations.items()))))
    assert list(backward.operations) == list(OPERATION_NAMES)
    assert backward == forward


# --- hookimpls pluggy would call without the caller's arguments (issue 13: each lie reproduced) ----------


def _refusal(base: type) -> ManifestMismatch:
    with pytest.raises(ManifestMismatch) as raised:
        validate_provider_class("fixture", provider_class(manifest_for(), base))
    return raised.value


def test_a_hookimpl_leaving_out_a_spec_parameter_is_refused() -> None:
    class IgnoresUpdatedAfter(FixtureProviderBase):
        @hookimpl
        def stream_candidates(self) -> Iterator[Candidate]:  # type: ignore[override]
            raise AssertionError

    error = _refusal(IgnoresUpdatedAfter)
    assert (error.plugin, error.operation) == ("fixture", "stream_candidates")
    assert "['updated_after'] are missing, so they would be ignored" in str(error)


def test_a_hookimpl_parameter_with_a_default_is_refused() -> None:
    class Defaulted(FixtureProviderBase):
        @hookimpl
        def stream_candidates(self, updated_after: datetime | None = None) -> Iterator[Candidate]:
            raise AssertionError

    error = _refusal(Defaulted)
    assert error.operation == "stream_candidates" and "['updated_after'] have defaults" in str(error)


def test_a_keyword_only_hookimpl_parameter_is_refused() -> None:
    class KeywordOnly(FixtureProviderBase):
        @hookimpl
        def get_candidate_by_id(self, *, candidate_id: str) -> Candidate:
            raise AssertionError

    error = _refusal(KeywordOnly)
    assert error.operation == "get_candidate_by_id" and "['candidate_id'] are keyword-only" in str(error)


def test_a_staticmethod_hookimpl_is_refused_whichever_decorator_is_outside() -> None:
    class MarkedStatic(FixtureProviderBase):
        @hookimpl
        @staticmethod
        def get_candidate_by_id(candidate_id: str) -> Candidate:  # type: ignore[override]
            raise AssertionError

    class StaticMarked(FixtureProviderBase):
        @staticmethod
        @hookimpl
        def get_candidate_by_id(candidate_id: str) -> Candidate:  # type: ignore[override]
            raise AssertionError

    for base in (MarkedStatic, StaticMarked):
        error = _refusal(base)
        assert error.operation == "get_candidate_by_id" and "is a staticmethod" in str(error)


@pytest.mark.parametrize("option", ["wrapper", "hookwrapper"])
def test_a_wrapper_as_the_implementation_is_refused(option: str) -> None:
    class WrapperOnly(FixtureProviderBase):
        @hookimpl(**{option: True})
        def get_candidate_by_id(self, candidate_id: str) -> Iterator[None]:  # type: ignore[override]
            yield

    error = _refusal(WrapperOnly)
    assert error.operation == "get_candidate_by_id" and "is a wrapper, which answers nothing" in str(error)


def test_pluggy_validation_runs_on_a_throwaway_plugin_manager() -> None:
    class Misnamed(FixtureProviderBase):
        @hookimpl
        def get_candidate_by_id(self, employee_id: str) -> Candidate:  # type: ignore[override]
            raise AssertionError

    with pytest.raises(ManifestMismatch, match="(?s)pluggy refuses the hookimpl.*employee_id") as raised:
        check_with_pluggy("fixture", Misnamed, ["get_candidate_by_id"])
    assert raised.value.operation == "get_candidate_by_id"


def test_a_manifest_built_with_model_construct_is_refused_naming_what_is_wrong() -> None:
    complete = manifest_for()
    operations = dict(complete.operations)
    del operations["update_job_custom_fields"]
    unchecked = ProviderManifest.model_construct(**{**dict(complete), "operations": operations})
    with pytest.raises(PluginError, match=r"'fixture': the manifest does not validate.*update_job_custom_fields"):
        validate_provider_class("fixture", provider_class(unchecked))
