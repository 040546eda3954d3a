"""A tiny one-page PDF writer: a title and lines of text, with a correct cross-reference table.

Enough for attachments the framework writes itself (an interview report, a test fixture) without a
PDF dependency. Text uses the standard Helvetica fonts in WinAnsi encoding; other characters become `?`.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["MAX_LINES", "build_pdf"]

PAGE_WIDTH, PAGE_HEIGHT = 612, 792  # US Letter, in points
MARGIN = 72
TITLE_SIZE, BODY_SIZE, LEADING = 18, 11, 15
MAX_LINES = (PAGE_HEIGHT - 2 * MARGIN - 2 * TITLE_SIZE) // LEADING


def _pdf_string(text: str) -> bytes:
    """A PDF literal string: WinAnsi bytes with backslash, parentheses and control characters escaped."""
    printable = "".join(ch if ch >= " " else " " for ch in text)
    raw = printable.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _content_stream(title: str, lines: Sequence[str]) -> bytes:
    top = PAGE_HEIGHT - MARGIN
    parts = [b"BT /F1 %d Tf %d %d Td " % (TITLE_SIZE, MARGIN, top) + _pdf_string(title) + b" Tj ET"]
    y = top - 2 * TITLE_SIZE
    for line in lines:
        parts.append(b"BT /F2 %d Tf %d %d Td " % (BODY_SIZE, MARGIN, y) + _pdf_string(line) + b" Tj ET")
        y -= LEADING
    return b"\n".join(parts) + b"\n"


def build_pdf(title: str, lines: Sequence[str] = ()) -> bytes:
    """A valid one-page PDF showing `title` and up to MAX_LINES `lines`; ValueError when they do not fit."""
    if len(lines) > MAX_LINES:
        raise ValueError(f"{len(lines)} lines do not fit on one page; pass at most {MAX_LINES}")
    content = _content_stream(title, lines)
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] " % (PAGE_WIDTH, PAGE_HEIGHT)
        + b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        font % b"Helvetica-Bold",
        font % b"Helvetica",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Title " + _pdf_string(title) + b" /Producer (ats-core) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)
