"""The conformance suite catches broken providers, naming the operation; run on deliberately broken example subclasses."""

from __future__ import annotations

import base64
import itertools
import re
import textwrap
from types import SimpleNamespace

import pytest
from ats_example import EXAMPLE_MANIFEST, ExampleProvider

from ats_core.errors import ManifestMismatch
from ats_core.manifest import OperationStatus
from ats_core.models import Candidate
from ats_core.operations import OPERATION_NAMES
from ats_core.registry import validate_provider_class
from ats_core.testing.reading import PAGE_STREAMS, RECORD_STREAMS, read_records
from ats_core.testing.writes import (
    CHANGE_FEEDS,
    LISTS,
    LOOKUPS,
    PASSTHROUGHS,
    SEARCHES,
    WRITES,
    WriteTargets,
    invalid_variants,
    minimal_pdf,
)

pytest_plugins = ["pytester"]

HEADER = """
import pytest
from ats_core import hookimpl
from ats_core.fields import FieldMapping, FieldType
from ats_core.manifest import OperationDeclaration, OperationStatus
from ats_core.models import Page
from ats_core.testing import ProviderConformance, WriteTargets, connect_class
from ats_example import EXAMPLE_MANIFEST, ExampleProvider


def suite_for(broken, name):
    class Suite(ProviderConformance):
        provider = "example"
        provider_class = broken
        page_size = 3

        @pytest.fixture
        def client(self):
            with connect_class(broken, {"size": 9}) as client:
                yield client

        def write_targets(self, client):
            return WriteTargets(candidate_id=next(client.stream_candidates()).remote_id)

    Suite.__name__ = Suite.__qualname__ = name
    return Suite
"""


def _failures(pytester: pytest.Pytester, body: str) -> dict[str, str]:
    """Run the suite over the classes in `body`; failed tests by 'Class::test[param]', with their report text."""
    pytester.makepyfile(test_broken=HEADER + textwrap.dedent(body))
    _, _, failed = pytester.inline_run("-p", "no:cacheprovider").listoutcomes()
    return {report.nodeid.split("::", 1)[1]: report.longreprtext for report in failed}


class MissingHookimpl(ExampleProvider):
    """Declares get_job_by_job_id supported but the method lost its @hookimpl."""

    def get_job_by_job_id(self, job_id: str) -> None:  # type: ignore[override]
        """Not marked: pluggy never calls it."""


def test_registry_names_the_operation_whose_hookimpl_is_missing() -> None:
    with pytest.raises(ManifestMismatch, match="get_job_by_job_id") as raised:
        validate_provider_class("example", MissingHookimpl)
    assert raised.value.operation == "get_job_by_job_id"


def test_suite_fails_a_missing_hookimpl_naming_the_operation(pytester: pytest.Pytester) -> None:
    failures = _failures(
        pytester,
        """
        class MissingHookimpl(ExampleProvider):
            def get_job_by_job_id(self, job_id):
                pass

        TestMissing = suite_for(MissingHookimpl, "TestMissing")
        """,
    )
    assert "get_job_by_job_id" in failures["TestMissing::test_manifest_matches_hookimpls"]
    assert "declared implemented but no hookimpl" in failures["TestMissing::test_manifest_matches_hookimpls"]
    assert "TestMissing::test_lookup_returns_the_streamed_record[get_job_by_job_id]" in failures
    assert "TestMissing::test_lookup_of_unknown_id_raises_not_found[get_job_by_job_id]" in failures
    assert all("get_job_by_job_id" in name or "hookimpls" in name for name in failures), sorted(failures)


def test_suite_fails_manifests_that_lie_either_way(pytester: pytest.Pytester) -> None:
    failures = _failures(
        pytester,
        """
        def declare(operation, status, reason=""):
            operations = {**EXAMPLE_MANIFEST.operations, operation: OperationDeclaration(status=status, reason=reason)}
            return EXAMPLE_MANIFEST.model_copy(update={"operations": operations})

        class Overclaims(ExampleProvider):
            manifest = declare("get_resume_for_candidate_id", OperationStatus.SUPPORTED)

        class Underclaims(ExampleProvider):
            manifest = declare("find_candidates_by_details", OperationStatus.NOT_IMPLEMENTED, "said so, wrongly")

        TestOverclaims = suite_for(Overclaims, "TestOverclaims")
        TestUnderclaims = suite_for(Underclaims, "TestUnderclaims")
        """,
    )
    assert "no hookimpl: get_resume_for_candidate_id" in failures["TestOverclaims::test_manifest_matches_hookimpls"]
    assert "TestOverclaims::test_lookup_of_unknown_id_raises_not_found[get_resume_for_candidate_id]" in failures
    underclaim = failures["TestUnderclaims::test_manifest_matches_hookimpls"]
    assert "hookimpl but declared not implemented: find_candidates_by_details" in underclaim
    assert (
        "None for each of 9 sampled candidates"
        in (failures["TestOverclaims::test_lookup_returns_the_streamed_record[get_resume_for_candidate_id]"])
    )
    assert set(failures) == {
        "TestOverclaims::test_manifest_matches_hookimpls",
        "TestOverclaims::test_lookup_of_unknown_id_raises_not_found[get_resume_for_candidate_id]",
        "TestOverclaims::test_lookup_returns_the_streamed_record[get_resume_for_candidate_id]",
        "TestUnderclaims::test_manifest_matches_hookimpls",
    }


def test_suite_fails_misbehaving_streams_lookups_and_mappings(pytester: pytest.Pytester) -> None:
    failures = _failures(
        pytester,
        """
        class RepeatsCursor(ExampleProvider):
            @hookimpl
            def fetch_candidates_page(self, updated_after, cursor, page_size):
                page = super().fetch_candidates_page(updated_after, None, page_size)
                return Page(items=page.items, next_cursor="same-cursor")

        class IgnoresUpdatedAfter(ExampleProvider):
            @hookimpl
            def stream_jobs(self, updated_after, statuses):
                return super().stream_jobs(None, statuses)

        class UnknownIdIsNone(ExampleProvider):
            @hookimpl
            def get_candidate_by_id(self, candidate_id):
                return None if candidate_id.startswith("ats-") else super().get_candidate_by_id(candidate_id)

        table = EXAMPLE_MANIFEST.mapping("candidates")
        absent = FieldMapping(canonical="job_title", remote="position", type=FieldType.STRING)
        mappings = (table.model_copy(update={"fields": (*table.fields, absent)}), EXAMPLE_MANIFEST.mapping("jobs"))

        class MapsAnAbsentField(ExampleProvider):
            manifest = EXAMPLE_MANIFEST.model_copy(update={"field_mappings": mappings})

        TestRepeatsCursor = suite_for(RepeatsCursor, "TestRepeatsCursor")
        TestIgnoresUpdatedAfter = suite_for(IgnoresUpdatedAfter, "TestIgnoresUpdatedAfter")
        TestUnknownIdIsNone = suite_for(UnknownIdIsNone, "TestUnknownIdIsNone")
        TestMapsAnAbsentField = suite_for(MapsAnAbsentField, "TestMapsAnAbsentField")
        """,
    )
    loops = failures["TestRepeatsCursor::test_page_cursors_never_repeat[fetch_candidates_page]"]
    assert "fetch_candidates_page" in loops and "the pager loops" in loops
    ignored = failures["TestIgnoresUpdatedAfter::test_updated_after_returns_only_newer_records[stream_jobs]"]
    assert "stream_jobs: updated_after=" in ignored and "older records" in ignored
    assert "TestIgnoresUpdatedAfter::test_future_updated_after_returns_nothing[stream_jobs]" in failures
    none = failures["TestUnknownIdIsNone::test_lookup_of_unknown_id_raises_not_found[get_candidate_by_id]"]
    assert "get_candidate_by_id: (the hook returned None instead of a Candidate)" in none
    unpopulated = failures["TestMapsAnAbsentField::test_every_field_mapping_produces_its_target[candidates]"]
    assert "candidates: job_title <- position: no payload of 9 records holds a value at that path" in unpopulated
    assert not [name for name in failures if name.startswith("TestMapsAnAbsentField") and "candidates" not in name]


def test_suite_fails_a_write_that_sends_a_request_before_refusing_input(pytester: pytest.Pytester) -> None:
    failures = _failures(
        pytester,
        """
        class LooksUpFirst(ExampleProvider):
            @hookimpl
            def add_note_to_candidate(self, candidate, note, note_action_type):
                self.get_candidate_by_id(candidate)
                return super().add_note_to_candidate(candidate, note, note_action_type)

        class TestLooksUpFirst(suite_for(LooksUpFirst, "Base")):
            def request_count(self, client):
                return client.provider.store.requests
        """,
    )
    sent = failures["TestLooksUpFirst::test_write_rejects_invalid_input_before_any_request[add_note_to_candidate]"]
    assert "add_note_to_candidate (note blank): 1 requests sent anyway" in sent
    assert list(failures) == [
        "TestLooksUpFirst::test_write_rejects_invalid_input_before_any_request[add_note_to_candidate]"
    ]


def test_tests_that_cannot_run_or_are_bypassed_are_skipped_with_a_visible_reason(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_skips=HEADER
        + textwrap.dedent(
            """
            class TestNoWriteTargets(suite_for(ExampleProvider, "Base")):
                def write_targets(self, client):
                    return None

            LIMIT = "pages may repeat a cursor (a limit the manifest declares)"
            operations = {**EXAMPLE_MANIFEST.operations, "fetch_jobs_page": OperationDeclaration(status="basic", reason=LIMIT)}

            class Limited(ExampleProvider):
                manifest = EXAMPLE_MANIFEST.model_copy(update={"operations": operations})

            class TestBypassed(suite_for(Limited, "Base")):
                bypass = {"test_page_cursors_never_repeat[fetch_jobs_page]": f"declared basic: {LIMIT}"}

                def request_count(self, client):
                    return client.provider.store.requests

            class TestStaleBypass(suite_for(ExampleProvider, "Base")):
                bypass = {"test_page_cursors_never_repeat[fetch_applications_page]": "not generated here"}

            class TestUnquotedBypass(suite_for(Limited, "Base")):
                bypass = {"test_page_cursors_never_repeat[fetch_jobs_page]": "declared basic, trust me"}

            class TestBypassOfASupportedOperation(suite_for(ExampleProvider, "Base")):
                bypass = {"test_page_cursors_never_repeat[fetch_jobs_page]": "declared basic: it is not"}
            """
        )
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=321, skipped=31, failed=3)
    result.stdout.fnmatch_lines(
        [
            "*ats conformance: 31 skipped, with reasons*",
            "*TestNoWriteTargets::test_write_is_visible_through_the_read_path?add_note_to_candidate?:"
            " add_note_to_candidate: no records the suite may write to; define write_targets()",
            "*TestNoWriteTargets::test_write_rejects_invalid_input_before_any_request?add_note_to_candidate?:"
            " add_note_to_candidate: invalid input was refused, but whether a request was sent first is unchecked;"
            " define request_count()",
            "*TestBypassed::test_page_cursors_never_repeat?fetch_jobs_page?: bypassed: declared basic: pages may repeat*",
        ]
    )
    output = result.stdout.str()
    assert "not generated for example: ['test_page_cursors_never_repeat[fetch_applications_page]']" in output
    assert "fetch_jobs_page]: the bypass reason must quote the declared reason of fetch_jobs_page" in output
    assert "a bypass is allowed only for an operation declared 'basic'; fetch_jobs_page is not" in output
    failed = set(re.findall(r"FAILED test_skips.py::(\w+)::test_bypasses_name_generated_tests", output))
    assert failed == {"TestStaleBypass", "TestUnquotedBypass", "TestBypassOfASupportedOperation"}


def test_every_catalog_operation_is_checked_by_some_conformance_test() -> None:
    covered = set(RECORD_STREAMS + PAGE_STREAMS + LISTS + SEARCHES + WRITES + PASSTHROUGHS + CHANGE_FEEDS) | set(
        LOOKUPS
    )
    assert sorted(set(OPERATION_NAMES) - covered) == []
    assert len(covered) == len(OPERATION_NAMES)


def test_attachment_inputs_have_invalid_variants_for_base64_pdf_and_filename() -> None:
    valid = {"filename": "report.pdf", "candidate_id": "7", "pdf_b64": base64.b64encode(minimal_pdf()).decode()}
    variants = invalid_variants("add_attachment_to_candidate", valid)
    assert set(variants) == {
        "empty candidate_id",
        "blank candidate_id",
        "pdf_b64 not base64",
        "pdf_b64 not a PDF",
        "filename with a path",
        "filename empty",
    }
    assert all(set(v) == set(valid) and v != valid for v in variants.values())


def test_minimal_pdf_is_a_pdf_with_a_correct_xref_offset() -> None:
    pdf = minimal_pdf()
    assert pdf.startswith(b"%PDF-1.") and pdf.endswith(b"%%EOF\n")
    offset = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert pdf[offset:].startswith(b"xref\n")


def test_write_targets_fill_parameters_by_name() -> None:
    targets = WriteTargets(candidate_id="c1", application_id="a1")
    assert targets.for_parameter("candidate") == "c1"
    assert targets.for_parameter("candidate_id") == "c1"
    assert targets.for_parameter("application_ids") == ["a1"]
    bulk = WriteTargets(application_id="a1", more_application_ids=("a2", "a1", "a3"))
    assert bulk.for_parameter("application_ids") == ["a1", "a2", "a3"]
    assert targets.for_parameter("job") is None
    assert targets.for_parameter("note") is None


def test_example_manifest_declares_every_non_supported_operation_with_a_reason() -> None:
    unsupported = {n: d for n, d in EXAMPLE_MANIFEST.operations.items() if d.status is not OperationStatus.SUPPORTED}
    assert unsupported and all(d.reason.strip() for d in unsupported.values())


def test_a_stream_that_restarts_fails_instead_of_skipping_past_max_records() -> None:
    records = [Candidate(provider="example", remote_id=str(n)) for n in range(3)]
    looping = SimpleNamespace(stream_candidates=lambda updated_after: itertools.cycle(records))
    with pytest.raises(pytest.fail.Exception, match="stream_candidates: records repeat within 11 records"):
        read_records(looping, "stream_candidates", page_size=5, max_records=10)  # type: ignore[arg-type]
    endless = SimpleNamespace(
        stream_candidates=lambda updated_after: (
            Candidate(provider="example", remote_id=str(n)) for n in itertools.count()
        )
    )
    with pytest.raises(pytest.skip.Exception, match="more than max_records=10"):
        read_records(endless, "stream_candidates", page_size=5, max_records=10)  # type: ignore[arg-type]
