"""Building blocks of the core's tests: manifests and a small provider built in the test."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ats_core import hookimpl
from ats_core.manifest import ImplementationType, OperationDeclaration, OperationStatus, ProviderManifest
from ats_core.models import Candidate, NoteFormat
from ats_core.operations import OPERATION_NAMES

IMPLEMENTED = ("stream_candidates", "get_candidate_by_id")


def manifest_for(
    name: str = "fixture", implemented: tuple[str, ...] = IMPLEMENTED, **overrides: Any
) -> ProviderManifest:
    """A manifest declaring `implemented` supported and every other operation not_implemented."""
    operations = {
        op: OperationDeclaration(status=OperationStatus.SUPPORTED)
        if op in implemented
        else OperationDeclaration(status=OperationStatus.NOT_IMPLEMENTED, reason=f"{op} is not built yet")
        for op in OPERATION_NAMES
    }
    fields: dict[str, Any] = {
        "name": name,
        "display_name": name.title(),
        "version": "0.0.1",
        "implementation_type": ImplementationType.IN_MEMORY,
        "note_format": NoteFormat.PLAIN,
        "base_url": "none (in memory)",
        "auth_methods": ("none",),
        "operations": operations,
    }
    fields.update(overrides)
    return ProviderManifest(**fields)


def candidate(remote_id: str) -> Candidate:
    """A minimal candidate of the fixture provider."""
    return Candidate(provider="fixture", remote_id=remote_id, updated_at=datetime(2026, 1, 1, tzinfo=UTC))


class FixtureProviderBase:
    """Hookimpls shared by the fixture providers of the core's tests."""

    @hookimpl
    def stream_candidates(self, updated_after: datetime | None) -> Iterator[Candidate]:
        return iter([candidate("1"), candidate("2")])

    @hookimpl
    def get_candidate_by_id(self, candidate_id: str) -> Candidate:
        return candidate(candidate_id)


def write_distribution(root: Path, name: str, entry_points: dict[str, dict[str, str]], modules: dict[str, str]) -> Path:
    """Write modules and a `.dist-info` with entry points under `root`: a distribution known only by metadata."""
    for filename, source in modules.items():
        (root / filename).write_text(textwrap.dedent(source), encoding="utf-8")
    dist_info = root / f"{name.replace('-', '_')}-0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n", encoding="utf-8")
    lines = []
    for group, points in entry_points.items():
        lines.append(f"[{group}]")
        lines.extend(f"{ep_name} = {target}" for ep_name, target in points.items())
    (dist_info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


ACME_PROVIDER_SOURCE = """
from ats_core import NoSettings, Provider, hookimpl
from ats_core.models import Candidate
from ats_core.manifest import ImplementationType, OperationDeclaration, OperationStatus, ProviderManifest
from ats_core.models import NoteFormat
from ats_core.operations import OPERATION_NAMES

SUPPORTED = {"get_candidate_by_id"}


class AcmeProvider(Provider):
    manifest = ProviderManifest(
        name="acme",
        display_name="Acme ATS",
        version="0.1",
        implementation_type=ImplementationType.IN_MEMORY,
        note_format=NoteFormat.HTML,
        base_url="none",
        auth_methods=("none",),
        operations={
            op: OperationDeclaration(status=OperationStatus.SUPPORTED)
            if op in SUPPORTED
            else OperationDeclaration(status=OperationStatus.UNSUPPORTED_BY_PROVIDER, reason="Acme has no " + op)
            for op in OPERATION_NAMES
        },
    )

    @hookimpl
    def get_candidate_by_id(self, candidate_id):
        return Candidate(provider="acme", remote_id=candidate_id, first_name="Ada")
"""
