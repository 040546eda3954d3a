"""The fleet's errors: each message is composed where it is raised and names the slice or the database."""

from __future__ import annotations

from ats_core.errors import ATSError

__all__ = ["FleetError"]


class FleetError(ATSError):
    """Base of the fleet's errors (database, locks, page commits); no provider or operation to attach."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def describe(self) -> str:
        """The message as composed where the error was raised."""
        return self.message
