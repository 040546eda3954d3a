"""What every client call does, whatever the operation: check the declaration, validate input, dispatch, check the result.

`ClientBase._call(spec, **arguments)` is typed with a ParamSpec, so each generated method
(`client_operations.py`) is checked by mypy against its hookspec; the catalog entry of the spec decides
which arguments are ids, which must be time-zone aware, and what shape the result must have.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, ParamSpec, TypeVar, cast

import pluggy

from ats_core import hookspecs
from ats_core.errors import CapabilityNotSupported, InvalidInput, PluginError, ProviderContractError
from ats_core.manifest import ProviderManifest
from ats_core.models import Page, Record
from ats_core.operations import Operation, ReturnKind, operation
from ats_core.provider import Provider
from ats_core.registry import LoadedProvider
from ats_core.scope import operation_scope, scoped_iterator

__all__ = ["ClientBase"]

P = ParamSpec("P")
ResultT = TypeVar("ResultT")


class ClientBase:
    """One connection to one provider: its PluginManager, its declaration, and the checked dispatch."""

    def __init__(self, loaded: LoadedProvider, provider: Provider, middleware: Sequence[object] = ()) -> None:
        self.loaded = loaded
        self.provider = provider
        self.plugin_manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.plugin_manager.add_hookspecs(hookspecs)
        self.plugin_manager.register(provider, name=loaded.name)
        for index, wrapper in enumerate(middleware):
            _require_wrappers_only(loaded.name, wrapper)
            self.plugin_manager.register(wrapper, name=f"{loaded.name}-middleware-{index}")

    @property
    def name(self) -> str:
        """The provider's name."""
        return self.loaded.name

    @property
    def manifest(self) -> ProviderManifest:
        """The provider's declaration."""
        return self.loaded.manifest

    def supports(self, operation_name: str) -> bool:
        """True when the provider declares `operation_name` supported or basic."""
        return self.manifest.status_of(operation_name).implemented

    def _call(self, spec: Callable[P, ResultT], /, *args: P.args, **kwargs: P.kwargs) -> ResultT:
        """Run one operation: refuse what is not implemented or invalid, dispatch, check what came back."""
        entry = operation(spec.__name__)
        declaration = self.manifest.operations[entry.name]
        with operation_scope(self.name, entry.name):
            _validate(entry, kwargs)
            if not declaration.status.implemented:
                raise CapabilityNotSupported(self.name, entry.name, declaration.status.value, declaration.reason)
            result = getattr(self.plugin_manager.hook, entry.name)(**kwargs)
            checked = _checked_result(entry, result)
            if isinstance(checked, Page):
                self.provider.context.policy.apply(checked.rejected)
        if entry.returns is ReturnKind.ITERATOR:
            checked = scoped_iterator(self.name, entry.name, _checked_items(entry, checked))
        # The value has just been checked against the catalog's return kind and model, which the spec's
        # annotation is: the cast states what the checks established.
        return cast(ResultT, checked)


def _require_wrappers_only(provider: str, middleware: object) -> None:
    """Middleware may wrap operations, never answer them (a plain hookimpl would hijack dispatch)."""
    marker = f"{hookspecs.PROJECT_NAME}_impl"
    for attribute in dir(middleware):
        options = getattr(getattr(middleware, attribute, None), marker, None)
        if isinstance(options, dict) and not (options.get("wrapper") or options.get("hookwrapper")):
            raise PluginError(
                provider,
                f"middleware {type(middleware).__name__}.{attribute} is a plain hookimpl; "
                "middleware may only wrap operations (@hookimpl(wrapper=True))",
            )


def _validate(entry: Operation, arguments: dict[str, Any]) -> None:
    """Refuse, before any request, arguments the catalog says cannot be right."""
    updated_after = arguments.get("updated_after")
    if isinstance(updated_after, datetime) and updated_after.tzinfo is None:
        raise InvalidInput("updated_after", "needs a time zone (e.g. datetime(..., tzinfo=UTC))")
    page_size = arguments.get("page_size")
    if page_size is not None and (isinstance(page_size, bool) or not isinstance(page_size, int) or page_size <= 0):
        raise InvalidInput("page_size", "must be a positive whole number of records")
    for name in entry.ids:
        value = arguments.get(name)
        if value is None:
            continue
        if isinstance(value, str):
            if not value.strip():
                raise InvalidInput(name, "is empty; pass the record or its remote id")
        elif isinstance(value, Sequence) and not isinstance(value, Record):
            if not value and not _optional(entry, name):
                raise InvalidInput(name, "is empty; pass at least one id")
            if any(not isinstance(item, str) or not item.strip() for item in value):
                raise InvalidInput(name, "holds an empty id; pass remote ids as non-empty text")
    if entry.options.one_of and all(arguments.get(name) is None for name in entry.options.one_of):
        raise InvalidInput(entry.options.one_of[0], f"give at least one of {', '.join(entry.options.one_of)}")


def _optional(entry: Operation, name: str) -> bool:
    return next(p.optional for p in entry.signature if p.name == name)


def _checked_result(entry: Operation, result: object) -> object:
    """The provider's answer if it has the shape the catalog promises; ProviderContractError otherwise."""
    model, kind = entry.model, entry.returns
    problem = None
    if kind is ReturnKind.ITERATOR:
        problem = None if isinstance(result, Iterator) else "an iterator"
    elif kind is ReturnKind.PAGE:
        problem = _wrong_items(result.items, model) if isinstance(result, Page) else f"a Page of {model.__name__}"
    elif kind is ReturnKind.LIST:
        problem = f"a list of {model.__name__}" if not isinstance(result, list) else _wrong_items(result, model)
    elif kind is ReturnKind.OPTIONAL_RECORD:
        problem = None if result is None or isinstance(result, model) else f"{model.__name__} or None"
    elif not isinstance(result, model):
        problem = f"a {model.__name__}"
    if problem is not None:
        raise ProviderContractError(f"the hook returned {_shape(result)} instead of {problem}")
    return result


def _wrong_items(items: Sequence[object], model: type) -> str | None:
    wrong = next((item for item in items if not isinstance(item, model)), None)
    return None if wrong is None else f"items of {model.__name__} only (found {_shape(wrong)})"


def _checked_items(entry: Operation, stream: object) -> Iterator[Any]:
    """The stream's records, each checked to be the catalog's model."""
    assert isinstance(stream, Iterator)
    for item in stream:
        if not isinstance(item, entry.model):
            raise ProviderContractError(f"the stream yielded {_shape(item)} instead of {entry.model.__name__}")
        yield item


def _shape(value: object) -> str:
    return "None" if value is None else type(value).__name__
