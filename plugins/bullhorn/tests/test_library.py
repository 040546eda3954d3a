"""The REST client's pure parts: the fields= a mapping table asks for, Bullhorn's error bodies, ids."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import ats_bullhorn
import pytest
from ats_bullhorn.library import _bullhorn_message, fields_of, numeric_id
from ats_bullhorn.manifest import MANIFEST
from hypothesis import given
from hypothesis import strategies as st

from ats_core.sdk import errors


def test_a_table_asks_for_exactly_the_fields_it_maps() -> None:
    asked = fields_of(MANIFEST.mapping("job_submission"))
    assert asked.split(",")[0] == "id"
    assert "candidate(firstName,id,lastName)" in asked and "jobOrder(id,title)" in asked
    assert "dateLastModified" in asked and asked.count("status") == 1, "a field mapped twice is asked once"


def test_every_table_asks_for_every_remote_path_it_reads() -> None:
    for table in MANIFEST.field_mappings:
        asked = fields_of(table)
        for path in [m.remote for m in table.fields] + [x.remote for x in table.extensions]:
            top, _, sub = path.partition(".")
            assert top in asked and (not sub or sub in asked), f"{table.name}: {path} is not asked for"


def test_bullhorn_error_bodies_become_messages_naming_properties_not_values() -> None:
    body = json.dumps(
        {
            "errorMessage": "error persisting an entity of type: Note",
            "errorMessageKey": "errors.cannotPersistEntity",
            "errors": [{"propertyName": "action", "severity": "ERROR", "type": "INVALID_VALUE", "detailMessage": "x"}],
        }
    )
    assert _bullhorn_message(body) == (
        "errors.cannotPersistEntity: error persisting an entity of type: Note (action: INVALID_VALUE)"
    )
    cut = body[:120]  # the core keeps an excerpt: a cut body still names the message
    assert _bullhorn_message(cut) == "errors.cannotPersistEntity: error persisting an entity of type: Note"
    assert _bullhorn_message("<html>busy</html>") is None


@given(st.text(max_size=30))
def test_ids_are_whole_numbers_or_invalid_input(text: str) -> None:
    try:
        value = numeric_id("candidate_id", text)
    except errors.InvalidInput as error:
        assert error.field == "candidate_id"
        return
    assert value == int(text.strip()) and value >= 0


@pytest.mark.parametrize("text", ["", " ", "12a", "-3", "1.5", "١٢"])
def test_ids_that_are_not_bullhorn_ids_are_refused(text: str) -> None:
    with pytest.raises(errors.InvalidInput):
        numeric_id("candidate_id", text)


def test_the_provider_imports_only_the_provider_api() -> None:
    """ats_bullhorn imports nothing from ats_core but ats_core.sdk (the redesign's one module)."""
    package = Path(ats_bullhorn.__file__).parent
    modules = {
        node.module
        for path in package.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ats_core")
    }
    assert modules == {"ats_core.sdk"}
