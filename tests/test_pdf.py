"""The one-page PDF builder: a header, objects where the xref says, a stream of the declared length."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ats_core.pdf import MAX_LINES, build_pdf


def check_structure(pdf: bytes) -> None:
    """Every xref entry points at its object, and the content stream has its declared /Length."""
    assert pdf.startswith(b"%PDF-1.4\n") and pdf.endswith(b"%%EOF\n")
    startxref = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf).group(1))  # type: ignore[union-attr]
    assert pdf[startxref:].startswith(b"xref\n0 ")
    header, *entries = pdf[startxref:].split(b"trailer")[0].splitlines()[1:]
    first, count = map(int, header.split())
    assert (first, count) == (0, len(entries)) and entries[0] == b"0000000000 65535 f "
    for number, entry in enumerate(entries[1:], start=1):
        assert len(entry) + 1 == 20 and entry.endswith(b" 00000 n ")
        assert pdf[int(entry[:10]) :].startswith(b"%d 0 obj\n" % number)
    assert re.search(rb"/Size %d /Root 1 0 R" % count, pdf)
    length = int(re.search(rb"<< /Length (\d+) >>\nstream\n", pdf).group(1))  # type: ignore[union-attr]
    body_start = pdf.index(b"stream\n") + len(b"stream\n")
    assert pdf[body_start + length :].startswith(b"endstream")


def test_a_report_pdf_is_well_formed_and_shows_its_text() -> None:
    pdf = build_pdf("Interview report", ["Candidate: 42", "Summary: (good) fit \\ available"])
    check_structure(pdf)
    assert b"(Interview report) Tj" in pdf
    assert b"(Summary: \\(good\\) fit \\\\ available) Tj" in pdf


@given(title=st.text(max_size=40), lines=st.lists(st.text(max_size=60), max_size=MAX_LINES))
def test_any_text_yields_a_well_formed_pdf(title: str, lines: list[str]) -> None:
    check_structure(build_pdf(title, lines))


def test_too_many_lines_are_refused_with_the_limit() -> None:
    with pytest.raises(ValueError, match=f"at most {MAX_LINES}"):
        build_pdf("x", ["line"] * (MAX_LINES + 1))
