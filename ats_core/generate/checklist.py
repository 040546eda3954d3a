"""A provider's implementation checklist: one checkbox per operation, checked when it is implemented."""

from __future__ import annotations

from ats_core.generate.coverage import NOT_POSSIBLE_STATUSES, Coverage, format_percent, operation_title
from ats_core.generate.layout import checklist_path
from ats_core.generate.rendering import generated_notice, render_template
from ats_core.generate.sources import ProviderSource
from ats_core.manifest import OperationStatus
from ats_core.operations import Group, operations_in

__all__ = ["checklist_command", "render_checklist"]


def checklist_command(name: str) -> str:
    """The command that writes this provider's checklist."""
    return f"ats checklist {name}"


def render_checklist(source: ProviderSource) -> str:
    """The Markdown checklist of one provider."""
    manifest = source.manifest
    groups = [(group, operations_in(group), Coverage.of(manifest, group)) for group in Group]
    return render_template(
        "checklist.md.j2",
        notice=generated_notice(checklist_command(source.name), f"the `{source.name}` provider's manifest"),
        manifest=manifest,
        source=source,
        path=checklist_path(source).as_posix(),
        coverage=Coverage.of(manifest),
        groups=groups,
        statuses=OperationStatus,
        not_possible=[status for status in OperationStatus if status in NOT_POSSIBLE_STATUSES],
        percent=format_percent,
        title=operation_title,
    )
