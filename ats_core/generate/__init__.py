"""Generated coverage files: the capability matrix, implementation checklists and provider pages.

Every generator is a pure function from `ProviderSource`s (a manifest plus where the provider lives) to
text; `ats matrix`, `ats checklist` and `ats docs` add discovery and file I/O, and `--check` turns any
difference into a unified diff and a non-zero exit. Where each file goes: see `ats_core.generate.layout`.
"""

from ats_core.generate.checklist import render_checklist
from ats_core.generate.drift import Drift, find_drift, write_outputs
from ats_core.generate.layout import checklist_path, provider_page_path
from ats_core.generate.matrix import (
    matrix_data,
    matrix_schema,
    render_coverage_html,
    render_coverage_markdown,
    render_matrix_yaml,
)
from ats_core.generate.outputs import checklist_outputs, matrix_outputs, page_outputs
from ats_core.generate.provider_page import render_provider_page
from ats_core.generate.sources import ProviderMetadata, ProviderSource, source_of_loaded

__all__ = [
    "Drift",
    "ProviderMetadata",
    "ProviderSource",
    "checklist_outputs",
    "checklist_path",
    "find_drift",
    "matrix_data",
    "matrix_outputs",
    "matrix_schema",
    "page_outputs",
    "provider_page_path",
    "render_checklist",
    "render_coverage_html",
    "render_coverage_markdown",
    "render_matrix_yaml",
    "render_provider_page",
    "source_of_loaded",
    "write_outputs",
]
