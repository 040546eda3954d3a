"""What happens to records the ATS sent that failed validation: the one place that raises or quarantines them.

Mappers and streams never decide: they hand back rejected records as data (`Page.rejected`,
`MappedPage.rejected`). The connection's `RejectPolicy` raises `InvalidResponse` for the first one
(`on_invalid="raise"`, the default) or keeps them with their payloads (`"quarantine"`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ats_core.errors import InvalidResponse
from ats_core.models import RejectedRecord

__all__ = ["OnInvalid", "RejectPolicy"]

OnInvalid = Literal["raise", "quarantine"]


@dataclass
class RejectPolicy:
    """Raise on the first rejected record, or quarantine every one (in `quarantined` and the caller's sink)."""

    on_invalid: OnInvalid = "raise"
    sink: Callable[[RejectedRecord], None] | None = None
    quarantined: list[RejectedRecord] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.on_invalid not in ("raise", "quarantine"):
            raise ValueError(f"on_invalid must be 'raise' or 'quarantine', not {self.on_invalid!r}")

    def apply(self, rejected: Sequence[RejectedRecord]) -> None:
        """Raise InvalidResponse naming the first record and field, or keep them all."""
        if not rejected:
            return
        if self.on_invalid == "raise":
            raise InvalidResponse(rejected[0].error)
        for record in rejected:
            self.quarantined.append(record)
            if self.sink is not None:
                self.sink(record)
