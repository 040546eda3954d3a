"""Where generated files go, relative to the repository root (the current directory by default).

- `capability_matrix.yaml`, `docs/coverage.md`, `docs/coverage.html`: the cross-provider matrix (`ats matrix`).
- `docs/providers/<name>.md` (or `.mdx` with `--format mdx`): one page per provider (`ats docs`).
- The implementation checklist (`ats checklist`): `<project>/COMPLETE_<NAME>_IMPLEMENTATION_CHECKLIST.md`
  when the provider's project lies inside the repository, e.g. `plugins/tempworks/` or `examples/ats-example/`
  (the nearest directory above its module with `pyproject.toml`, `setup.py` or `setup.cfg`, or else the
  directory up to two levels down whose `pyproject.toml` names its distribution); otherwise (a provider
  installed from elsewhere) `docs/checklists/<name>.md`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Literal

from ats_core.generate.sources import ProviderSource

__all__ = [
    "CHECKLIST_FALLBACK_DIR",
    "COVERAGE_HTML_PATH",
    "COVERAGE_MD_PATH",
    "MATRIX_PATH",
    "PAGE_FORMATS",
    "PROVIDER_PAGES_DIR",
    "PageFormat",
    "checklist_filename",
    "checklist_path",
    "existing_checklists",
    "existing_pages",
    "provider_page_path",
]

PageFormat = Literal["md", "mdx"]
PAGE_FORMATS: tuple[PageFormat, ...] = ("md", "mdx")

MATRIX_PATH = PurePosixPath("capability_matrix.yaml")
COVERAGE_MD_PATH = PurePosixPath("docs/coverage.md")
COVERAGE_HTML_PATH = PurePosixPath("docs/coverage.html")
PROVIDER_PAGES_DIR = PurePosixPath("docs/providers")
CHECKLIST_FALLBACK_DIR = PurePosixPath("docs/checklists")
_CHECKLIST_GLOB = "COMPLETE_*_IMPLEMENTATION_CHECKLIST.md"


def checklist_filename(name: str) -> str:
    """`COMPLETE_TEMPWORKS_IMPLEMENTATION_CHECKLIST.md` for `tempworks`."""
    return f"COMPLETE_{name.upper()}_IMPLEMENTATION_CHECKLIST.md"


def checklist_path(source: ProviderSource) -> PurePosixPath:
    """Beside the provider's project file when it is in the repository, else under `docs/checklists/`."""
    if source.metadata.project_dir is not None:
        return source.metadata.project_dir / checklist_filename(source.name)
    return CHECKLIST_FALLBACK_DIR / f"{source.name}.md"


def provider_page_path(name: str, page_format: PageFormat = "md") -> PurePosixPath:
    """`docs/providers/<name>.md` or `.mdx`."""
    return PROVIDER_PAGES_DIR / f"{name}.{page_format}"


def _relative_files(root: Path, patterns: tuple[str, ...]) -> Iterator[PurePosixPath]:
    for pattern in patterns:
        for path in root.glob(pattern):
            if path.is_file():
                yield PurePosixPath(path.relative_to(root).as_posix())


def existing_pages(root: Path) -> set[PurePosixPath]:
    """Provider pages present under `docs/providers/`, of any page format."""
    return set(_relative_files(root, tuple(f"{PROVIDER_PAGES_DIR}/*.{fmt}" for fmt in PAGE_FORMATS)))


def existing_checklists(root: Path) -> set[PurePosixPath]:
    """Checklists present: in `docs/checklists/`, and in project directories one or two levels below the root."""
    patterns = (f"{CHECKLIST_FALLBACK_DIR}/*.md", f"*/{_CHECKLIST_GLOB}", f"*/*/{_CHECKLIST_GLOB}")
    return set(_relative_files(root, patterns))
