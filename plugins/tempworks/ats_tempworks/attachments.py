"""Checks on a base64 PDF and its file name, done before any request is sent."""

from __future__ import annotations

import base64
import binascii
import unicodedata

from ats_core.sdk import errors

__all__ = ["PDF_MAGIC", "decoded_pdf", "safe_pdf_name"]

PDF_MAGIC = b"%PDF-"
MAX_NAME_LENGTH = 200


def safe_pdf_name(filename: str) -> str:
    """The file name if it is a plain `*.pdf` name: no path separators, no '..', no control characters."""
    name = filename.strip()
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
    """The PDF bytes of strict base64 text, checked for the %PDF- header and the size limit."""
    if not isinstance(pdf_b64, str) or not pdf_b64.strip():
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
    if not content.startswith(PDF_MAGIC):
        raise errors.InvalidInput("pdf_b64", "is not a PDF (it does not start with %PDF-)")
    return content
