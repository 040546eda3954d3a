"""A provider's documentation page, in the shape of the reference's provider pages.

Plain Markdown by default; `mdx` adds the documentation site's components (AccordionGroup/Accordion,
Warning, Note). Every claim on the page (status, progress, limitations) is derived from the manifest.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ats_core.generate.coverage import (
    IMPLEMENTATION_TYPE_LABELS,
    NOT_POSSIBLE_STATUSES,
    NOTE_FORMAT_LABELS,
    Coverage,
    format_percent,
    operation_title,
)
from ats_core.generate.layout import (
    COVERAGE_MD_PATH,
    MATRIX_PATH,
    PROVIDER_PAGES_DIR,
    PageFormat,
    checklist_path,
    provider_page_path,
)
from ats_core.generate.rendering import generated_notice, md_inline, mdx_inline, render_template
from ats_core.generate.sources import ProviderSource
from ats_core.manifest import OperationStatus, ProviderManifest, StreamDeclaration
from ats_core.operations import Group, Operation, operation, operations_in

__all__ = ["docs_command", "render_provider_page", "status_label"]


def docs_command(name: str, page_format: PageFormat = "md") -> str:
    """The command that writes this provider's page."""
    return f"ats docs {name}" if page_format == "md" else f"ats docs --format {page_format} {name}"


def status_label(status: OperationStatus, display_name: str) -> str:
    """A status in words, naming the ATS where that matters."""
    return {
        OperationStatus.SUPPORTED: "Supported",
        OperationStatus.BASIC: "Basic (works, with stated limits)",
        OperationStatus.NOT_IMPLEMENTED: "Not implemented yet",
        OperationStatus.UNSUPPORTED_BY_PROVIDER: f"Not supported by {display_name}",
        OperationStatus.NOT_APPLICABLE: f"Not applicable to {display_name}",
    }[status]


@dataclass(frozen=True)
class _Limitation:
    """One Warning/Note block: a group's operations sharing one kind of limit."""

    component: str
    title: str
    operations: list[tuple[Operation, str]]


@dataclass(frozen=True)
class _ConfigRow:
    """One row of the configuration table, its cells already in Markdown."""

    property: str
    value: str
    description: str


def _code(text: str) -> str:
    return f"`{text}`"


def _configuration(manifest: ProviderManifest, esc: Callable[[object], str]) -> list[_ConfigRow]:
    rate = manifest.rate_limit
    rows = [
        _ConfigRow("Provider enum", _code(manifest.name), "Entry-point name; `ats_core.connect()` takes it"),
        _ConfigRow("Display name", esc(manifest.display_name), "Name shown in pages and messages"),
        _ConfigRow("Version", esc(manifest.version), "Version of the provider plugin"),
        _ConfigRow(
            "Implementation type",
            _code(manifest.implementation_type.value),
            IMPLEMENTATION_TYPE_LABELS[manifest.implementation_type],
        ),
        _ConfigRow(
            "Note format", _code(manifest.note_format.value), f"{NOTE_FORMAT_LABELS[manifest.note_format]} notes"
        ),
    ]
    for label, operation_name in (
        ("Disposition reasons", "get_disposition_reasons"),
        ("All application stages", "get_all_application_stages"),
    ):
        declaration = manifest.operations[operation_name]
        op = operation(operation_name)
        rows.append(
            _ConfigRow(
                label,
                status_label(declaration.status, esc(manifest.display_name)),
                f"{_code(op.reference_signature)}: {esc(declaration.reason or op.description)}",
            )
        )
    rows += [
        _ConfigRow("Base URL", esc(manifest.base_url), "Where requests go"),
        _ConfigRow("Authentication", esc(", ".join(manifest.auth_methods)), "Accepted auth methods"),
        _ConfigRow(
            "Rate limit",
            "none declared" if rate is None else f"{rate.requests} requests per {rate.per_seconds:g} s",
            "Documented ATS limit the client stays within",
        ),
        _ConfigRow(
            "Null dates",
            ", ".join(_code(day.isoformat()) for day in manifest.null_dates) or "none declared",
            "Dates the ATS writes for 'no date'; mapped to None",
        ),
    ]
    return rows


def _filters(stream: StreamDeclaration) -> str:
    """`statuses` (client: `status`, case-insensitive), ... in words."""
    parts = []
    for name, declared in sorted(stream.filters.items()):
        where = "on the ATS" if declared.applied == "server" else f"by ats-core on `{declared.field}`"
        parts.append(f"`{name}` {where}" + (", case-insensitive" if declared.match == "casefold" else ""))
    return "; ".join(parts) or "none"


def _limitations(manifest: ProviderManifest) -> list[_Limitation]:
    kinds: list[tuple[str, Callable[[OperationStatus], bool], str]] = [
        ("Warning", lambda s: s in NOT_POSSIBLE_STATUSES, f"not possible in {manifest.display_name}"),
        ("Note", lambda s: s is OperationStatus.NOT_IMPLEMENTED, "not implemented yet"),
        ("Note", lambda s: s is OperationStatus.BASIC, "basic implementations"),
    ]
    blocks = []
    for component, matches, words in kinds:
        for group in Group:
            ops = [
                (op, manifest.operations[op.name].reason)
                for op in operations_in(group)
                if matches(manifest.status_of(op.name))
            ]
            if ops:
                blocks.append(_Limitation(component, f"{group.value}: {len(ops)} {words}", ops))
    return blocks


def _related_files(source: ProviderSource, checklist: str) -> list[tuple[str, str]]:
    metadata = source.metadata
    files: list[tuple[str, str]] = []
    if metadata.entry_point:
        where = f" in `{metadata.module_path}`" if metadata.module_path is not None else ""
        files.append(("Provider class and manifest", f"`{metadata.entry_point}`{where}"))
    if metadata.distribution:
        where = f" in `{metadata.project_dir}/`" if metadata.project_dir is not None else ""
        files.append(("Distribution", f"`{metadata.distribution}`{where}"))
    files.append(("Checklist", f"`{checklist}`"))
    if source.manifest.field_mappings:
        files.append(("Field mappings", "the manifest's `field_mappings`"))
    files.append(("Base class", "`ats_core/provider.py` (`ats_core.Provider`)"))
    files.append(("Coverage matrix", f"`{MATRIX_PATH}`"))
    return files


def _context(source: ProviderSource, page_format: PageFormat) -> dict[str, Any]:
    manifest = source.manifest
    esc = mdx_inline if page_format == "mdx" else md_inline
    checklist = checklist_path(source).as_posix()
    page_dir = PROVIDER_PAGES_DIR.as_posix()
    notice = generated_notice(docs_command(source.name, page_format), f"the `{source.name}` provider's manifest")
    mappings = [
        (table, sorted(table.fields, key=lambda m: (m.canonical, m.remote))) for table in manifest.field_mappings
    ]
    return {
        "mdx": page_format == "mdx",
        "notice": notice,
        "path": provider_page_path(source.name, page_format).as_posix(),
        "esc": esc,
        "manifest": manifest,
        "coverage": Coverage.of(manifest),
        "type_label": IMPLEMENTATION_TYPE_LABELS[manifest.implementation_type],
        "note_label": NOTE_FORMAT_LABELS[manifest.note_format],
        "configuration": _configuration(manifest, esc),
        "groups": [(group, operations_in(group), Coverage.of(manifest, group)) for group in Group],
        "status_label": lambda status: status_label(status, manifest.display_name),
        "title": operation_title,
        "limitations": _limitations(manifest),
        "mappings": mappings,
        "streams": [(stream, _filters(stream)) for stream in manifest.streams],
        "related": _related_files(source, checklist),
        "checklist_link": posixpath.relpath(checklist, page_dir),
        "coverage_link": posixpath.relpath(COVERAGE_MD_PATH.as_posix(), page_dir),
        "percent": format_percent,
        "statuses": OperationStatus,
        "not_possible": [status for status in OperationStatus if status in NOT_POSSIBLE_STATUSES],
    }


def render_provider_page(source: ProviderSource, page_format: PageFormat = "md") -> str:
    """The provider's page as Markdown (`md`) or as MDX for the documentation site (`mdx`)."""
    return render_template("provider.md.j2", **_context(source, page_format))
