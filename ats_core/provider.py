"""The base class a provider plugin subclasses, and the per-connection context it receives.

A provider sets `manifest` and `settings_model`, marks its operations with `@hookimpl`, and lists its
`streams` (one `Stream` class per entity the manifest declares a stream for): the page and record hooks
of those entities are derived here, with the hook spec's exact signatures, so the registry checks them
like any hookimpl.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, timezone
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from ats_core import hookspecs
from ats_core.errors import ConfigurationError
from ats_core.manifest import ProviderManifest, RateLimit, StreamDeclaration
from ats_core.models import Page, Record, RejectedRecord
from ats_core.operations import Entity, Operation, record_stream_of, stream_page_operation
from ats_core.rejects import OnInvalid, RejectPolicy

if TYPE_CHECKING:
    from ats_core.mapping import MappedPage, RecordMapper
    from ats_core.streams import Stream, StreamReader

__all__ = ["STREAM_ARGUMENTS", "NoSettings", "OnInvalid", "Provider", "ProviderContext"]

STREAM_ARGUMENTS = frozenset({"updated_after", "cursor", "page_size"})
"""Parameters every stream operation takes; the others are its filters."""


class NoSettings(BaseModel):
    """Settings of a provider that needs none."""

    model_config = ConfigDict(extra="forbid")


@dataclass
class ProviderContext:
    """What a connection hands its provider besides settings: the policy for records that fail validation."""

    provider: str
    policy: RejectPolicy = field(default_factory=RejectPolicy)

    def keep(self, mapped: MappedPage[Any]) -> list[Any]:
        """The mapped records, after handing the rejected ones to the connection's policy (raise or quarantine)."""
        self.policy.apply(mapped.rejected)
        return mapped.records


class Provider:
    """Subclass this, set `manifest` (and `settings_model`), mark operations with `@hookimpl`, list `streams`."""

    manifest: ClassVar[ProviderManifest]
    settings_model: ClassVar[type[BaseModel]] = NoSettings
    streams: ClassVar[Sequence[type[Stream[Any, Any]]]] = ()

    def __init__(self, settings: BaseModel, context: ProviderContext) -> None:
        self.settings = settings
        self.context = context

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for stream_class in cls.__dict__.get("streams", ()):
            entity = stream_class.entity
            page = stream_page_operation(entity)
            setattr(cls, page.name, _derived_hook(page, _page_hook(entity, page)))
            record = record_stream_of(page)
            if record is not None:
                setattr(cls, record.name, _derived_hook(record, _record_hook(entity, record)))

    @property
    def name(self) -> str:
        """The provider's name, as its manifest declares it (records and errors carry it)."""
        return self.manifest.name

    @property
    def time_zone(self) -> ZoneInfo | timezone:
        """The zone offset-less timestamps of this tenant are in (the `time_zone` setting, else UTC)."""
        name = getattr(self.settings, "time_zone", None)
        return ZoneInfo(name) if isinstance(name, str) else UTC

    def mapper(self, table: str, model: type[Record] | None = None) -> RecordMapper[Any]:
        """The declared mapping table `table` compiled for this connection's time zone (cached per process)."""
        from ats_core.mapping import compile_table

        key = (self.name, table, model, str(self.time_zone))
        cached = _MAPPERS.get(key)
        if cached is None:
            declared = self.manifest.mapping(table)
            cached = compile_table(
                declared,
                provider=self.name,
                time_zone=self.time_zone,
                null_dates=self.manifest.null_dates,
                model=model,
            )
            _MAPPERS[key] = cached
        return cached

    def page_size_for(self, stream: StreamDeclaration) -> int:
        """Records per request: the `page_size` setting within the declared maximum, else the declared default."""
        asked = getattr(self.settings, "page_size", None)
        size = stream.page_size.default if asked is None else int(asked)
        maximum = stream.page_size.maximum
        return size if maximum is None else min(size, maximum)

    def lookback_for(self, stream: StreamDeclaration) -> float:
        """Seconds re-read before updated_after: the declared lookback, or a longer `lookback_seconds` setting."""
        asked = getattr(self.settings, "lookback_seconds", None)
        return stream.lookback_seconds if asked is None else max(stream.lookback_seconds, float(asked))

    def rate_limit(self) -> RateLimit | None:
        """The declared rate limit, lowered by `requests_per_window`/`window_seconds` settings (raised only where
        the manifest says why the ATS allows it)."""
        declared = self.manifest.rate_limit
        requests = getattr(self.settings, "requests_per_window", None)
        window = getattr(self.settings, "window_seconds", None)
        if declared is None:
            return None if requests is None else RateLimit(requests=requests, per_seconds=window or 1.0)
        effective = declared.model_copy(
            update={"requests": requests or declared.requests, "per_seconds": window or declared.per_seconds}
        )
        faster = effective.requests / effective.per_seconds > declared.requests / declared.per_seconds
        if faster and declared.raise_reason is None:
            raise ConfigurationError(
                "requests_per_window",
                f"allows more than the declared limit ({declared.requests} per {declared.per_seconds:g} s); "
                "settings may lower the rate, never raise it",
                provider=self.name,
            )
        return effective

    def prefetch(self) -> int:
        """Pages fetched concurrently by record streams (the `prefetch` setting, else 1)."""
        asked = getattr(self.settings, "prefetch", None)
        return 1 if asked is None else int(asked)

    @cached_property
    def _readers(self) -> dict[Entity, StreamReader[Any]]:
        from ats_core.streams import StreamReader

        readers: dict[Entity, StreamReader[Any]] = {}
        for stream_class in self.streams:
            declaration = self.manifest.stream(stream_class.entity)
            if declaration is None:  # the registry refuses this; a hand-built client may still get here
                raise TypeError(f"{type(self).__name__}: no stream of {stream_class.entity.value} in the manifest")
            readers[stream_class.entity] = StreamReader(stream_class(self), declaration, prefetch=self.prefetch())
        return readers

    def reader(self, entity: Entity) -> StreamReader[Any]:
        """The core's reader of the stream this provider declares for `entity`."""
        return self._readers[entity]

    def close(self) -> None:
        """Release connections; called when the client closes."""

    def http_stats(self) -> Mapping[str, int]:
        """Counters of this connection's HTTP traffic (requests, retries, ...); direct providers override it."""
        return {}


_MAPPERS: dict[tuple[object, ...], Any] = {}


def _page_hook(entity: Entity, spec: Operation) -> Callable[..., Page[Any]]:
    filters = [p for p in spec.parameters if p not in STREAM_ARGUMENTS]

    def hook(self: Provider, arguments: dict[str, Any]) -> Page[Any]:
        chosen = {name: arguments[name] for name in filters}
        return self.reader(entity).page(arguments["updated_after"], chosen, arguments["cursor"], arguments["page_size"])

    return hook


def _record_hook(entity: Entity, spec: Operation) -> Callable[..., Iterator[Any]]:
    filters = [p for p in spec.parameters if p not in STREAM_ARGUMENTS]

    def hook(self: Provider, arguments: dict[str, Any]) -> Iterator[Any]:
        chosen = {name: arguments[name] for name in filters}
        return _records(self.context.policy, self.reader(entity).records(arguments["updated_after"], chosen))

    return hook


def _records(policy: RejectPolicy, pages: Iterator[tuple[list[Any], list[RejectedRecord]]]) -> Iterator[Any]:
    for records, rejected in pages:
        policy.apply(rejected)
        yield from records


def _derived_hook(spec: Operation, body: Callable[[Provider, dict[str, Any]], Any]) -> Callable[..., Any]:
    """A hookimpl whose parameters are exactly the spec's (pluggy reads them from the code object) calling `body`.

    Built from source, as `dataclasses` builds `__init__`: the names are catalog parameter names.
    """
    names = spec.parameters
    if not all(name.isidentifier() for name in names):
        raise ValueError(f"{spec.name}: parameter names must be identifiers")
    source = (
        f"def {spec.name}(self, {', '.join(names)}):\n"
        f"    return body(self, {{{', '.join(f'{name!r}: {name}' for name in names)}}})\n"
    )
    namespace: dict[str, Any] = {}
    exec(source, {"body": body}, namespace)  # identifiers from the catalog only, as dataclasses does
    hook: Callable[..., Any] = namespace[spec.name]
    hook.__doc__ = f"{spec.description} (derived by ats-core from the declared stream)"
    hook.__module__ = __name__
    marked: Callable[..., Any] = hookspecs.hookimpl(hook)
    return marked
