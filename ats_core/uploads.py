"""Checks on a base64 PDF and its file name, done before any request is sent (every provider that uploads)."""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata

from ats_core import errors

__all__ = ["MIN_PDF_BYTES", "PDF_MAGIC", "decoded_pdf", "safe_pdf_name"]

PDF_MAGIC = b"%PDF-"
MAX_NAME_LENGTH = 200
MIN_PDF_BYTES = 24
"""Fewer bytes cannot hold a header line, a trailer and `%%EOF`; real PDFs are hundreds of bytes at least."""
EOF_WINDOW = 1024
"""`%%EOF` must be within this many bytes of the end (readers look there; trailing junk is common)."""
_PDF_HEADER = re.compile(rb"%PDF-\d\.\d")


def _text(value: object, field: str, what: str) -> str:
    """`value` if it is a str; else InvalidInput naming the field and the type given (never the value)."""
    if not isinstance(value, str):
        raise errors.InvalidInput(field, f"must be {what} (a str), got {type(value).__name__}")
    return value


def safe_pdf_name(filename: str) -> str:
    """The file name if it is a plain `*.pdf` name: no path separators, no '..', no control characters."""
    name = _text(filename, "filename", "a file name").strip()
    problems = []
    if not name or len(name) > MAX_NAME_LENGTH:
        problems.append(f"must have 1 to {MAX_NAME_LENGTH} characters")
    if "/" in name or "\\" in name or ".." in name:
        problems.append("must not contain path separators or '..'")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        problems.append("must not contain control characters")
    if not name.lower().endswith(".pdf") or name.lower() == ".pdf":
        problems.append("must end with .pdf")
    if problems:
        raise errors.InvalidInput("filename", "; ".join(problems))
    return name


def decoded_pdf(pdf_b64: str, *, max_bytes: int) -> bytes:
    """The PDF bytes of strict base64 text: a `%PDF-1.x` header, `%%EOF` at the end, a plausible size, the limit."""
    if isinstance(pdf_b64, bytes | bytearray | memoryview):
        raise errors.InvalidInput(
            "pdf_b64",
            f"must be base64 text (a str), got {type(pdf_b64).__name__}; decode it, e.g. with .decode('ascii')",
        )
    if not _text(pdf_b64, "pdf_b64", "base64 text").strip():
        raise errors.InvalidInput("pdf_b64", "is empty; pass the PDF as base64 text")
    text = "".join(pdf_b64.split())
    if len(text) > (max_bytes + 2) // 3 * 4 + 4:
        raise errors.InvalidInput("pdf_b64", f"decodes to more than the {max_bytes}-byte limit")
    try:
        content = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise errors.InvalidInput("pdf_b64", "is not valid base64") from None
    if len(content) > max_bytes:
        raise errors.InvalidInput("pdf_b64", f"decodes to more than the {max_bytes}-byte limit")
    if not _PDF_HEADER.match(content):
        raise errors.InvalidInput("pdf_b64", "is not a PDF (it does not start with a %PDF-1.x header)")
    if len(content) < MIN_PDF_BYTES:
        raise errors.InvalidInput(
            "pdf_b64", f"is too short to be a PDF ({len(content)} bytes; at least {MIN_PDF_BYTES})"
        )
    if b"%%EOF" not in content[-EOF_WINDOW:]:
        raise errors.InvalidInput("pdf_b64", "is not a whole PDF (no %%EOF marker at its end; was it cut short?)")
    return content
