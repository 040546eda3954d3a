"""What the checklist and provider page derive from a manifest: progress, status line, limitations, escaping."""

from __future__ import annotations

from ats_core.generate import ProviderSource, render_checklist, render_provider_page
from ats_core.generate.coverage import Coverage, format_percent
from ats_core.manifest import OperationDeclaration, OperationStatus, ProviderManifest
from ats_core.operations import OPERATIONS, Group, operations_in

TOTAL = len(OPERATIONS)


def _with(manifest: ProviderManifest, status: OperationStatus) -> ProviderManifest:
    operations = {name: OperationDeclaration(status=status, reason="declared reason") for name in manifest.operations}
    return manifest.model_copy(update={"operations": operations})


def test_checklist_has_one_checkbox_per_operation_checked_when_implemented(acme: ProviderSource) -> None:
    text = render_checklist(acme)
    for op in OPERATIONS:
        lines = [line for line in text.splitlines() if f"(`{op.name}`)" in line]
        assert len(lines) == 1, op.name
        checked = acme.manifest.status_of(op.name).implemented
        assert lines[0].startswith("- [x]" if checked else "- [ ]")
        assert op.reference_signature in lines[0]
        assert acme.manifest.status_of(op.name).value in lines[0]
    assert f"**8 of {TOTAL} implemented ({format_percent(round(100 * 8 / TOTAL, 1))})**" in text
    pending = sum(acme.manifest.status_of(op.name) is OperationStatus.NOT_IMPLEMENTED for op in OPERATIONS)
    assert f"**{pending} pending**" in text
    assert "**4 not possible in Acme**" in text


def test_checklist_groups_follow_the_catalog(acme: ProviderSource) -> None:
    text = render_checklist(acme)
    positions = [text.index(f"## {group.value} (") for group in Group]
    assert positions == sorted(positions)
    for group in Group:
        section = text.split(f"## {group.value} (")[1].split("\n## ")[0]
        assert section.count("- [") == len(operations_in(group))


def test_status_line_is_derived_from_counts(acme: ProviderSource) -> None:
    complete = ProviderSource(_with(acme.manifest, OperationStatus.BASIC))
    complete_line = f"**Status:** Complete: {TOTAL} of {TOTAL} operations implemented (100%), {TOTAL} of them basic"
    assert complete_line in render_provider_page(complete)
    nothing = ProviderSource(_with(acme.manifest, OperationStatus.NOT_IMPLEMENTED))
    assert f"**Status:** Not started: 0 of {TOTAL} operations implemented (0%)" in render_provider_page(nothing)
    assert f"**Status:** {Coverage.of(acme.manifest).label}: 8 of {TOTAL}" in render_provider_page(acme)


def test_disposition_and_stage_configuration_follow_their_operations(acme: ProviderSource) -> None:
    supported = ProviderSource(_with(acme.manifest, OperationStatus.SUPPORTED))
    page = render_provider_page(supported)
    assert "| Disposition reasons | Supported |" in page
    assert "| All application stages | Supported |" in page
    page = render_provider_page(acme)
    assert "| Disposition reasons | Not supported by Acme |" in page
    assert "| All application stages | Not implemented yet |" in page


def test_known_limitations_carry_every_reason(acme: ProviderSource) -> None:
    page = render_provider_page(acme, "mdx")
    limitations = page.split("## Known limitations")[1].split("## Implementation progress")[0]
    for name, declaration in acme.manifest.operations.items():
        if declaration.status is not OperationStatus.SUPPORTED:
            assert declaration.reason in limitations, name
    assert limitations.count("<Warning>") == 2  # Application Management and Job Management hold the impossible ones
    assert "<Note>" in limitations


def test_field_mappings_table_only_when_declared(acme: ProviderSource, zeta: ProviderSource) -> None:
    page = render_provider_page(acme)
    assert "### Candidate from GET /candidates (`candidates`)" in page
    assert "| `emails` | `contact.email` | `email` | Primary e-mail |" in page
    assert "## Field mappings" not in render_provider_page(zeta)


def test_reasons_cannot_break_tables_or_mdx(zeta: ProviderSource) -> None:
    md = render_provider_page(zeta, "md")
    mdx = render_provider_page(zeta, "mdx")
    assert "<select>" not in md and "<select>" not in mdx
    assert "\\|" in md
    assert '\\{"id": ...\\}' in mdx
