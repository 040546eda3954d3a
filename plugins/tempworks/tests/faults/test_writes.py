"""Writes under faults: a note whose answer is lost is never re-sent blindly; bad attachments never leave.

A message POST the sandbox stored before dropping the connection must leave exactly one message there, and
the caller gets WriteOutcomeUnknown saying the outcome is unknown and how to check. A PDF that is not a PDF,
not base64, too large, or has a dangerous file name is refused before any request is sent.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from ats_tempworks_sandbox import TempWorksSandbox, start_sandbox
from ats_tempworks_sandbox.pdf import text_pdf

from ats_core import InvalidInput, WriteOutcomeUnknown
from ats_core.sandbox import SandboxOptions


def _first_employee(sandbox: Any) -> str:
    return str(sandbox.state.data.employees.first_id)


def _messages_stored(sandbox: Any, employee_id: str) -> int:
    return int(sandbox.stats()["messages_by_employee"].get(employee_id, 0))


def test_a_note_stored_but_unanswered_is_not_resent(faulty_sandbox: Any, kit: Any, leaks: Any) -> None:
    sandbox = faulty_sandbox(size=20, lost_write_rate="1")
    employee = _first_employee(sandbox)
    with kit.connect(sandbox) as client:
        with pytest.raises(WriteOutcomeUnknown) as caught:
            client.add_note_to_candidate(employee, "Called about the night shift.")
        posts = kit.api_of(client).stats.requests - 1  # the message-action lookup is the other request
    error = caught.value
    print(f"\nlost write: {sandbox.stats()['injected']}, {error}")
    assert _messages_stored(sandbox, employee) == 1, "the sandbox holds one message, not two"
    assert sandbox.stats()["writes"]["messages"] == 1 and posts == 1, "the POST was sent once"
    assert "add_note_to_candidate" in str(error) and f"/Employees/{employee}/messages" in str(error)
    assert "may have been stored" in str(error) and "read the record back" in str(error), "says how to check"
    assert "Called about" not in str(error) + repr(error), "the note body is not echoed"
    leaks.check_error(error)


def test_notes_under_lost_answers_and_errors_are_stored_at_most_once(faulty_sandbox: Any, kit: Any) -> None:
    sandbox = faulty_sandbox(size=40, lost_write_rate="0.3", error_rate="0.15", burst_429="1/4", drop_rate="0.1")
    outcomes: dict[str, str] = {}
    with kit.connect(sandbox) as client:
        for index in range(30):
            employee = str(sandbox.state.data.employees.id_of(index))
            try:
                client.add_note_to_candidate(employee, f"Note number {index}.")
            except WriteOutcomeUnknown:
                outcomes[employee] = "unknown"
            else:
                outcomes[employee] = "stored"
        counts = kit.counts(sandbox, client)
    print(f"\n30 notes: {Counter(outcomes.values())}, {counts}")
    for employee, outcome in outcomes.items():
        stored = _messages_stored(sandbox, employee)
        assert stored <= 1, f"a note to {employee} was stored {stored} times"
        if outcome == "stored":
            assert stored == 1
    assert "unknown" in outcomes.values() and "stored" in outcomes.values()
    assert sandbox.stats()["writes"]["messages"] == sum(_messages_stored(sandbox, e) for e in outcomes)


PDF = text_pdf(["A one-page resume."])
LIMIT = 4096
REFUSED_ATTACHMENTS = {
    "not-a-pdf": ("resume.pdf", base64.b64encode(b"GIF89a not a pdf at all").decode(), "pdf_b64", "not a PDF"),
    "not-base64": ("resume.pdf", "JVBERi0xLjQK***not base64***", "pdf_b64", "not valid base64"),
    "empty": ("resume.pdf", "   ", "pdf_b64", "is empty"),
    "over-the-limit": (
        "resume.pdf",
        base64.b64encode(PDF + b"%" + b"x" * LIMIT).decode(),
        "pdf_b64",
        f"more than the {LIMIT}-byte limit",
    ),
    "parent-path": ("../../etc/resume.pdf", base64.b64encode(PDF).decode(), "filename", "path separators"),
    "windows-path": ("..\\resume.pdf", base64.b64encode(PDF).decode(), "filename", "path separators"),
    "absolute-path": ("/tmp/resume.pdf", base64.b64encode(PDF).decode(), "filename", "path separators"),
    "nul-byte": ("resume\x00.pdf", base64.b64encode(PDF).decode(), "filename", "control characters"),
    "newline": ("resume\r\n.pdf", base64.b64encode(PDF).decode(), "filename", "control characters"),
    "bidi-override": ("resume\u202efdp.exe.pdf", base64.b64encode(PDF).decode(), "filename", "control characters"),
    "not-pdf-name": ("resume.exe", base64.b64encode(PDF).decode(), "filename", "must end with .pdf"),
}


@pytest.fixture(scope="module")
def attachment_sandbox() -> Iterator[TempWorksSandbox]:
    """One quiet sandbox for the refusal cases: each case checks that its counters do not move."""
    sandbox = start_sandbox(SandboxOptions(size=20, seed=5, faults={"rate_limit": "off"}))
    yield sandbox
    sandbox.stop()


@pytest.mark.parametrize("operation", ["add_attachment_to_candidate", "add_attachment_to_application"])
@pytest.mark.parametrize(
    ("filename", "pdf_b64", "field", "problem"), REFUSED_ATTACHMENTS.values(), ids=list(REFUSED_ATTACHMENTS)
)
def test_bad_attachments_are_refused_before_any_request(
    attachment_sandbox: TempWorksSandbox,
    kit: Any,
    leaks: Any,
    operation: str,
    filename: str,
    pdf_b64: str,
    field: str,
    problem: str,
) -> None:
    sandbox = attachment_sandbox
    leaks.watch(sandbox)
    record_id = (
        str(sandbox.state.data.employees.first_id)
        if operation == "add_attachment_to_candidate"
        else str(sandbox.state.data.assignments.first_id)
    )
    before = sandbox.stats()
    with kit.connect(sandbox, max_attachment_bytes=LIMIT) as client:
        with pytest.raises(InvalidInput) as caught:
            getattr(client, operation)(filename, record_id, pdf_b64)
        assert kit.api_of(client).stats.requests == 0
    after = sandbox.stats()
    assert after["api_requests"] == before["api_requests"] and after["tokens_issued"] == before["tokens_issued"]
    assert after["writes"] == before["writes"] == {}
    error = caught.value
    assert error.operation == operation and error.field == field and problem in str(error)
    leaks.check_error(error)


def test_a_good_attachment_is_stored_once(faulty_sandbox: Any, kit: Any) -> None:
    sandbox = faulty_sandbox(size=20)
    with kit.connect(sandbox, max_attachment_bytes=LIMIT) as client:
        attachment = client.add_attachment_to_candidate(
            "resume.pdf", str(sandbox.state.data.employees.first_id), base64.b64encode(PDF).decode()
        )
    assert attachment.size_bytes == len(PDF) and attachment.file_name == "resume.pdf"
    assert sandbox.stats()["writes"] == {"documents_uploaded": 1}


def test_an_upload_stored_but_unanswered_is_not_resent(faulty_sandbox: Any, kit: Any, leaks: Any) -> None:
    sandbox = faulty_sandbox(size=20, drop_rate="1")
    document_type = sandbox.state.data.document_types[-1]["documentTypeId"]  # no lookup: the upload is the only call
    with kit.connect(sandbox, attachment_document_type_id=document_type) as client:
        with pytest.raises(WriteOutcomeUnknown) as caught:
            client.add_attachment_to_candidate("resume.pdf", _first_employee(sandbox), base64.b64encode(PDF).decode())
        assert kit.api_of(client).stats.requests == 1, "the upload was sent once"
    assert sandbox.stats()["writes"] == {"documents_uploaded": 1}, "stored once, not twice"
    assert "add_attachment_to_candidate" in str(caught.value) and "read the record back" in str(caught.value)
    leaks.check_error(caught.value)
