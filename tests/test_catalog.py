"""The catalog is read from the hook spec: every operation documented, grouped, kinded and in the client."""

from __future__ import annotations

import inspect
from collections import Counter

import pytest

from ats_core import hookspecs
from ats_core.client import ATSClient
from ats_core.generate.client_source import CLIENT_OPERATIONS_PATH, client_operations_source
from ats_core.operation_spec import OPERATION_ATTRIBUTE
from ats_core.operations import OPERATION_NAMES, OPERATIONS, Group, Kind, ReturnKind, operation

EXPECTED_GROUP_SIZES = {
    Group.STREAMING: 6,
    Group.APPLICATION_MANAGEMENT: 7,
    Group.JOB_MANAGEMENT: 3,
    Group.CANDIDATE_MANAGEMENT: 3,
    Group.NOTES_AND_ATTACHMENTS: 4,
    Group.CUSTOM_FIELDS: 7,
}


def test_the_reference_operations_in_the_expected_groups() -> None:
    in_reference = [op for op in OPERATIONS if op.in_reference]
    assert len(in_reference) == 30
    assert Counter(op.group for op in in_reference) == EXPECTED_GROUP_SIZES


def test_every_hookspec_is_an_operation() -> None:
    marker = f"{hookspecs.PROJECT_NAME}_spec"
    specs = {name for name, obj in vars(hookspecs).items() if inspect.isfunction(obj) and hasattr(obj, marker)}
    marked = {name for name in specs if hasattr(getattr(hookspecs, name), OPERATION_ATTRIBUTE)}
    assert specs == marked == set(OPERATION_NAMES)


@pytest.mark.parametrize("name", OPERATION_NAMES)
def test_operation_has_a_one_line_description_ending_in_a_period(name: str) -> None:
    op = operation(name)
    assert op.description and "\n" not in op.description, f"hookspec {name} needs a one-line docstring"
    assert op.description.endswith(".")


@pytest.mark.parametrize("name", OPERATION_NAMES)
def test_id_and_one_of_parameters_name_real_parameters(name: str) -> None:
    op = operation(name)
    assert set(op.ids) <= set(op.parameters)
    assert set(op.options.one_of) <= set(op.parameters)
    if op.kind in (Kind.LOOKUP, Kind.STREAM, Kind.PAGE, Kind.SEARCH):
        assert op.entity is not None, f"{name}: a {op.kind.value} operation names the entity it serves"
    if op.kind is Kind.LOOKUP:
        assert len(op.ids) == 1, f"{name}: a lookup takes exactly one id"


@pytest.mark.parametrize("name", OPERATION_NAMES)
def test_reference_signature_names_a_method(name: str) -> None:
    op = operation(name)
    if op.in_reference:
        assert op.reference_name and op.reference_signature.startswith(op.reference_name + "(")
        assert op.reference_signature.endswith(")")


def test_return_shapes_follow_the_kinds() -> None:
    shapes = {op.name: op.returns for op in OPERATIONS}
    assert {shapes[op.name] for op in OPERATIONS if op.kind is Kind.STREAM} == {ReturnKind.ITERATOR}
    assert {shapes[op.name] for op in OPERATIONS if op.kind is Kind.PAGE} == {ReturnKind.PAGE}
    assert shapes["get_resume_for_candidate_id"] is ReturnKind.OPTIONAL_RECORD
    assert operation("fetch_candidates_page").return_type == "Candidate"


@pytest.mark.parametrize("name", OPERATION_NAMES)
def test_client_method_is_the_generated_one(name: str) -> None:
    method = getattr(ATSClient, name)
    assert inspect.getdoc(method) == operation(name).description
    assert tuple(inspect.signature(method).parameters)[1:] == operation(name).parameters


def test_generated_client_module_is_up_to_date() -> None:
    assert CLIENT_OPERATIONS_PATH.read_text(encoding="utf-8") == client_operations_source(), "run `ats codegen`"


def test_unknown_operation_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="stream_candidates"):
        operation("stream_people")


@pytest.mark.parametrize("name", [op.name for op in OPERATIONS if op.kind is Kind.WRITE])
def test_every_write_names_a_lookup_that_shows_its_effect(name: str) -> None:
    write = operation(name)
    reader = write.read_back
    assert reader is not None, f"{name}: declare read_back= (the lookup that shows the write's effect)"
    assert reader.kind is Kind.LOOKUP, f"{name}: read_back {reader.name} is a {reader.kind.value}, not a lookup"
    assert reader.entity in {write.entity, *write.ids.values()}, f"{name}: {reader.name} reads another entity"


def test_only_writes_name_a_read_back() -> None:
    assert all(op.read_back is None for op in OPERATIONS if op.kind is not Kind.WRITE)
