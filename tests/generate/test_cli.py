"""`ats matrix`, `ats checklist` and `ats docs` in a subprocess, with providers known only by entry-point metadata."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from fixture_providers import write_distribution

PROVIDER_MODULE = """
from ats_core import Provider, hookimpl
from ats_core.manifest import ImplementationType, OperationDeclaration, OperationStatus, ProviderManifest
from ats_core.models import Candidate, NoteFormat
from ats_core.operations import OPERATION_NAMES

REASON = {reason!r}


class {cls}(Provider):
    manifest = ProviderManifest(
        name={name!r},
        display_name={display!r},
        version="0.1",
        implementation_type=ImplementationType.DIRECT,
        note_format=NoteFormat.PLAIN,
        base_url="https://ats.invalid",
        auth_methods=("api_key",),
        operations={{
            op: OperationDeclaration(status=OperationStatus.SUPPORTED)
            if op == "get_candidate_by_id"
            else OperationDeclaration(status=OperationStatus.UNSUPPORTED_BY_PROVIDER, reason=REASON)
            for op in OPERATION_NAMES
        }},
    )

    @hookimpl
    def get_candidate_by_id(self, candidate_id):
        return Candidate(provider={name!r}, remote_id=candidate_id)
"""


def _install(directory: Path, name: str, reason: str = "Tiny has no API for it.") -> Path:
    """A provider distribution known only by its `.dist-info` (entry point in group `ats_core.providers`)."""
    directory.mkdir(parents=True, exist_ok=True)
    module = f"ats_{name}_plugin"
    source = PROVIDER_MODULE.format(reason=reason, cls=f"{name.title()}Provider", name=name, display=name.title())
    write_distribution(
        directory,
        f"ats-{name}",
        {"ats_core.providers": {name: f"{module}:{name.title()}Provider"}},
        {f"{module}.py": source},
    )
    return directory / f"{module}.py"


def _set_reason(module: Path, reason: str) -> None:
    text = module.read_text(encoding="utf-8")
    start = text.index("REASON = ")
    end = text.index("\n", start)
    module.write_text(f"{text[:start]}REASON = {reason!r}{text[end:]}", encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    return root


@pytest.fixture
def ats(tmp_path: Path, repo: Path) -> tuple[Path, Path]:
    """Two metadata-only providers: `tinyats` installed outside the repository, `inrepo` in a project inside it."""
    outside = _install(tmp_path / "site", "tinyats")
    project = repo / "plugins" / "inrepo"
    project.mkdir(parents=True)
    (project / "pyproject.toml").write_text('[project]\nname = "ats-inrepo"\n', encoding="utf-8")
    inside = _install(project, "inrepo")
    return outside, inside


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `ats ARGS` in `repo` with both fixture distributions on the path."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(repo.parent / "site"), str(repo / "plugins" / "inrepo")])}
    return subprocess.run(
        [sys.executable, "-c", "from ats_core.cli import main; main()", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _generate_all(repo: Path) -> None:
    for args in (("matrix",), ("checklist",), ("docs",)):
        result = run(repo, *args)
        assert result.returncode == 0, result.stderr


def _check_all(repo: Path) -> list[subprocess.CompletedProcess[str]]:
    return [run(repo, *args, "--check") for args in (("matrix",), ("checklist",), ("docs",))]


def test_a_provider_added_only_through_metadata_appears_in_every_output(repo: Path, ats: tuple[Path, Path]) -> None:
    _generate_all(repo)
    assert run(repo, "docs", "--format", "mdx", "tinyats").returncode == 0

    matrix = yaml.safe_load((repo / "capability_matrix.yaml").read_text(encoding="utf-8"))
    for name in ("tinyats", "inrepo"):
        assert matrix["providers"][name]["totals"]["implemented"] == 1
        assert f"`{name}`" in (repo / "docs" / "coverage.md").read_text(encoding="utf-8")
        assert f">{name}</th>" in (repo / "docs" / "coverage.html").read_text(encoding="utf-8")
        assert f"`{name}`" in (repo / "docs" / "providers" / f"{name}.md").read_text(encoding="utf-8")
    assert "<AccordionGroup>" in (repo / "docs" / "providers" / "tinyats.mdx").read_text(encoding="utf-8")
    outside_checklist = repo / "docs" / "checklists" / "tinyats.md"
    inside_checklist = repo / "plugins" / "inrepo" / "COMPLETE_INREPO_IMPLEMENTATION_CHECKLIST.md"
    assert "- [x] **Get candidate by id**" in outside_checklist.read_text(encoding="utf-8")
    assert "- [x] **Get candidate by id**" in inside_checklist.read_text(encoding="utf-8")
    page = (repo / "docs" / "providers" / "inrepo.md").read_text(encoding="utf-8")
    assert "`plugins/inrepo/ats_inrepo_plugin.py`" in page


def test_check_passes_after_generating_and_fails_with_a_diff_after_a_declaration_changes(
    repo: Path, ats: tuple[Path, Path]
) -> None:
    outside, _ = ats
    _generate_all(repo)
    assert [result.returncode for result in _check_all(repo)] == [0, 0, 0]

    _set_reason(outside, "Tiny removed this endpoint in v3.")
    for result in _check_all(repo):
        assert result.returncode == 1, result.stdout
        assert "-" in result.stdout and "+++ b/" in result.stdout
        assert "Tiny removed this endpoint in v3." in result.stdout
        assert "out of date" in result.stderr

    _generate_all(repo)
    assert [result.returncode for result in _check_all(repo)] == [0, 0, 0]


def test_check_fails_on_a_missing_file_and_on_a_page_of_an_uninstalled_provider(
    repo: Path, ats: tuple[Path, Path]
) -> None:
    _generate_all(repo)
    (repo / "docs" / "coverage.html").unlink()
    result = run(repo, "matrix", "--check")
    assert result.returncode == 1
    assert "+++ b/docs/coverage.html" in result.stdout and "docs/coverage.html: missing" in result.stderr

    ghost = repo / "docs" / "providers" / "ghost.md"
    ghost.write_text("# Ghost\n", encoding="utf-8")
    result = run(repo, "docs", "--check")
    assert result.returncode == 1
    assert "--- a/docs/providers/ghost.md" in result.stdout and "stale" in result.stderr

    (repo / "docs" / "checklists" / "ghost.md").write_text("x\n", encoding="utf-8")
    assert run(repo, "checklist", "--check").returncode == 1


@pytest.mark.usefixtures("ats")
def test_an_existing_mdx_page_is_checked_too(repo: Path) -> None:
    _generate_all(repo)
    assert run(repo, "docs", "--format", "mdx", "tinyats").returncode == 0
    assert run(repo, "docs", "--check").returncode == 0
    (repo / "docs" / "providers" / "tinyats.mdx").write_text("edited by hand\n", encoding="utf-8")
    result = run(repo, "docs", "--check")
    assert result.returncode == 1 and "docs/providers/tinyats.mdx" in result.stderr


def test_load_errors_are_skipped_and_reported(tmp_path: Path, repo: Path, ats: tuple[Path, Path]) -> None:
    broken = tmp_path / "site" / "ats_tinyats_plugin.py"
    broken.write_text("raise ImportError('broken on purpose')\n", encoding="utf-8")
    result = run(repo, "matrix")
    assert result.returncode == 0
    assert "skipping provider 'tinyats'" in result.stderr and "broken on purpose" in result.stderr
    assert "tinyats" not in yaml.safe_load((repo / "capability_matrix.yaml").read_text(encoding="utf-8"))["providers"]
    named = run(repo, "docs", "tinyats")
    assert named.returncode != 0 and "could not be loaded" in named.stderr
    unknown = run(repo, "checklist", "nosuch")
    assert unknown.returncode != 0 and "no provider named 'nosuch'" in unknown.stderr


def test_schema_and_stdout_output(repo: Path, ats: tuple[Path, Path]) -> None:
    schema = json.loads(run(repo, "matrix", "--schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    printed = run(repo, "matrix", "--format", "yaml", "--output", "-")
    assert printed.returncode == 0
    jsonschema.validate(yaml.safe_load(printed.stdout), schema)
    assert not (repo / "capability_matrix.yaml").exists()
    too_many = run(repo, "matrix", "--output", "-")
    assert too_many.returncode == 2 and "--output takes one file" in too_many.stderr
    custom = run(repo, "checklist", "inrepo", "--output", "custom.md")
    assert custom.returncode == 0 and (repo / "custom.md").read_text(encoding="utf-8").startswith("<!-- GENERATED")


def test_a_provider_in_its_own_repository_gets_pages_whose_links_resolve_there(tmp_path: Path) -> None:
    """As the README's 'A provider in its own repository' says: pyproject.toml at the root, all three commands
    run there, and the provider page's links and the coverage page's link to it point at files that exist."""
    own = tmp_path / "ats-solo"
    _install(own, "solo")
    (own / "pyproject.toml").write_text('[project]\nname = "ats-solo"\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(own)}
    for args in (("matrix",), ("checklist", "solo"), ("docs", "solo")):
        result = subprocess.run(
            [sys.executable, "-c", "from ats_core.cli import main; main()", *args],
            cwd=own,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    page = own / "docs" / "providers" / "solo.md"
    assert (own / "docs" / "checklists" / "solo.md").is_file()
    links = re.findall(r"\]\(([^)#]+\.md)\)", page.read_text(encoding="utf-8"))
    assert links and all((page.parent / link).resolve().is_file() for link in links), links
    coverage = (own / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert "(providers/solo.md)" in coverage
