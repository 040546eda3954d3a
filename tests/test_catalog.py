"""The catalog and the hook spec describe the same 30 operations, each grouped and documented."""

from __future__ import annotations

import inspect
from collections import Counter

import pytest

from ats_core import hookspecs
from ats_core.client import ATSClient
from ats_core.operations import OPERATION_NAMES, OPERATIONS, Group, operation

EXPECTED_GROUP_SIZES = {
    Group.STREAMING: 6,
    Group.APPLICATION_MANAGEMENT: 7,
    Group.JOB_MANAGEMENT: 3,
    Group.CANDIDATE_MANAGEMENT: 3,
    Group.NOTES_AND_ATTACHMENTS: 4,
    Group.CUSTOM_FIELDS: 7,
}


def _hookspec_names() -> set[str]:
    marker = f"{hookspecs.PROJECT_NAME}_spec"
    return {name for name, obj in vars(hookspecs).items() if inspect.isfunction(obj) and hasattr(obj, marker)}


def test_thirty_operations_in_the_expected_groups() -> None:
    assert len(OPERATIONS) == 30
    assert len(set(OPERATION_NAMES)) == 30
    assert Counter(op.group for op in OPERATIONS) == EXPECTED_GROUP_SIZES


def test_every_catalog_entry_has_a_hookspec_and_every_hookspec_is_catalogued() -> None:
    specs = _hookspec_names()
    assert sorted(set(OPERATION_NAMES) - specs) == [], "catalog operations without a hookspec"
    assert sorted(specs - set(OPERATION_NAMES)) == [], "hookspecs missing from the catalog"


@pytest.mark.parametrize("name", OPERATION_NAMES)
def test_hookspec_parameters_match_the_catalog(name: str) -> None:
    spec_parameters = tuple(inspect.signature(getattr(hookspecs, name)).parameters)
    assert spec_parameters == operation(name).parameters


@pytest.mark.parametrize("name", OPERATION_NAMES)
def test_hookspec_has_a_one_line_docstring(name: str) -> None:
    doc = inspect.getdoc(getattr(hookspecs, name))
    assert doc, f"hookspec {name} is undocumented"
    assert "\n" not in doc.strip(), f"hookspec {name} docstring should be one line"


@pytest.mark.parametrize("name", OPERATION_NAMES)
def test_client_has_a_documented_method_with_the_spec_parameters(name: str) -> None:
    method = getattr(ATSClient, name)
    assert inspect.getdoc(method)
    assert set(inspect.signature(method).parameters) - {"self"} == set(operation(name).parameters)


@pytest.mark.parametrize("name", OPERATION_NAMES)
def test_catalog_entry_is_complete(name: str) -> None:
    op = operation(name)
    assert op.reference_name.lstrip("_") == name or op.reference_name == name
    assert op.description.endswith(".")
    assert op.reference_signature.startswith(op.reference_name + "(")


def test_unknown_operation_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="stream_candidates"):
        operation("stream_people")
