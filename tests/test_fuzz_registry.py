"""Fuzzing the registry: arbitrary manifests and hookimpl sets are accepted or refused with a typed error.

A manifest dict either validates into a ProviderManifest or raises pydantic's ValidationError; a provider
class built from any valid manifest and any set of hookimpls is either returned by the registry's check
or refused with PluginError (ManifestMismatch for coverage lies). Nothing else may escape.
"""

from __future__ import annotations

import inspect
from typing import Any

from fixture_providers import manifest_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ats_core import Provider, hookimpl, hookspecs
from ats_core.errors import ManifestMismatch, PluginError
from ats_core.fields import FieldType
from ats_core.manifest import OperationStatus, ProviderManifest
from ats_core.operations import OPERATION_NAMES, Entity
from ats_core.registry import validate_provider_class

FUZZ = settings(
    max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
statuses = st.sampled_from([status.value for status in OperationStatus]) | st.text(max_size=12)
declarations = st.fixed_dictionaries({"status": statuses}, optional={"reason": st.text(max_size=20) | json_values})
operation_names = st.sampled_from(OPERATION_NAMES) | st.text(max_size=15)


@st.composite
def manifest_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """A manifest-shaped dict: mostly plausible fields, any of them replaced, dropped or joined by junk."""
    base: dict[str, Any] = manifest_for().model_dump(mode="json")
    operations = {name: draw(declarations) for name in draw(st.sets(operation_names, max_size=len(OPERATION_NAMES)))}
    if draw(st.booleans()):
        operations = {name: draw(declarations) for name in OPERATION_NAMES}
    base["operations"] = operations
    base["field_mappings"] = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "name": st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True) | st.text(max_size=8),
                    "entity": st.sampled_from([entity.value for entity in Entity]) | st.text(max_size=8),
                    "source": st.text(max_size=10),
                    "id_field": st.text(max_size=6),
                    "fields": st.lists(
                        st.fixed_dictionaries(
                            {
                                "canonical": st.text(max_size=10),
                                "remote": st.text(max_size=10),
                                "type": st.sampled_from([t.value for t in FieldType]) | st.text(max_size=6),
                            }
                        ),
                        max_size=3,
                    ),
                }
            ),
            max_size=2,
        )
    )
    for key in draw(st.sets(st.sampled_from(sorted(base)), max_size=3)):
        base[key] = draw(json_values)
    for key in draw(st.sets(st.sampled_from(sorted(base)), max_size=2)):
        del base[key]
    base.update(draw(st.dictionaries(st.text(max_size=8), json_values, max_size=2)))
    return base


def _impl(operation: str, misnamed: bool) -> Any:
    """A hookimpl with the spec's parameters (or one misnamed parameter) that is never called."""
    names = list(inspect.signature(getattr(hookspecs, operation)).parameters)
    if misnamed:
        names.append("not_in_the_spec")
    namespace: dict[str, Any] = {}
    exec(f"def {operation}(self, {', '.join(names)}):\n    raise AssertionError('never called')", namespace)
    return hookimpl(namespace[operation])


@given(manifest_dicts())
@FUZZ
def test_any_manifest_dict_validates_or_raises_validation_error(data: dict[str, Any]) -> None:
    try:
        manifest = ProviderManifest.model_validate(data)
    except ValidationError as error:
        assert error.errors(), "a ValidationError names at least one problem"
        return
    assert set(manifest.operations) == set(OPERATION_NAMES)
    for declaration in manifest.operations.values():
        assert declaration.status is OperationStatus.SUPPORTED or declaration.reason.strip()


@given(
    implemented=st.sets(st.sampled_from(OPERATION_NAMES)),
    basic=st.sets(st.sampled_from(OPERATION_NAMES)),
    impls=st.sets(st.sampled_from(OPERATION_NAMES)),
    misnamed=st.sets(st.sampled_from(OPERATION_NAMES), max_size=2),
    entry_name=st.sampled_from(["fuzzed", "other"]),
)
@FUZZ
def test_any_provider_class_is_accepted_exactly_when_honest(
    implemented: set[str], basic: set[str], impls: set[str], misnamed: set[str], entry_name: str
) -> None:
    manifest = manifest_for("fuzzed", implemented=tuple(sorted(implemented)))
    operations = dict(manifest.operations)
    for name in basic:
        operations[name] = operations[name].model_copy(update={"status": OperationStatus.BASIC, "reason": "limits"})
    manifest = manifest.model_copy(update={"operations": operations})
    namespace: dict[str, Any] = {"manifest": manifest}
    namespace.update({name: _impl(name, name in misnamed) for name in impls})
    cls = type("FuzzedProvider", (Provider,), namespace)
    declared = set(manifest.implemented_operations())
    honest = entry_name == "fuzzed" and declared == impls and not (misnamed & impls)
    try:
        accepted = validate_provider_class(entry_name, cls)
    except ManifestMismatch as error:
        assert not honest
        assert error.operation in OPERATION_NAMES and error.operation in str(error)
        return
    except PluginError as error:
        assert not honest
        assert error.plugin == entry_name
        return
    assert honest and accepted is cls


@given(json_values | st.builds(type, st.sampled_from(["Thing"]), st.just(()), st.just({})))
@FUZZ
def test_anything_that_is_not_a_provider_class_is_a_plugin_error(value: Any) -> None:
    try:
        validate_provider_class("fuzzed", value)
    except ManifestMismatch:
        raise AssertionError("a non-provider is not a manifest mismatch") from None
    except PluginError as error:
        assert "fuzzed" in str(error)
    else:
        raise AssertionError(f"{value!r} was accepted as a provider class")
