"""The HTML coverage page: well-formed, self-contained, with reasons on hover and counts per provider."""

from __future__ import annotations

from html.parser import HTMLParser

from ats_core.generate import ProviderSource, render_coverage_html
from ats_core.generate.coverage import format_percent
from ats_core.operations import OPERATIONS

VOID = {"meta", "link", "br", "hr", "img", "input", "col", "area", "base", "embed", "source", "track", "wbr"}


class _TagChecker(HTMLParser):
    """Collects unbalanced tags, external references and every cell's title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.titles: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"script", "link", "img", "iframe"} or any(k in values for k in ("src", "href")):
            self.external.append(tag)
        if tag == "td" and values.get("title"):
            self.titles.append(values["title"] or "")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.problems.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def _parse(text: str) -> _TagChecker:
    checker = _TagChecker()
    checker.feed(text)
    checker.close()
    return checker


def test_tags_balance_and_nothing_external(sources: list[ProviderSource]) -> None:
    checker = _parse(render_coverage_html(sources))
    assert checker.problems == []
    assert checker.stack == []
    assert checker.external == []


def test_checker_notices_an_unbalanced_page() -> None:
    assert _parse("<html><body><table><tr><td>x</tr></table></body></html>").problems


def test_every_cell_carries_its_status_and_reason(sources: list[ProviderSource]) -> None:
    titles = _parse(render_coverage_html(sources)).titles
    for source in sorted(sources, key=lambda s: s.name):
        for op in OPERATIONS:
            declaration = source.manifest.operations[op.name]
            expected = declaration.status.value + (
                f": {' '.join(declaration.reason.split())}" if declaration.reason else ""
            )
            assert expected in titles, (source.name, op.name)


def test_counts_per_provider(acme: ProviderSource, zeta: ProviderSource) -> None:
    page = render_coverage_html([acme, zeta])
    total = len(OPERATIONS)
    assert f"8 of {total} ({format_percent(round(100 * 8 / total, 1))})" in page
    zeta_implemented = sum(zeta.manifest.status_of(op.name).implemented for op in OPERATIONS)
    assert f"{zeta_implemented} of {total} ({format_percent(round(100 * zeta_implemented / total, 1))})" in page
