"""`ats matrix`, `ats checklist` and `ats docs`: write the generated coverage files, or check them for drift.

Each command discovers the installed providers, skips (and reports on stderr) any that fail to load,
renders through `ats_core.generate`, then writes the files under the root, or with `--check` prints a
unified diff per out-of-date, missing or stale file and exits 1.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import cast

import click

from ats_core.generate import ProviderSource, find_drift, matrix_schema, source_of_loaded, write_outputs
from ats_core.generate.drift import Drift
from ats_core.generate.layout import PAGE_FORMATS, PageFormat, existing_checklists, existing_pages, provider_page_path
from ats_core.generate.outputs import MATRIX_FORMATS, MatrixFormat, checklist_outputs, matrix_outputs, page_outputs
from ats_core.registry import discover

__all__ = ["checklist_command", "codegen_command", "docs_command", "matrix_command", "models_command"]

_ROOT_OPTION = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Repository root that output paths are relative to (default: the current directory).",
)
_CHECK_OPTION = click.option(
    "--check",
    is_flag=True,
    help="Write nothing; print a unified diff and exit 1 when a generated file is out of date, missing or stale.",
)
_OUTPUT_OPTION = click.option(
    "--output",
    "-o",
    default=None,
    help="Write (or check) this one file instead of the default path; '-' prints to stdout.",
)


def _root(root: Path | None) -> Path:
    return (root or Path.cwd()).resolve()


def _sources(root: Path, name: str | None = None) -> list[ProviderSource]:
    """Installed providers (all, or the one named), reporting load errors on stderr."""
    found = discover()
    for error in found.errors:
        if name is None:
            click.echo(f"skipping provider '{error.name}' ({error.entry_point}): {error.error}", err=True)
    if name is not None and name not in found.providers:
        failed = [error for error in found.errors if error.name == name]
        if failed:
            raise click.ClickException(f"provider '{name}' could not be loaded: {failed[0].error}")
        installed = ", ".join(sorted(found.providers)) or "none"
        raise click.ClickException(f"no provider named '{name}' is installed; installed: {installed}")
    return [source_of_loaded(found.providers[n], root) for n in sorted(found.providers) if name in (None, n)]


def _finish(
    root: Path,
    outputs: dict[PurePosixPath, str],
    *,
    check: bool,
    output: str | None,
    command: str,
    present: Iterable[PurePosixPath] = (),
) -> None:
    """Print, write or check `outputs`; exit 1 on drift."""
    if output is not None:
        if len(outputs) != 1:
            raise click.UsageError(f"--output takes one file but this run produces {len(outputs)}; narrow it down")
        (text,) = outputs.values()
        if output == "-":
            if check:
                raise click.UsageError("--check compares files; it cannot check '-'")
            click.echo(text, nl=False)
            return
        outputs = {PurePosixPath(Path(output).resolve().as_posix()): text}
        present = ()
    if check:
        drifts = find_drift(root, outputs, present)
        for drift in drifts:
            click.echo(drift.diff(), nl=False)
        for drift in drifts:
            click.echo(f"{drift.path}: {drift.problem}", err=True)
        if drifts:
            click.echo(
                f"{len(drifts)} generated file(s) out of date: run `{command}` (and delete stale files), then commit.",
                err=True,
            )
            raise SystemExit(1)
        click.echo(f"{len(outputs)} generated file(s) up to date", err=True)
        return
    for path in write_outputs(root, outputs):
        click.echo(f"wrote {path}")
    for path in sorted(set(present) - set(outputs)):
        click.echo(f"stale: {path} belongs to no installed provider; delete it", err=True)


@click.command("matrix")
@click.option(
    "--format",
    "formats",
    type=click.Choice(MATRIX_FORMATS),
    multiple=True,
    help="yaml: capability_matrix.yaml; md: docs/coverage.md; html: docs/coverage.html. Repeatable; default all.",
)
@click.option("--schema", is_flag=True, help="Print the JSON Schema of capability_matrix.yaml and exit.")
@_ROOT_OPTION
@_CHECK_OPTION
@_OUTPUT_OPTION
def matrix_command(formats: Sequence[str], schema: bool, root: Path | None, check: bool, output: str | None) -> None:
    """Generate capability_matrix.yaml, docs/coverage.md and docs/coverage.html from the installed providers."""
    if schema:
        click.echo(json.dumps(matrix_schema(), indent=2))
        return
    base = _root(root)
    chosen = cast(tuple[MatrixFormat, ...], tuple(formats) or MATRIX_FORMATS)  # click.Choice allows only these
    _finish(base, matrix_outputs(_sources(base), chosen), check=check, output=output, command="ats matrix")


@click.command("checklist")
@click.argument("name", required=False)
@_ROOT_OPTION
@_CHECK_OPTION
@_OUTPUT_OPTION
def checklist_command(name: str | None, root: Path | None, check: bool, output: str | None) -> None:
    """Generate the implementation checklist of one provider, or of all installed providers.

    A checklist goes to <project>/COMPLETE_<NAME>_IMPLEMENTATION_CHECKLIST.md when the provider's project
    (found from its module's location, or from its distribution's name in a pyproject.toml up to two
    levels down) lies inside the root, e.g. plugins/tempworks/; otherwise to docs/checklists/<name>.md.
    """
    base = _root(root)
    present = existing_checklists(base) if name is None else set()
    command = "ats checklist" if name is None else f"ats checklist {name}"
    outputs = checklist_outputs(_sources(base, name))
    _finish(base, outputs, check=check, output=output, command=command, present=present)


@click.command("docs")
@click.argument("name", required=False)
@click.option(
    "--format",
    "page_format",
    type=click.Choice(PAGE_FORMATS),
    default="md",
    show_default=True,
    help="md: plain Markdown; mdx: with the documentation site's components.",
)
@_ROOT_OPTION
@_CHECK_OPTION
@_OUTPUT_OPTION
def docs_command(name: str | None, page_format: str, root: Path | None, check: bool, output: str | None) -> None:
    """Generate the page docs/providers/<name>.<format> of one provider, or of all installed providers.

    A page of the other format already present for a provider is regenerated (or checked) too; a page
    of a provider that is not installed is reported as stale.
    """
    base = _root(root)
    sources = _sources(base, name)
    chosen = cast(PageFormat, page_format)  # click.Choice allows only PAGE_FORMATS
    outputs = page_outputs(sources, (chosen,))
    if output is None:
        for source in sources:
            for other in PAGE_FORMATS:
                if other != chosen and (base / provider_page_path(source.name, other)).is_file():
                    outputs.update(page_outputs([source], (other,)))
    present = existing_pages(base) if name is None else set()
    command = "ats docs" if name is None else f"ats docs {name}"
    if chosen != "md":
        command = command.replace("ats docs", f"ats docs --format {chosen}", 1)
    _finish(base, outputs, check=check, output=output, command=command, present=present)


@click.command("codegen")
@_CHECK_OPTION
def codegen_command(check: bool) -> None:
    """Write ats_core/client_operations.py (the typed client methods) from the hook spec, or check it."""
    from ats_core.generate.client_source import CLIENT_OPERATIONS_PATH, client_operations_source

    expected = client_operations_source()
    on_disk = CLIENT_OPERATIONS_PATH.read_text(encoding="utf-8") if CLIENT_OPERATIONS_PATH.exists() else None
    if check:
        if on_disk != expected:
            drift = Drift(PurePosixPath("ats_core/client_operations.py"), on_disk, expected)
            click.echo(drift.diff(), nl=False)
            raise click.ClickException(f"{drift.path} {drift.problem}; run `ats codegen`")
        click.echo("1 generated file(s) up to date")
        return
    CLIENT_OPERATIONS_PATH.write_text(expected, encoding="utf-8")
    click.echo(f"wrote {CLIENT_OPERATIONS_PATH}")


@click.command("models")
@_ROOT_OPTION
@_CHECK_OPTION
@_OUTPUT_OPTION
def models_command(root: Path | None, check: bool, output: str | None) -> None:
    """Generate docs/models.md (every canonical model's fields, with Merge's and Kombo's nearest names)."""
    from ats_core.generate.models_doc import COMMAND, MODELS_DOC_PATH, models_doc

    _finish(_root(root), {MODELS_DOC_PATH: models_doc()}, check=check, output=output, command=COMMAND)
