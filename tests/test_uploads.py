"""The checks on an attachment before upload: a plain *.pdf name, and base64 text of something that is a PDF."""

from __future__ import annotations

import base64

import pytest

from ats_core.errors import InvalidInput
from ats_core.pdf import build_pdf
from ats_core.uploads import decoded_pdf, safe_pdf_name

LIMIT = 1024 * 1024
SMALL_PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\ntrailer\n%%EOF\n"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@pytest.mark.parametrize("pdf", [build_pdf("report"), SMALL_PDF, SMALL_PDF + b"\r\n" + b"\x00" * 300])
def test_real_pdfs_pass(pdf: bytes) -> None:
    assert decoded_pdf(b64(pdf), max_bytes=LIMIT) == pdf


@pytest.mark.parametrize("filename", [None, 7, b"report.pdf", ["report.pdf"]])
def test_a_file_name_that_is_not_text_is_invalid_input(filename: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        safe_pdf_name(filename)  # type: ignore[arg-type]
    assert caught.value.field == "filename"
    assert type(filename).__name__ in str(caught.value)


@pytest.mark.parametrize("payload", [b64(SMALL_PDF).encode(), bytearray(b64(SMALL_PDF).encode()), None, 12])
def test_a_payload_that_is_not_base64_text_is_invalid_input_saying_so(payload: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        decoded_pdf(payload, max_bytes=LIMIT)  # type: ignore[arg-type]
    assert caught.value.field == "pdf_b64"
    assert "empty" not in str(caught.value)
    assert type(payload).__name__ in str(caught.value)


@pytest.mark.parametrize(
    ("pdf", "problem"),
    [
        (b"%PDF-", "%PDF-1."),
        (b"%PDF-1.4\n%%EOF\n", "too short"),
        (b"%PDF-x.y" + b" " * 40 + b"%%EOF", "%PDF-1."),
        (build_pdf("report")[:-7], "%%EOF"),
        (SMALL_PDF.replace(b"%%EOF", b"") + b"x" * 2000 + b"%%EOF", None),
        (b"%%EOF" + SMALL_PDF[5:], "%PDF-1."),
        (SMALL_PDF + b"x" * 2000, "%%EOF"),
    ],
    ids=["header-only", "header-and-eof", "no-version", "cut-short", "eof-at-end", "no-header", "eof-far-from-end"],
)
def test_something_that_is_not_a_whole_pdf_is_refused(pdf: bytes, problem: str | None) -> None:
    if problem is None:
        assert decoded_pdf(b64(pdf), max_bytes=LIMIT) == pdf
        return
    with pytest.raises(InvalidInput) as caught:
        decoded_pdf(b64(pdf), max_bytes=LIMIT)
    assert caught.value.field == "pdf_b64"
    assert problem in str(caught.value)
