"""The cross-provider capability matrix: `capability_matrix.yaml`, its JSON Schema, and the coverage pages.

Every function here is pure: a list of `ProviderSource` in, text (or plain data) out. Providers are
sorted by name and operations follow the catalog, so the output does not depend on the order in which
anything was declared or discovered.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from ats_core.fields import FieldType
from ats_core.generate.coverage import STATUS_MARKS, Coverage, format_percent
from ats_core.generate.layout import COVERAGE_HTML_PATH, COVERAGE_MD_PATH, MATRIX_PATH, provider_page_path
from ats_core.generate.rendering import generated_notice, render_template
from ats_core.generate.sources import ProviderSource
from ats_core.manifest import ImplementationType, OperationStatus, ProviderManifest
from ats_core.models import NoteFormat
from ats_core.operations import OPERATION_NAMES, OPERATIONS, Group, Operation, operations_in

__all__ = [
    "MATRIX_COMMAND",
    "SCHEMA_VERSION",
    "STATUS_MEANINGS",
    "matrix_data",
    "matrix_schema",
    "render_coverage_html",
    "render_coverage_markdown",
    "render_matrix_yaml",
    "sorted_sources",
]

SCHEMA_VERSION = 1
MATRIX_COMMAND = "ats matrix"
_SUBJECT = "the installed providers' manifests"

STATUS_MEANINGS: dict[OperationStatus, str] = {
    OperationStatus.SUPPORTED: "Implemented in full.",
    OperationStatus.BASIC: "Implemented, with limits stated in the reason.",
    OperationStatus.NOT_IMPLEMENTED: "The ATS could do it; the provider does not yet.",
    OperationStatus.UNSUPPORTED_BY_PROVIDER: "The ATS itself cannot do it.",
    OperationStatus.NOT_APPLICABLE: "The operation has no meaning for this ATS.",
}

_TOTAL_KEYS = [status.value for status in OperationStatus]


def sorted_sources(sources: Iterable[ProviderSource]) -> list[ProviderSource]:
    """Providers by name; a name given twice is a caller error."""
    ordered = sorted(sources, key=lambda source: source.name)
    names = [source.name for source in ordered]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"provider given more than once: {', '.join(duplicates)}")
    return ordered


def _derived_capability(manifest: ProviderManifest, operation: str) -> dict[str, Any]:
    status = manifest.status_of(operation)
    return {"status": status.value, "available": status.implemented}


def _configuration(manifest: ProviderManifest) -> dict[str, Any]:
    rate_limit = manifest.rate_limit
    return {
        "provider_enum": manifest.name,
        "display_name": manifest.display_name,
        "version": manifest.version,
        "implementation_type": manifest.implementation_type.value,
        "note_format": manifest.note_format.value,
        "disposition_reasons": _derived_capability(manifest, "get_disposition_reasons"),
        "all_application_stages": _derived_capability(manifest, "get_all_application_stages"),
        "base_url": manifest.base_url,
        "auth_methods": list(manifest.auth_methods),
        "rate_limit": None
        if rate_limit is None
        else {"requests": rate_limit.requests, "per_seconds": float(rate_limit.per_seconds)},
        "streams": {
            stream.entity.stream: {
                "incremental": stream.incremental,
                "lookback_seconds": float(stream.lookback_seconds),
                "page_size": stream.page_size.default,
                "max_page_size": stream.page_size.maximum,
            }
            for stream in manifest.streams
        },
        "extensions": _extensions(manifest),
        "custom_field_types": {name: field_type.value for name, field_type in manifest.custom_field_types.items()},
    }


def _extensions(manifest: ProviderManifest) -> dict[str, dict[str, str]]:
    """Entity -> provider extension name -> its field type, over every mapping table of the entity."""
    found: dict[str, dict[str, str]] = {}
    for table in manifest.field_mappings:
        for extension in table.extensions:
            found.setdefault(table.entity.value, {})[extension.name] = extension.type.value
    return {entity: dict(sorted(names.items())) for entity, names in sorted(found.items())}


def _totals(manifest: ProviderManifest) -> dict[str, Any]:
    coverage = Coverage.of(manifest)
    totals: dict[str, Any] = {status.value: coverage.counts[status] for status in OperationStatus}
    totals["implemented"] = coverage.implemented
    totals["implemented_percent"] = coverage.percent
    return totals


def _provider_entry(manifest: ProviderManifest) -> dict[str, Any]:
    operations = {}
    for op in OPERATIONS:
        declaration = manifest.operations[op.name]
        operations[op.name] = {
            "group": op.group.value,
            "reference": op.reference_signature,
            "status": declaration.status.value,
            "reason": declaration.reason,
        }
    return {"configuration": _configuration(manifest), "operations": operations, "totals": _totals(manifest)}


def _catalog() -> dict[str, Any]:
    return {
        "operation_count": len(OPERATIONS),
        "groups": {group.value: [op.name for op in operations_in(group)] for group in Group},
        "operations": {
            op.name: {
                "group": op.group.value,
                "reference": op.reference_signature,
                "in_reference": op.in_reference,
                "returns": op.returns.value,
                "return_type": op.return_type,
                "description": op.description,
            }
            for op in OPERATIONS
        },
    }


def matrix_data(sources: Iterable[ProviderSource]) -> dict[str, Any]:
    """The matrix as plain data: what `capability_matrix.yaml` holds."""
    return {
        "schema_version": SCHEMA_VERSION,
        "statuses": {status.value: meaning for status, meaning in STATUS_MEANINGS.items()},
        "catalog": _catalog(),
        "providers": {source.name: _provider_entry(source.manifest) for source in sorted_sources(sources)},
    }


def render_matrix_yaml(sources: Iterable[ProviderSource]) -> str:
    """`capability_matrix.yaml`: a generated-file header, then the matrix data as YAML."""
    lines = [*textwrap.wrap(generated_notice(MATRIX_COMMAND, _SUBJECT), 100), "Schema: `ats matrix --schema`."]
    header = "\n".join(f"# {line}" for line in lines)
    body = yaml.safe_dump(
        matrix_data(sources), sort_keys=False, allow_unicode=True, default_flow_style=False, width=120
    )
    return f"{header}\n{body}"


def _string_enum(values: Iterable[str]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": list(properties), "properties": properties}


def matrix_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of `capability_matrix.yaml`."""
    statuses = _string_enum(status.value for status in OperationStatus)
    groups = _string_enum(group.value for group in Group)
    field_types = _string_enum(field_type.value for field_type in FieldType)
    capability = _object({"status": statuses, "available": {"type": "boolean"}})
    count = {"type": "integer", "minimum": 0, "maximum": len(OPERATIONS)}
    provider = _object(
        {
            "configuration": _object(
                {
                    "provider_enum": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                    "display_name": {"type": "string", "minLength": 1},
                    "version": {"type": "string", "minLength": 1},
                    "implementation_type": _string_enum(t.value for t in ImplementationType),
                    "note_format": _string_enum(f.value for f in NoteFormat),
                    "disposition_reasons": capability,
                    "all_application_stages": capability,
                    "base_url": {"type": "string", "minLength": 1},
                    "auth_methods": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                    "rate_limit": {
                        "oneOf": [
                            {"type": "null"},
                            _object(
                                {
                                    "requests": {"type": "integer", "exclusiveMinimum": 0},
                                    "per_seconds": {"type": "number", "exclusiveMinimum": 0},
                                }
                            ),
                        ]
                    },
                    "extensions": {
                        "type": "object",
                        "additionalProperties": {"type": "object", "additionalProperties": field_types},
                    },
                    "custom_field_types": {"type": "object", "additionalProperties": field_types},
                    "streams": {
                        "type": "object",
                        "additionalProperties": _object(
                            {
                                "incremental": {"type": "boolean"},
                                "lookback_seconds": {"type": "number", "minimum": 0},
                                "page_size": {"type": "integer", "exclusiveMinimum": 0},
                                "max_page_size": {
                                    "oneOf": [{"type": "null"}, {"type": "integer", "exclusiveMinimum": 0}]
                                },
                            }
                        ),
                    },
                }
            ),
            "operations": _object(
                {
                    name: _object(
                        {
                            "group": groups,
                            "reference": {"type": "string"},
                            "status": statuses,
                            "reason": {"type": "string"},
                        }
                    )
                    for name in OPERATION_NAMES
                }
            ),
            "totals": _object(
                {
                    **{key: count for key in _TOTAL_KEYS},
                    "implemented": count,
                    "implemented_percent": {"type": "number", "minimum": 0, "maximum": 100},
                }
            ),
        }
    )
    catalog_entry = _object(
        {
            "group": groups,
            "reference": {"type": "string"},
            "in_reference": {"type": "boolean"},
            "returns": {"type": "string"},
            "return_type": {"type": "string"},
            "description": {"type": "string"},
        }
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ats-core.invalid/schemas/capability_matrix.json",
        "title": "ats-core capability matrix",
        "description": f"{MATRIX_PATH}, generated by `{MATRIX_COMMAND}` from the installed providers' manifests.",
        **_object(
            {
                "schema_version": {"const": SCHEMA_VERSION},
                "statuses": _object({status.value: {"type": "string"} for status in OperationStatus}),
                "catalog": _object(
                    {
                        "operation_count": {"const": len(OPERATIONS)},
                        "groups": _object(
                            {group.value: {"type": "array", "items": {"type": "string"}} for group in Group}
                        ),
                        "operations": _object({name: catalog_entry for name in OPERATION_NAMES}),
                    }
                ),
                "providers": {
                    "type": "object",
                    "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
                    "additionalProperties": provider,
                },
            }
        ),
    }


@dataclass(frozen=True)
class _Cell:
    status: OperationStatus
    reason: str

    @property
    def mark(self) -> str:
        return STATUS_MARKS[self.status]


@dataclass(frozen=True)
class _Row:
    operation: Operation
    cells: list[_Cell]


@dataclass(frozen=True)
class _Column:
    source: ProviderSource
    coverage: Coverage
    page: str


def _table(sources: Sequence[ProviderSource]) -> tuple[list[_Column], list[tuple[Group, list[_Row]]]]:
    ordered = sorted_sources(sources)
    columns = [
        _Column(s, Coverage.of(s.manifest), provider_page_path(s.name).relative_to(COVERAGE_MD_PATH.parent).as_posix())
        for s in ordered
    ]
    groups = [
        (
            group,
            [
                _Row(op, [_Cell(s.manifest.status_of(op.name), s.manifest.operations[op.name].reason) for s in ordered])
                for op in operations_in(group)
            ],
        )
        for group in Group
    ]
    return columns, groups


def _page_context(sources: Sequence[ProviderSource], path: str) -> dict[str, Any]:
    columns, groups = _table(sources)
    return {
        "notice": generated_notice(MATRIX_COMMAND, _SUBJECT),
        "path": path,
        "columns": columns,
        "groups": groups,
        "statuses": list(OperationStatus),
        "marks": STATUS_MARKS,
        "meanings": STATUS_MEANINGS,
        "operation_count": len(OPERATIONS),
        "percent": format_percent,
        "matrix_path": MATRIX_PATH.as_posix(),
    }


def render_coverage_markdown(sources: Sequence[ProviderSource]) -> str:
    """`docs/coverage.md`: operations x providers with status marks, totals and a legend."""
    return render_template("coverage.md.j2", **_page_context(sources, COVERAGE_MD_PATH.as_posix()))


def render_coverage_html(sources: Sequence[ProviderSource]) -> str:
    """`docs/coverage.html`: the same table as one self-contained page, with each reason in a title attribute."""
    return render_template("coverage.html.j2", **_page_context(sources, COVERAGE_HTML_PATH.as_posix()))
