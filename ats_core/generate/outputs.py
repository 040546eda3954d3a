"""Which file gets which text: the generators mapped onto their paths (still pure, no I/O)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePosixPath
from typing import Literal

from ats_core.generate.checklist import render_checklist
from ats_core.generate.layout import (
    COVERAGE_HTML_PATH,
    COVERAGE_MD_PATH,
    MATRIX_PATH,
    PageFormat,
    checklist_path,
    provider_page_path,
)
from ats_core.generate.matrix import (
    render_coverage_html,
    render_coverage_markdown,
    render_matrix_yaml,
    sorted_sources,
)
from ats_core.generate.provider_page import render_provider_page
from ats_core.generate.sources import ProviderSource

__all__ = ["MATRIX_FORMATS", "MatrixFormat", "checklist_outputs", "matrix_outputs", "page_outputs"]

MatrixFormat = Literal["yaml", "md", "html"]
MATRIX_FORMATS: tuple[MatrixFormat, ...] = ("yaml", "md", "html")

_MATRIX_RENDERERS: dict[MatrixFormat, tuple[PurePosixPath, Callable[[Sequence[ProviderSource]], str]]] = {
    "yaml": (MATRIX_PATH, render_matrix_yaml),
    "md": (COVERAGE_MD_PATH, render_coverage_markdown),
    "html": (COVERAGE_HTML_PATH, render_coverage_html),
}


def matrix_outputs(
    sources: Iterable[ProviderSource], formats: Iterable[MatrixFormat] = MATRIX_FORMATS
) -> dict[PurePosixPath, str]:
    """`capability_matrix.yaml`, `docs/coverage.md` and `docs/coverage.html` (or the formats asked for)."""
    ordered = sorted_sources(sources)
    outputs = {}
    for matrix_format in formats:
        path, render = _MATRIX_RENDERERS[matrix_format]
        outputs[path] = render(ordered)
    return outputs


def checklist_outputs(sources: Iterable[ProviderSource]) -> dict[PurePosixPath, str]:
    """One implementation checklist per provider, at the path `layout.checklist_path` gives."""
    outputs: dict[PurePosixPath, str] = {}
    for source in sorted_sources(sources):
        path = checklist_path(source)
        if path in outputs:
            raise ValueError(f"two providers would write the same checklist {path}; give them separate projects")
        outputs[path] = render_checklist(source)
    return outputs


def page_outputs(
    sources: Iterable[ProviderSource], formats: Iterable[PageFormat] = ("md",)
) -> dict[PurePosixPath, str]:
    """One page per provider and format under `docs/providers/`."""
    ordered = sorted_sources(sources)
    return {
        provider_page_path(source.name, page_format): render_provider_page(source, page_format)
        for source in ordered
        for page_format in formats
    }
