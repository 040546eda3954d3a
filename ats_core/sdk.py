"""The provider API: everything a provider author imports, from one module.

A provider is a `Provider` subclass with a `ProviderManifest` (a status and reason per operation, the
streams, the field mappings), `@hookimpl` methods for its operations, and one `Stream` per entity it
streams. Three namespaces hold the rest: `models` (the canonical records it returns), `fields` (the value
converters) and `http` (the shared HTTP client it calls the ATS with, imported on first use). Nothing
else in `ats_core` needs importing; the README's "Adding a provider" walks through it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ats_core import errors, fields, models
from ats_core.custom_values import typed_custom_value
from ats_core.fields import ExtensionField, FieldMapping, FieldType, MappingTable
from ats_core.manifest import (
    FilterDeclaration,
    ImplementationType,
    OperationDeclaration,
    OperationStatus,
    PageSize,
    ProviderManifest,
    RateLimit,
    StreamDeclaration,
)
from ats_core.mapping import MappedPage
from ats_core.operation_spec import hookimpl
from ats_core.operations import OPERATION_NAMES, Entity
from ats_core.provider import Provider, ProviderContext
from ats_core.scope import parallel_map, scope_label
from ats_core.settings import Seconds, TimeZoneName, Whole
from ats_core.streams import Fetched, OffsetStream, Position, Rows, Stream, StreamQuery
from ats_core.uploads import decoded_pdf, safe_pdf_name

__all__ = [
    "OPERATION_NAMES",
    "Entity",
    "ExtensionField",
    "Fetched",
    "FieldMapping",
    "FieldType",
    "FilterDeclaration",
    "ImplementationType",
    "MappedPage",
    "MappingTable",
    "OffsetStream",
    "PageSize",
    "Position",
    "Provider",
    "ProviderContext",
    "ProviderManifest",
    "RateLimit",
    "Rows",
    "Seconds",
    "Stream",
    "StreamDeclaration",
    "StreamQuery",
    "TimeZoneName",
    "Whole",
    "basic",
    "decoded_pdf",
    "errors",
    "fields",
    "hookimpl",
    "http",
    "models",
    "not_applicable",
    "not_implemented",
    "parallel_map",
    "safe_pdf_name",
    "scope_label",
    "supported",
    "typed_custom_value",
    "unsupported",
]


if TYPE_CHECKING:
    from ats_core import http


def __getattr__(name: str) -> Any:
    """`http` is imported on first use: discovery (`ats providers`) loads plugins without the HTTP stack."""
    if name == "http":
        return importlib.import_module("ats_core.http")
    raise AttributeError(f"module 'ats_core.sdk' has no attribute '{name}'")


def supported() -> OperationDeclaration:
    """The operation works fully."""
    return OperationDeclaration(status=OperationStatus.SUPPORTED)


def basic(reason: str) -> OperationDeclaration:
    """The operation works, with the limits `reason` states."""
    return OperationDeclaration(status=OperationStatus.BASIC, reason=reason)


def not_implemented(reason: str) -> OperationDeclaration:
    """The ATS could do it; this provider does not yet (`reason`: what is missing)."""
    return OperationDeclaration(status=OperationStatus.NOT_IMPLEMENTED, reason=reason)


def unsupported(reason: str) -> OperationDeclaration:
    """The ATS cannot do it (`reason`: why, and the nearest thing it offers)."""
    return OperationDeclaration(status=OperationStatus.UNSUPPORTED_BY_PROVIDER, reason=reason)


def not_applicable(reason: str) -> OperationDeclaration:
    """The operation makes no sense for this provider (`reason`: why)."""
    return OperationDeclaration(status=OperationStatus.NOT_APPLICABLE, reason=reason)
