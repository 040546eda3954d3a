"""`ats providers` and `ats operations`: what is installed and what the catalog holds."""

from __future__ import annotations

import json
from typing import Any

import click

from ats_core.manifest import OperationStatus
from ats_core.operations import OPERATIONS
from ats_core.registry import discover

__all__ = ["operations_command", "providers_command"]

_SHORT = {
    OperationStatus.SUPPORTED: "supported",
    OperationStatus.BASIC: "basic",
    OperationStatus.NOT_IMPLEMENTED: "not_implemented",
    OperationStatus.UNSUPPORTED_BY_PROVIDER: "unsupported",
    OperationStatus.NOT_APPLICABLE: "not_applicable",
}


@click.command("providers")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
def providers_command(as_json: bool) -> None:
    """List installed providers with version, type and counts per status, plus load errors."""
    found = discover()
    if as_json:
        payload: dict[str, Any] = {
            "providers": [
                {
                    "name": p.name,
                    "display_name": p.manifest.display_name,
                    "version": p.manifest.version,
                    "implementation_type": p.manifest.implementation_type.value,
                    "distribution": p.distribution,
                    "entry_point": p.entry_point,
                    "counts": {s.value: n for s, n in p.manifest.counts().items()},
                }
                for p in found.providers.values()
            ],
            "errors": [{"name": e.name, "entry_point": e.entry_point, "error": e.error} for e in found.errors],
        }
        click.echo(json.dumps(payload, indent=2))
        return
    if not found.providers:
        click.echo("no providers installed (entry-point group 'ats_core.providers')")
    for provider in found.providers.values():
        manifest = provider.manifest
        counts = " / ".join(f"{_SHORT[s]} {n}" for s, n in manifest.counts().items() if n)
        click.echo(f"{provider.name:<12} {manifest.version:<8} {manifest.implementation_type.value:<10} {counts}")
    for error in found.errors:
        click.echo(f"load error: {error.name} ({error.entry_point}): {error.error}", err=True)


@click.command("operations")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
def operations_command(as_json: bool) -> None:
    """List the operations of the catalog with group, kind, return shape and the reference system's signature."""
    if as_json:
        rows = [
            {
                "name": op.name,
                "group": op.group.value,
                "kind": op.kind.value,
                "reference": op.reference_signature if op.in_reference else None,
                "parameters": list(op.parameters),
                "returns": op.returns.value,
                "return_type": op.return_type,
            }
            for op in OPERATIONS
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for op in OPERATIONS:
        click.echo(
            f"{op.group.value:<24} {op.name:<36} {op.kind.value:<8} {op.returns.value:<16} {op.reference_signature}"
        )
