"""`chainatlas bench synthetic|diagnose|match` at a tiny size (figures are not checked,
only that every part is measured and reported)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from typer.testing import CliRunner

from chainatlas.bench.diagnose import run_diagnose_benchmark, stats
from chainatlas.bench.match import run_match_benchmark


def _console() -> Console:
    return Console(file=io.StringIO(), width=120)


def test_stats_percentiles():
    st = stats([i / 1000 for i in range(1, 101)])  # 1..100 ms
    assert (st.n, st.p50_ms, st.max_ms) == (100, 50.5, 100.0)
    assert 94 <= st.p95_ms <= 96
    assert stats([]).n == 0


@pytest.mark.slow
def test_diagnose_benchmark_builds_places_and_times(tmp_path):
    console = _console()
    db = str(tmp_path / "bench.sqlite")
    result = run_diagnose_benchmark(
        db=db, documents=200, entities=100, pairs=4, seed=0, console=console
    )
    assert result.documents == 200 and result.build_seconds is not None
    assert result.place_seconds > 0
    assert set(result.by_level) == {"province", "city", "county"}
    assert all(parts["warm"].n > 0 for parts in result.by_level.values())
    assert "诊断耗时" in console.file.getvalue()
    # Reusing the store: nothing is rebuilt or re-placed.
    again = run_diagnose_benchmark(db=db, documents=200, entities=100, pairs=2, seed=1,
                                   console=_console())  # fmt: skip
    assert again.build_seconds is None and again.place_seconds == 0.0


@pytest.mark.slow
def test_match_benchmark_times_every_matcher(tmp_path):
    console = _console()
    result = run_match_benchmark(
        db=str(tmp_path / "m.sqlite"),
        documents=200,
        entities=100,
        repeat=1,
        seed=0,
        console=console,
        invest=1,
    )
    assert set(result.warm) == {"tech", "site", "invest"}
    assert all(result.cold_ms[k] > 0 for k in result.warm)
    assert result.warm["tech"].n == 7  # 8 queries, the first one reported as cold
    assert "匹配耗时" in console.file.getvalue()


def test_bench_commands_are_registered():
    from chainatlas.cli import app

    out = CliRunner().invoke(app, ["bench", "--help"], env={"COLUMNS": "200"}).output
    for name in ("synthetic", "diagnose", "match"):
        assert name in out
