"""What a write must have done, as the provider's read path shows it: effects, not agreement with the answer.

Each check returns the problems it found (names, ids and stage or reason values: never candidate data),
so the suite fails with every one of them at once.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from typing import Any

from ats_core.client import ATSClient
from ats_core.models import Application, Attachment, BulkRejectResult, Note, Record

__all__ = [
    "application_problems",
    "attachment_problems",
    "bulk_problems",
    "dropped_and_differing",
    "note_problems",
]


def dropped_and_differing(expected: Record, found: Record, ignored: frozenset[str]) -> tuple[list[str], list[str]]:
    """Fields `expected` sets that `found` leaves empty, and fields both set to different values (names only).

    `remote_data` is a field like any other. A field only `found` sets is no problem: a read by id may carry more.
    """
    a, b = expected.model_dump(), found.model_dump()
    names = sorted((a.keys() | b.keys()) - ignored)
    dropped = [k for k in names if _filled(a.get(k)) and not _filled(b.get(k))]
    differing = [k for k in names if _filled(a.get(k)) and _filled(b.get(k)) and a.get(k) != b.get(k)]
    return dropped, differing


def _filled(value: object) -> bool:
    return value not in (None, "", [], {})


def _names(client: ATSClient, operation: str, wanted: str) -> set[str]:
    """`wanted` and the name of the listed item (stage or reason) with that id, so either form reads as it."""
    if not client.supports(operation):
        return {wanted}
    listed: Sequence[Any] = getattr(client, operation)()
    return {wanted} | {item.name for item in listed if item.remote_id == wanted}


def _reads_rejected(application: Application) -> bool:
    return application.rejected_at is not None or (application.status or "").casefold() == "rejected"


def _rejection_problems(operation: str, application: Application, reasons: set[str]) -> list[str]:
    problems = []
    if not _reads_rejected(application):
        problems.append(
            f"{operation}: application {application.remote_id} does not read as rejected "
            f"(rejected_at None, status {application.status!r})"
        )
    if application.rejection_reason not in reasons:
        problems.append(
            f"{operation}: application {application.remote_id} reads rejection reason "
            f"{application.rejection_reason!r}, not the requested {sorted(reasons)}"
        )
    return problems


def application_problems(
    client: ATSClient, operation: str, arguments: Mapping[str, Any], written: Any, read: Any
) -> list[str]:
    """The written and re-read application show the requested stage, rejection or candidate and job."""
    problems: list[str] = []
    for label, application in (("returned", written), ("read back", read)):
        if not isinstance(application, Application):
            problems.append(f"{operation}: the {label} value is {type(application).__name__}, not an Application")
            continue
        if operation == "move_application_to_stage":
            stage = arguments["stage"]
            requested = _names(client, "get_all_application_stages", getattr(stage, "remote_id", stage))
            if application.stage not in requested:
                problems.append(
                    f"{operation}: the {label} application reads stage {application.stage!r}, "
                    f"not the requested {sorted(requested)}"
                )
        elif operation == "reject_application":
            reasons = _names(client, "get_disposition_reasons", arguments["reason_id"])
            problems += [f"{p} ({label})" for p in _rejection_problems(operation, application, reasons)]
        elif operation == "create_application_for_candidate":
            for field, parameter in (("candidate_id", "candidate"), ("job_id", "job")):
                wanted = getattr(arguments[parameter], "remote_id", arguments[parameter])
                if getattr(application, field) != wanted:
                    problems.append(f"{operation}: the {label} application's {field} is not the requested {wanted}")
    return problems


def bulk_problems(
    client: ATSClient, operation: str, arguments: Mapping[str, Any], written: BulkRejectResult
) -> list[str]:
    """Every requested id has exactly one outcome, none failed, and each reads as rejected with the reason."""
    asked = set(arguments["application_ids"])
    answered = {item.application_id for item in written.results}
    problems = []
    if asked - answered:
        problems.append(f"{operation}: no outcome for ids {sorted(asked - answered)} of {sorted(asked)}")
    if answered - asked:
        problems.append(f"{operation}: outcomes for ids never requested {sorted(answered - asked)}")
    if written.failed:
        problems.append(f"{operation}: ids failed: {sorted(written.failed)}")
    if client.supports("get_application_by_application_id"):
        reasons = _names(client, "get_disposition_reasons", arguments["reason_id"])
        for application_id in sorted(asked & set(written.succeeded)):
            read = client.get_application_by_application_id(application_id)
            problems += _rejection_problems(operation, read, reasons)
    return problems


def note_problems(operation: str, sent: str, notes: Sequence[object]) -> list[str]:
    """The note's whole text is in the returned and the re-read note (formats may wrap it, never cut it)."""
    return [
        f"{operation}: the {label} note does not hold the whole text sent ({len(sent)} characters)"
        for label, note in zip(("returned", "read back"), notes, strict=True)
        if not isinstance(note, Note) or sent not in note.body
    ]


def attachment_problems(operation: str, pdf_b64: str, stored: object) -> list[str]:
    """The re-read attachment exists and, where the ATS reports a size, has the size of the file sent."""
    if not isinstance(stored, Attachment):
        return [f"{operation}: the read path shows no stored attachment ({type(stored).__name__})"]
    try:
        size = len(base64.b64decode(pdf_b64, validate=True))
    except (binascii.Error, ValueError):
        return []
    if stored.size_bytes is not None and stored.size_bytes != size:
        return [f"{operation}: the stored attachment has {stored.size_bytes} bytes, not the {size} sent"]
    return []
