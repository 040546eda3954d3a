"""Numbers and words derived from a manifest: counts, progress and status labels shared by every output.

Nothing here is declared: it is all computed from the per-operation statuses, so no page can claim
more (or less) than the declarations say.
"""

from __future__ import annotations

from dataclasses import dataclass

from ats_core.manifest import ImplementationType, OperationStatus, ProviderManifest
from ats_core.models import NoteFormat
from ats_core.operations import OPERATIONS, Group, Operation, operations_in

__all__ = [
    "IMPLEMENTATION_TYPE_LABELS",
    "NOTE_FORMAT_LABELS",
    "NOT_POSSIBLE_STATUSES",
    "STATUS_LABELS",
    "STATUS_MARKS",
    "Coverage",
    "format_percent",
    "operation_title",
]

NOT_POSSIBLE_STATUSES = frozenset({OperationStatus.UNSUPPORTED_BY_PROVIDER, OperationStatus.NOT_APPLICABLE})

STATUS_LABELS: dict[OperationStatus, str] = {
    OperationStatus.SUPPORTED: "Supported",
    OperationStatus.BASIC: "Basic (works, with stated limits)",
    OperationStatus.NOT_IMPLEMENTED: "Not implemented yet",
    OperationStatus.UNSUPPORTED_BY_PROVIDER: "Not supported by the ATS",
    OperationStatus.NOT_APPLICABLE: "Not applicable",
}

STATUS_MARKS: dict[OperationStatus, str] = {
    OperationStatus.SUPPORTED: "✅",
    OperationStatus.BASIC: "🟡",
    OperationStatus.NOT_IMPLEMENTED: "⏳",
    OperationStatus.UNSUPPORTED_BY_PROVIDER: "❌",
    OperationStatus.NOT_APPLICABLE: "⚪",
}

IMPLEMENTATION_TYPE_LABELS: dict[ImplementationType, str] = {
    ImplementationType.DIRECT: "Direct API integration",
    ImplementationType.UNIFIED: "Unified-API based (through a vendor)",
    ImplementationType.WEBHOOK: "Webhook-based",
    ImplementationType.HYBRID: "Hybrid (API and webhooks)",
    ImplementationType.IN_MEMORY: "In-memory (no remote ATS)",
}

NOTE_FORMAT_LABELS: dict[NoteFormat, str] = {
    NoteFormat.PLAIN: "Plain text",
    NoteFormat.HTML: "HTML",
}


def operation_title(op: Operation) -> str:
    """A heading for an operation: `get_job_by_job_id` -> `Get job by job id`."""
    words = op.name.replace("_", " ")
    return words[:1].upper() + words[1:]


def format_percent(value: float) -> str:
    """`20.0` -> `20%`, `3.3` -> `3.3%`."""
    return f"{value:g}%"


@dataclass(frozen=True)
class Coverage:
    """A provider's counts per status and what follows from them."""

    counts: dict[OperationStatus, int]

    @classmethod
    def of(cls, manifest: ProviderManifest, group: Group | None = None) -> Coverage:
        """Counts of the whole catalog, or of one group."""
        ops = OPERATIONS if group is None else operations_in(group)
        counts = dict.fromkeys(OperationStatus, 0)
        for op in ops:
            counts[manifest.status_of(op.name)] += 1
        return cls(counts)

    @property
    def total(self) -> int:
        """Operations counted."""
        return sum(self.counts.values())

    @property
    def implemented(self) -> int:
        """Supported plus basic."""
        return self.counts[OperationStatus.SUPPORTED] + self.counts[OperationStatus.BASIC]

    @property
    def pending(self) -> int:
        """Not implemented, though the ATS could do it."""
        return self.counts[OperationStatus.NOT_IMPLEMENTED]

    @property
    def not_possible(self) -> int:
        """Unsupported by the ATS or not applicable to it."""
        return sum(self.counts[status] for status in NOT_POSSIBLE_STATUSES)

    @property
    def percent(self) -> float:
        """Implemented share of the operations counted, rounded to one decimal."""
        return round(100 * self.implemented / self.total, 1) if self.total else 0.0

    @property
    def label(self) -> str:
        """`Complete`, `Partial` or `Not started`, from the counts alone."""
        if self.implemented == 0:
            return "Not started"
        if self.pending == 0:
            return "Complete"
        return "Partial"

    def summary(self, display_name: str) -> str:
        """One sentence: the label, implemented share, pending and not-possible counts."""
        text = f"{self.implemented} of {self.total} operations implemented ({format_percent(self.percent)})"
        if self.counts[OperationStatus.BASIC]:
            text += f", {self.counts[OperationStatus.BASIC]} of them basic"
        text += f"; {self.pending} pending; {self.not_possible} not possible in {display_name}"
        return f"{self.label}: {text}."
