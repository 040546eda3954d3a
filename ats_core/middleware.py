"""Middleware: pluggy wrappers around every operation. Ships the audit wrapper."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

from ats_core.errors import ProviderError
from ats_core.hookspecs import hookimpl
from ats_core.operations import OPERATION_NAMES

__all__ = ["AuditMiddleware"]

AUDIT_LOGGER = "ats_core.audit"


def _outcome(error: BaseException) -> str:
    status = getattr(error, "status_code", None) if isinstance(error, ProviderError) else None
    return f"error:{type(error).__name__}" + (f":{status}" if status is not None else "")


class AuditMiddleware:
    """Logs operation, provider, duration and outcome of every call; never arguments or payloads."""

    def __init__(
        self, provider: str, logger: logging.Logger | None = None, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self.provider = provider
        self.logger = logger or logging.getLogger(AUDIT_LOGGER)
        self.clock = clock

    def _log(self, operation: str, started: float, outcome: str, records: int | None = None) -> None:
        extra = {"provider": self.provider, "operation": operation, "outcome": outcome, "records": records}
        duration_ms = (self.clock() - started) * 1000
        count = "" if records is None else f" records={records}"
        self.logger.info(
            "%s.%s outcome=%s duration_ms=%.1f%s", self.provider, operation, outcome, duration_ms, count, extra=extra
        )

    def _audited_stream(self, operation: str, started: float, stream: Iterator[Any]) -> Iterator[Any]:
        records = 0
        try:
            for record in stream:
                records += 1
                yield record
        except BaseException as error:
            self._log(operation, started, _outcome(error), records)
            raise
        self._log(operation, started, "ok", records)

    def around(self, operation: str) -> Generator[None, Any, Any]:
        """The body of every wrapper: time the call and log its outcome."""
        started = self.clock()
        try:
            result = yield
        except BaseException as error:
            self._log(operation, started, _outcome(error))
            raise
        if isinstance(result, Iterator):
            return self._audited_stream(operation, started, result)
        self._log(operation, started, "ok")
        return result


def _wrapper_for(operation: str) -> Callable[[AuditMiddleware], Generator[None, Any, Any]]:
    def wrapper(self: AuditMiddleware) -> Generator[None, Any, Any]:
        return (yield from self.around(operation))

    wrapper.__name__ = operation
    return hookimpl(wrapper=True)(wrapper)


for _operation in OPERATION_NAMES:
    setattr(AuditMiddleware, _operation, _wrapper_for(_operation))
