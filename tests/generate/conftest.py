"""Fixture providers of the generator tests, and the golden-file comparison (UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pytest

from ats_core.fields import FieldMapping, FieldType, MappingTable
from ats_core.generate import ProviderMetadata, ProviderSource
from ats_core.manifest import (
    ImplementationType,
    OperationDeclaration,
    OperationStatus,
    PageSize,
    ProviderManifest,
    RateLimit,
    StreamDeclaration,
)
from ats_core.models import NoteFormat
from ats_core.operations import OPERATION_NAMES, Entity

GOLDEN_DIR = Path(__file__).parent / "golden"
S = OperationStatus

ACME_STATUSES: dict[str, tuple[OperationStatus, str]] = {
    "stream_jobs": (S.BASIC, "Open jobs only; closed jobs are not returned."),
    "stream_applications": (S.BASIC, "Polls every application; `for_job_ids` is filtered client-side."),
    "stream_candidates": (S.SUPPORTED, ""),
    "fetch_candidates_page": (S.SUPPORTED, "Cursor is the ATS's own page token."),
    "get_candidate_by_id": (S.SUPPORTED, ""),
    "get_resume_for_candidate_id": (S.SUPPORTED, ""),
    "add_note_to_candidate": (S.SUPPORTED, ""),
    "add_attachment_to_candidate": (S.SUPPORTED, ""),
    "get_disposition_reasons": (S.UNSUPPORTED_BY_PROVIDER, "Acme has no rejection reasons."),
    "reject_application": (S.UNSUPPORTED_BY_PROVIDER, "Acme cannot reject; move to a declined stage instead."),
    "bulk_reject_applications": (S.UNSUPPORTED_BY_PROVIDER, "Acme cannot reject."),
    "get_enhanced_job": (S.NOT_APPLICABLE, "Acme jobs carry no worksite or company extras."),
}


def _manifest(name: str, statuses: dict[str, tuple[OperationStatus, str]], **fields: object) -> ProviderManifest:
    operations = {
        op: OperationDeclaration(status=statuses[op][0], reason=statuses[op][1])
        if op in statuses
        else OperationDeclaration(status=S.NOT_IMPLEMENTED, reason=f"{op} is not built yet.")
        for op in OPERATION_NAMES
    }
    return ProviderManifest.model_validate({"name": name, "operations": operations, **fields})


def acme_manifest(**changes: object) -> ProviderManifest:
    """A direct integration with every kind of status, field mappings, notes and a rate limit."""
    fields: dict[str, object] = {
        "display_name": "Acme",
        "version": "2.1.0",
        "implementation_type": ImplementationType.DIRECT,
        "note_format": NoteFormat.PLAIN,
        "base_url": "Customer-specific, from the account configuration",
        "auth_methods": ("oauth2_client_credentials", "api_key"),
        "rate_limit": RateLimit(requests=10, per_seconds=1),
        "streams": (
            StreamDeclaration(
                entity=Entity.CANDIDATE,
                incremental=True,
                sort="modified, then id",
                lookback_seconds=300,
                page_size=PageSize(default=100, maximum=500),
                filters={},
            ),
        ),
        "field_mappings": (
            MappingTable(
                name="jobs",
                entity=Entity.JOB,
                source="GET /jobs",
                id_field="id",
                read_by=("stream_jobs",),
                fields=(FieldMapping(canonical="title", remote="jobTitle", type=FieldType.STRING),),
            ),
            MappingTable(
                name="candidates",
                entity=Entity.CANDIDATE,
                source="GET /candidates",
                id_field="id",
                updated_at_field="modified",
                read_by=("stream_candidates", "get_candidate_by_id"),
                fields=(
                    FieldMapping(canonical="last_name", remote="lastName", type=FieldType.STRING),
                    FieldMapping(
                        canonical="emails", remote="contact.email", type=FieldType.EMAIL, description="Primary e-mail"
                    ),
                ),
            ),
        ),
        "notes": ("A candidate-sourcing integration: candidates first.",),
    }
    fields.update(changes)
    return _manifest("acme", ACME_STATUSES, **fields)


def zeta_manifest() -> ProviderManifest:
    """A unified-API provider whose reasons hold characters Markdown, MDX and HTML must escape."""
    statuses = {op: (S.SUPPORTED, "") for op in OPERATION_NAMES}
    statuses["get_job_custom_field_values"] = (
        S.BASIC,
        'Values of <select> fields come back as {"id": ...} | raw & "as is".',
    )
    statuses["get_all_application_stages"] = (S.NOT_IMPLEMENTED, "Vendor endpoint in beta -- not wired yet.")
    return _manifest(
        "zeta",
        statuses,
        display_name="Zeta Recruit",
        version="0.9",
        implementation_type=ImplementationType.UNIFIED,
        note_format=NoteFormat.HTML,
        base_url="https://api.zeta.invalid/v2",
        auth_methods=("handled by the vendor",),
    )


ACME_METADATA = ProviderMetadata(
    entry_point="ats_acme.plugin:AcmeProvider",
    distribution="ats-acme",
    project_dir=PurePosixPath("plugins/acme"),
    module_path=PurePosixPath("plugins/acme/ats_acme/plugin.py"),
)


@pytest.fixture
def acme() -> ProviderSource:
    """Acme, living in the repository under plugins/acme."""
    return ProviderSource(acme_manifest(), ACME_METADATA)


@pytest.fixture
def zeta() -> ProviderSource:
    """Zeta, installed from elsewhere (no project in the repository)."""
    return ProviderSource(
        zeta_manifest(), ProviderMetadata(entry_point="zeta_ats:ZetaProvider", distribution="zeta-ats")
    )


@pytest.fixture
def sources(acme: ProviderSource, zeta: ProviderSource) -> list[ProviderSource]:
    """Both fixture providers, deliberately not in name order."""
    return [zeta, acme]


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare text with `golden/<name>`; with UPDATE_GOLDEN=1 write it instead."""

    def compare(name: str, text: str) -> None:
        path = GOLDEN_DIR / name
        if os.environ.get("UPDATE_GOLDEN") == "1":
            path.write_text(text, encoding="utf-8", newline="\n")
        assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1 to create it"
        assert text == path.read_text(encoding="utf-8"), (
            f"{name} differs from its golden file (UPDATE_GOLDEN=1 rewrites)"
        )

    return compare
