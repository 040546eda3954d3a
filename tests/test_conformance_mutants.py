"""The conformance suite bites: every mutant of the full template (one planted bug each, `tests/mutants.py`) fails
it with a message naming the operation and the problem, while the unmutated template passes. One pytest run
(a subprocess, so nothing of it leaks into this one) holds them all; the kill rate is the one the README reports."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from xml.etree import ElementTree

import pytest
from mutants import MUTANTS

README = Path(__file__).resolve().parents[1] / "README.md"

SUITES = """
import pytest
from full_template import FullProvider
from mutants import MUTANTS
from ats_core.testing import ProviderConformance, WriteTargets, connect_class


def suite_for(provider_class, bypass):
    class Suite(ProviderConformance):
        provider = "example"
        page_size = 4

        @pytest.fixture
        def client(self):
            with connect_class(provider_class, {"seed": 11, "size": 14}) as client:
                yield client

        def write_targets(self, client):
            open_ = [a for a in client.stream_applications() if a.status != "rejected"]
            return WriteTargets(
                candidate_id=open_[0].candidate_id,
                application_id=open_[0].remote_id,
                job_id=open_[0].job_id,
                more_application_ids=tuple(a.remote_id for a in open_[1:3]),
            )

        def request_count(self, client):
            return client.provider.store.requests

    Suite.provider_class = provider_class
    Suite.bypass = bypass
    return Suite


TestFullTemplate = suite_for(FullProvider, {})
for mutant in MUTANTS:
    globals()[f"Test{mutant.__name__}"] = suite_for(mutant, mutant.bypass)
"""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    """Per test class: the report texts of its failed, skipped and passed tests (one pytest run in a subprocess,
    reported as JUnit XML, so the mutants run once for every test here)."""
    root = tmp_path_factory.mktemp("mutants")
    (root / "test_mutants.py").write_text(SUITES, encoding="utf-8")
    report = root / "report.xml"
    tests = Path(__file__).resolve().parent
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tests), os.environ.get("PYTHONPATH", "")])}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            f"--junitxml={report}",
            "--rootdir",
            str(root),
        ],
        cwd=root,
        env=environment,
        capture_output=True,
        check=False,
        timeout=300,
    )
    by_class: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"failed": [], "skipped": [], "passed": []})
    for case in ElementTree.parse(report).iter("testcase"):
        name = case.get("classname", "").rsplit(".", 1)[-1]
        problem = next((child for child in case if child.tag in ("failure", "error", "skipped")), None)
        outcome = "passed" if problem is None else "skipped" if problem.tag == "skipped" else "failed"
        text = "" if problem is None else f"{problem.get('message', '')}\n{problem.text or ''}"
        by_class[name][outcome].append(f"{case.get('name')}\n{text}")
    return by_class


def _killed(mutant: type, failures: list[str]) -> bool:
    return any(mutant.operation in text and mutant.problem in text for text in failures)  # type: ignore[attr-defined]


def test_the_full_template_passes_the_whole_suite(outcomes: dict[str, dict[str, list[str]]]) -> None:
    control = outcomes["TestFullTemplate"]
    assert control["failed"] == []
    # An in-memory store has no API to pass requests to and no feed of changes: those are declared not_applicable.
    not_applicable = ("declares no passthrough", "declares no change", "declares no pull change")  # nothing to call
    assert [text for text in control["skipped"] if not any(reason in text for reason in not_applicable)] == []
    assert len(control["passed"]) > 60


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.__name__)
def test_the_suite_kills_the_mutant_naming_operation_and_problem(
    outcomes: dict[str, dict[str, list[str]]], mutant: type
) -> None:
    failures = outcomes[f"Test{mutant.__name__}"]["failed"]
    assert failures, f"{mutant.__name__} ({mutant.__doc__}) passed the suite"
    assert _killed(mutant, failures), (
        f"{mutant.__name__}: no failure names {mutant.operation!r} and {mutant.problem!r}; failures:\n"  # type: ignore[attr-defined]
        + "\n".join(text[:600] for text in failures)
    )


def test_the_readme_reports_the_kill_rate(outcomes: dict[str, dict[str, list[str]]]) -> None:
    killed = sum(_killed(m, outcomes[f"Test{m.__name__}"]["failed"]) for m in MUTANTS)
    stated = re.search(r"\*\*(\d+) of (\d+) mutants killed\*\*", README.read_text(encoding="utf-8"))
    assert stated is not None, "README: the conformance section states '**N of M mutants killed**'"
    assert (int(stated[1]), int(stated[2])) == (killed, len(MUTANTS))
