"""What the suite writes: arguments built from the catalog's parameter names, and invalid variants of them."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ats_core.operations import ENTITY_MODELS, Kind, operation, operations_of_kind
from ats_core.pdf import build_pdf

__all__ = [
    "CHANGE_FEEDS",
    "LISTS",
    "LOOKUPS",
    "MARKER",
    "PASSTHROUGHS",
    "PLACEHOLDER_ID",
    "SEARCHES",
    "WRITES",
    "WriteTargets",
    "invalid_variants",
    "minimal_pdf",
]

MARKER = "ats-conformance"
PLACEHOLDER_ID = "ats-conformance-target"

# Reads by id: operation -> (id parameter, canonical model of the stream that supplies real ids).
LOOKUPS: Mapping[str, tuple[str, str]] = {
    op.name: (name, ENTITY_MODELS[entity].__name__)
    for op in operations_of_kind(Kind.LOOKUP)
    for name, entity in op.ids.items()
}
SEARCHES = tuple(op.name for op in operations_of_kind(Kind.SEARCH))
LISTS = tuple(op.name for op in operations_of_kind(Kind.LIST))
WRITES = tuple(op.name for op in operations_of_kind(Kind.WRITE))
PASSTHROUGHS = tuple(op.name for op in operations_of_kind(Kind.PASSTHROUGH))
CHANGE_FEEDS = tuple(op.name for op in operations_of_kind(Kind.CHANGE_FEED))


@dataclass(frozen=True)
class WriteTargets:
    """Ids of records the suite may write to (notes, attachments, stage moves...). None: writes needing it skip."""

    candidate_id: str | None = None
    application_id: str | None = None
    job_id: str | None = None
    more_application_ids: tuple[str, ...] = ()
    """Further applications bulk writes may use: a bulk write is checked over two ids or more."""

    def for_parameter(self, parameter: str) -> str | list[str] | None:
        """The target id a write parameter takes (`candidate`, `application_id`, `application_ids`, ...)."""
        kind = parameter.removesuffix("_ids").removesuffix("_id")
        target: str | None = getattr(self, f"{kind}_id", None)
        if parameter.endswith("_ids"):
            more: tuple[str, ...] = getattr(self, f"more_{kind}_ids", ())
            return None if target is None else [target, *(i for i in more if i != target)]
        return target


def minimal_pdf() -> bytes:
    """A small, well-formed one-page PDF (made by `ats_core.pdf.build_pdf`), naming the suite that wrote it."""
    return build_pdf(f"{MARKER} attachment", ["written by the provider conformance suite"])


def default_write_value(parameter: str) -> Any:
    """The suite's own value for a write parameter that is not a target id, or None when it has none."""
    values: dict[str, Any] = {
        "note": f"{MARKER} note: written by the provider conformance suite",
        "note_action_type": None,
        "filename": f"{MARKER}.pdf",
        "pdf_b64": base64.b64encode(minimal_pdf()).decode("ascii"),
    }
    return values.get(parameter)


def invalid_variants(operation_name: str, valid: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Named copies of valid arguments with one thing wrong, each of which must raise InvalidInput."""
    variants: dict[str, dict[str, Any]] = {}
    for parameter in operation(operation_name).parameters:
        if parameter in ("candidate", "application", "job") or parameter.endswith("_id"):
            variants[f"empty {parameter}"] = {**valid, parameter: ""}
            variants[f"blank {parameter}"] = {**valid, parameter: "   "}
        if parameter.endswith("_ids"):
            variants[f"no {parameter}"] = {**valid, parameter: []}
            variants[f"an empty id in {parameter}"] = {**valid, parameter: [""]}
    if "note" in valid:
        variants["note blank"] = {**valid, "note": "  "}
    if "pdf_b64" in valid:
        variants["pdf_b64 not base64"] = {**valid, "pdf_b64": "%%% not base64 %%%"}
        variants["pdf_b64 not a PDF"] = {**valid, "pdf_b64": base64.b64encode(b"plain text, no PDF").decode()}
        variants["filename with a path"] = {**valid, "filename": "../../etc/passwd.pdf"}
        variants["filename empty"] = {**valid, "filename": ""}
    return variants
