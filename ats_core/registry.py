"""Provider discovery through the `ats_core.providers` entry points, and declaration checks.

A plugin is refused when its manifest lies: an operation declared implemented without a hookimpl,
a hookimpl for an operation declared not implemented, or a hookimpl whose parameters do not fit
the spec. Failures are reported per plugin and never break the others.
"""

from __future__ import annotations

import importlib.metadata
import inspect
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from stevedore import ExtensionManager

from ats_core.errors import ManifestMismatch, PluginError
from ats_core.hook_shapes import check_hookimpl_shape, check_with_pluggy, hookimpl_options
from ats_core.manifest import ProviderManifest
from ats_core.operations import OPERATION_NAMES, stream_page_operation
from ats_core.provider import STREAM_ARGUMENTS, Provider

__all__ = [
    "PROVIDER_GROUP",
    "Discovery",
    "LoadError",
    "LoadedProvider",
    "discover",
    "hookimpl_names",
    "load_provider",
    "validate_provider_class",
]

PROVIDER_GROUP = "ats_core.providers"


@dataclass(frozen=True)
class LoadedProvider:
    """A provider found through an entry point and validated."""

    name: str
    entry_point: str
    provider_class: type[Provider]
    group: str = PROVIDER_GROUP

    @property
    def manifest(self) -> ProviderManifest:
        """The provider's declaration."""
        return self.provider_class.manifest

    @property
    def distribution(self) -> str | None:
        """The installed distribution that declares the entry point (looked up on demand: it scans metadata)."""
        for entry_point in importlib.metadata.entry_points(group=self.group, name=self.name):
            if entry_point.value == self.entry_point and entry_point.dist is not None:
                return str(entry_point.dist.metadata["Name"])
        return None


@dataclass(frozen=True)
class LoadError:
    """A plugin that could not be loaded or validated, and why."""

    name: str
    entry_point: str
    error: str


@dataclass
class Discovery:
    """The result of one scan: valid providers by name and the plugins refused."""

    providers: dict[str, LoadedProvider] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)


def hookimpl_names(cls: type) -> set[str]:
    """Names of the methods of `cls` marked with `hookimpl` (also a mark outside @staticmethod, to refuse it)."""
    return {
        name
        for name in dir(cls)
        if hookimpl_options(getattr(cls, name, None)) is not None
        or hookimpl_options(inspect.getattr_static(cls, name, None)) is not None
    }


def _check_manifest_validates(name: str, manifest: ProviderManifest) -> None:
    """Validate the manifest again: one made with `model_construct` skips every check (a missing operation...)."""
    try:
        type(manifest).model_validate(dict(manifest))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(manifest)"
        raise PluginError(
            name,
            f"the manifest does not validate ({error.error_count()} errors; first: {where}: {first['msg']}); "
            "build it with ProviderManifest(...) rather than model_construct",
        ) from error


def _check_streams(name: str, cls: type[Provider], manifest: ProviderManifest) -> None:
    """Stream classes and declared streams agree, and each declared stream says how it applies every filter."""
    classes = {stream.entity for stream in cls.streams}
    for stream in manifest.streams:
        page = stream_page_operation(stream.entity)
        if stream.entity not in classes:
            raise ManifestMismatch(
                name,
                page.name,
                f"the manifest declares a {stream.entity.stream} stream; list its Stream class in `streams`",
            )
        filters = set(page.parameters) - STREAM_ARGUMENTS
        if set(stream.filters) != filters:
            raise ManifestMismatch(
                name,
                page.name,
                f"the stream declares filters {sorted(stream.filters)} but the operation takes {sorted(filters)}; "
                "declare how each is applied (server or client)",
            )
    for entity in classes - {stream.entity for stream in manifest.streams}:
        page = stream_page_operation(entity)
        raise ManifestMismatch(
            name, page.name, f"a Stream class of {entity.stream} has no StreamDeclaration in the manifest"
        )


def validate_provider_class(name: str, cls: object) -> type[Provider]:
    """Check a provider class against its manifest both ways; return it or raise PluginError."""
    if not (isinstance(cls, type) and issubclass(cls, Provider)):
        raise PluginError(name, f"entry point must name a subclass of ats_core.Provider, got {cls!r}")
    manifest = getattr(cls, "manifest", None)
    if not isinstance(manifest, ProviderManifest):
        raise PluginError(name, "the provider class has no `manifest` (a ProviderManifest)")
    if manifest.name != name:
        raise PluginError(name, f"entry point name '{name}' differs from manifest name '{manifest.name}'")
    _check_manifest_validates(name, manifest)
    _check_streams(name, cls, manifest)
    impls = hookimpl_names(cls)
    unknown = sorted(impls - set(OPERATION_NAMES))
    if unknown:
        raise ManifestMismatch(name, unknown[0], "hookimpl for an operation the catalog does not know")
    for operation in OPERATION_NAMES:
        status = manifest.status_of(operation)
        if status.implemented and operation not in impls:
            raise ManifestMismatch(name, operation, f"declared '{status.value}' but has no hookimpl")
        if not status.implemented and operation in impls:
            raise ManifestMismatch(name, operation, f"has a hookimpl but is declared '{status.value}'")
        if operation in impls:
            check_hookimpl_shape(name, cls, operation)
    check_with_pluggy(name, cls, sorted(impls))
    return cls


def _entry_point_text(entry_point: Any) -> str:
    return str(getattr(entry_point, "value", entry_point))


class _IsolatingManager(ExtensionManager[Any]):
    """stevedore's manager, except that an AssertionError or SystemExit while importing one plugin is that
    plugin's load error (stevedore re-raises them, which would end discovery for every plugin)."""

    def _load_one_plugin(self, ep: Any, *args: Any) -> Any:
        try:
            return super()._load_one_plugin(ep, *args)
        except (AssertionError, SystemExit) as error:
            raise PluginError(ep.name, f"import raised {error!r}") from error


def _claimants(group: str) -> dict[str, list[str]]:
    """Per provider name, every installed distribution declaring it (stevedore merges identical entry points)."""
    claims: defaultdict[str, list[str]] = defaultdict(list)
    for entry_point in importlib.metadata.entry_points(group=group):
        dist = entry_point.dist
        claims[entry_point.name].append(f"{dist.metadata['Name'] if dist else '?'} ({entry_point.value})")
    return claims


def _describe(error: Exception) -> str:
    """A load error's text: a PluginError as it reads, anything else with its type (plugin code raised it)."""
    return str(error) if isinstance(error, PluginError) else f"validation raised {type(error).__name__}: {error}"


def discover(group: str = PROVIDER_GROUP) -> Discovery:
    """Load and validate every provider plugin in the entry-point group; each failure is that plugin's alone."""
    result = Discovery()
    ExtensionManager.ENTRY_POINT_CACHE.pop(group, None)  # stevedore keeps a per-process copy; rescan each time

    def on_failure(_manager: ExtensionManager[Any], entry_point: Any, error: BaseException) -> None:
        text = str(error) if isinstance(error, PluginError) else f"import failed: {error!r}"
        result.errors.append(LoadError(entry_point.name, _entry_point_text(entry_point), text))

    manager = _IsolatingManager(
        namespace=group, invoke_on_load=False, on_load_failure_callback=on_failure, propagate_map_exceptions=True
    )
    counts = Counter(ext.name for ext in manager.extensions)
    claims = _claimants(group)
    for ext in sorted(manager.extensions, key=lambda e: (e.name, _entry_point_text(e.entry_point))):
        where = _entry_point_text(ext.entry_point)
        if counts[ext.name] > 1 or len(claims.get(ext.name, ())) > 1:
            claimed = "; ".join(claims.get(ext.name, ())) or where
            message = f"provider name claimed by more than one plugin ({claimed}); uninstall all but one"
            result.errors.append(LoadError(ext.name, where, message))
            continue
        try:
            cls = validate_provider_class(ext.name, ext.plugin)
        except Exception as error:  # a plugin's own code may raise anything; it must not end discovery
            result.errors.append(LoadError(ext.name, where, _describe(error)))
            continue
        result.providers[ext.name] = LoadedProvider(ext.name, where, cls, group)
    return result


def load_provider(name: str, group: str = PROVIDER_GROUP) -> LoadedProvider:
    """The named provider, or PluginError saying why it is not available."""
    found = discover(group)
    if name in found.providers:
        return found.providers[name]
    for error in found.errors:
        if error.name == name:
            raise PluginError(name, f"could not be loaded ({error.entry_point}): {error.error}")
    known = ", ".join(sorted(found.providers)) or "none"
    raise PluginError(name, f"no such provider installed (entry-point group '{group}'); installed: {known}")
