"""Checks that a provider's hookimpls will receive every argument the client passes, the way pluggy calls them.

pluggy passes a hookimpl only the spec arguments its positional parameters name: a parameter left out, one
with a default or a keyword-only one never receives the caller's value (a filter silently ignored). A
wrapper answers nothing, and a staticmethod or classmethod has no provider instance. Each check names the
plugin, the operation and what to change; the last one registers the class in a throwaway PluginManager
so pluggy's own validation runs before any connection does.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Iterable

import pluggy

from ats_core import hookspecs
from ats_core.errors import ManifestMismatch

__all__ = ["check_hookimpl_shape", "check_with_pluggy", "hookimpl_options"]

IMPL_ATTR = f"{hookspecs.PROJECT_NAME}_impl"


def hookimpl_options(value: object) -> dict[str, object] | None:
    """The options `@hookimpl` stored on `value`, or None when it is not marked."""
    options = getattr(value, IMPL_ATTR, None)
    return options if isinstance(options, dict) else None


def _spec_parameters(operation: str) -> tuple[str, ...]:
    return tuple(inspect.signature(getattr(hookspecs, operation)).parameters)


def check_hookimpl_shape(plugin: str, cls: type, operation: str) -> None:
    """Refuse a hookimpl pluggy would call without some of the spec's arguments, or could not call on an instance."""
    static = inspect.getattr_static(cls, operation)
    if isinstance(static, (staticmethod, classmethod)):
        kind = type(static).__name__
        raise ManifestMismatch(plugin, operation, f"the hookimpl is a {kind}; make it a plain method taking self")
    function = getattr(cls, operation)
    if not inspect.isfunction(function):
        raise ManifestMismatch(plugin, operation, f"the hookimpl is a {type(function).__name__}, not a method")
    options = hookimpl_options(function) or {}
    if options.get("wrapper") or options.get("hookwrapper"):
        raise ManifestMismatch(
            plugin, operation, "the hookimpl is a wrapper, which answers nothing; implement it with a plain @hookimpl"
        )
    spec = _spec_parameters(operation)
    parameters = list(inspect.signature(function).parameters.values())[1:]  # drop self
    _refuse(plugin, operation, [p.name for p in parameters if p.name not in spec], "are not in the spec", spec)
    variadic = [p.name for p in parameters if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    _refuse(plugin, operation, variadic, "are *args/**kwargs, which pluggy never fills", spec)
    keyword_only = [p.name for p in parameters if p.kind is p.KEYWORD_ONLY]
    _refuse(plugin, operation, keyword_only, "are keyword-only, which pluggy never fills", spec)
    defaults = [p.name for p in parameters if p.default is not p.empty]
    _refuse(plugin, operation, defaults, "have defaults, so pluggy never passes them the caller's value", spec)
    names = {p.name for p in parameters}
    _refuse(plugin, operation, [n for n in spec if n not in names], "are missing, so they would be ignored", spec)


def _refuse(plugin: str, operation: str, names: Iterable[str], problem: str, spec: tuple[str, ...]) -> None:
    listed = list(names)
    if listed:
        raise ManifestMismatch(
            plugin,
            operation,
            f"hookimpl parameters {listed} {problem}; take exactly the spec's parameters ({', '.join(spec)}), "
            "by name, positional, without defaults",
        )


def check_with_pluggy(plugin: str, cls: type, operations: Iterable[str]) -> None:
    """Register `cls`'s hookimpls in a throwaway PluginManager, so pluggy refuses now what it would refuse later.

    The hookimpls are bound to a stand-in instance, as a connection binds them to the provider.
    """
    stand_in = types.SimpleNamespace()
    for name in operations:
        setattr(stand_in, name, types.MethodType(getattr(cls, name), stand_in))
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    try:
        manager.register(stand_in, name=plugin)
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        hook = next((name for name in operations if f"hook {name!r}" in str(error)), "(registration)")
        raise ManifestMismatch(
            plugin, hook, f"pluggy refuses the hookimpl: {'; '.join(str(error).splitlines())}"
        ) from error
