"""The peers benchmark: its id comparison, its row on a tiny sandbox (when dlt is installed) and its skip without dlt.

No timing is asserted; the benchmark itself runs with `python -m benchmarks --only peers`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks import bench_peers, plots
from benchmarks.bench_peers import run_peers_on
from benchmarks.bench_scale import run_scale_on
from benchmarks.peer_loaders import TOOLS
from benchmarks.peer_reference import compare
from benchmarks.plan import QUICK

ids = st.lists(st.integers(min_value=1, max_value=40).map(str), max_size=60)


@given(stored=ids, expected=st.frozensets(st.integers(min_value=1, max_value=40).map(str)))
def test_compare_is_exact_only_for_every_expected_id_once(stored: list[str], expected: frozenset[str]) -> None:
    comparison = compare(stored, expected)

    assert comparison.exact == (sorted(stored) == sorted(expected))
    assert comparison.stored == len(stored)
    assert comparison.lost == len(expected - set(stored))
    assert comparison.duplicated == len(stored) - len(set(stored))
    assert comparison.unknown == len(set(stored) - expected)


def test_compare_counts_a_lost_a_duplicated_and_an_unknown_id() -> None:
    comparison = compare(["1", "2", "2", "9"], frozenset({"1", "2", "3"}))

    assert (comparison.lost, comparison.duplicated, comparison.unknown, comparison.exact) == (1, 1, 1, False)


def test_peers_is_skipped_with_the_install_command_when_dlt_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_peers, "dlt_installed", lambda: False)

    result = bench_peers.run_peers(QUICK)

    assert result.error is None
    assert result.met is None
    assert "pip install -e '.[bench]'" in result.headline


def test_peers_benchmark_row_is_well_formed_on_a_tiny_sandbox() -> None:
    pytest.importorskip("dlt", reason="the peers benchmark needs the bench extra: pip install -e '.[bench]'")

    row = json.loads(json.dumps(run_peers_on(60, page_size=25, runs=1, fault_runs=0).to_json()))

    assert row["key"] == "peers"
    assert row["error"] is None
    assert isinstance(row["met"], bool)
    assert row["parameters"]["listed"] == 60
    for tool in TOOLS:
        assert row["metrics"][f"{tool}_lost"]["max"] == 0
        assert row["metrics"][f"{tool}_duplicated"]["max"] == 0
        for name in ("records_per_s", "cpu_s_per_10k", "peak_rss"):
            metric = row["metrics"][f"{tool}_{name}"]
            assert metric["runs"] == 1
            assert math.isfinite(metric["median"]) and metric["median"] > 0


def test_scale_row_on_a_tiny_size_plots_to_a_png(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib", reason="the plots need the bench extra: pip install -e '.[bench]'")
    result = run_scale_on((30,), page_size=20)
    results = tmp_path / "latest.json"
    results.write_text(json.dumps({"results": [result.to_json()]}), encoding="utf-8")
    monkeypatch.setattr(plots, "RESULTS", tmp_path)

    exit_code = plots.main([str(results)])

    assert result.error is None
    assert isinstance(result.met, bool)
    assert {"full_30_records_per_s", "full_30_peak_rss", "incremental_30_seconds"} <= set(result.metrics)
    assert exit_code == 0
    assert (tmp_path / "scale.png").read_bytes().startswith(b"\x89PNG")
