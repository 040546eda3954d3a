"""The operation scope: which provider and operation the running code serves, set once per client call.

`ATSClient` enters a scope for every call (and re-enters it on every step of a stream it returns); the
HTTP layer's logs read it, and the errors leaving the scope get their provider and operation filled in
there, so no layer below passes an operation name along. Thread pools do not copy context variables:
submit work through `run_in_scope` so threads see the caller's scope.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

__all__ = [
    "OperationScope",
    "current_scope",
    "operation_scope",
    "parallel_map",
    "run_in_scope",
    "scope_label",
    "scoped_iterator",
]

P = ParamSpec("P")
ResultT = TypeVar("ResultT")
ItemT = TypeVar("ItemT")


@dataclass(frozen=True)
class OperationScope:
    """The provider and the catalog operation a piece of work belongs to."""

    provider: str
    operation: str


_CURRENT: contextvars.ContextVar[OperationScope | None] = contextvars.ContextVar("ats_core_scope", default=None)


def current_scope() -> OperationScope | None:
    """The scope of the running code, or None outside any client call."""
    return _CURRENT.get()


def scope_label() -> str:
    """`provider.operation` of the running client call for log lines; `ats_core` outside one."""
    scope = _CURRENT.get()
    return "ats_core" if scope is None else f"{scope.provider}.{scope.operation}"


@contextmanager
def operation_scope(provider: str, operation: str) -> Iterator[OperationScope]:
    """Run the block in the scope of `provider.operation`; errors leaving it name both."""
    scope = OperationScope(provider, operation)
    token = _CURRENT.set(scope)
    try:
        yield scope
    except BaseException as error:
        _attach(error, scope)
        raise
    finally:
        _CURRENT.reset(token)


def _attach(error: BaseException, scope: OperationScope) -> None:
    attach = getattr(error, "attach_scope", None)
    if callable(attach):
        attach(scope.provider, scope.operation)


def scoped_iterator(provider: str, operation: str, iterator: Iterator[ItemT]) -> Iterator[ItemT]:
    """`iterator`, each step run in the scope (a stream's pages are fetched lazily, after the call returned)."""
    try:
        while True:
            with operation_scope(provider, operation):
                try:
                    item = next(iterator)
                except StopIteration:
                    return
            yield item
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            with operation_scope(provider, operation):
                close()


def run_in_scope(
    executor: Executor, function: Callable[P, ResultT], *args: P.args, **kwargs: P.kwargs
) -> Future[ResultT]:
    """`executor.submit` with the caller's context (and so its scope) copied into the worker thread."""
    context = contextvars.copy_context()

    def run() -> ResultT:
        return context.run(function, *args, **kwargs)

    return executor.submit(run)


def parallel_map(function: Callable[[ItemT], ResultT], items: Sequence[ItemT], workers: int) -> list[ResultT]:
    """`function` over `items` on up to `workers` threads in the caller's scope, results in order."""
    if len(items) <= 1 or workers <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(workers, len(items)), thread_name_prefix="ats-parallel") as pool:
        futures = [run_in_scope(pool, function, item) for item in items]
        return [future.result() for future in futures]
