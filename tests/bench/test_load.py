"""The web load harness: request set drawn from the store, figures, verdict, and a tiny
real run (server subprocess + closed-loop clients) on the demo store."""

from __future__ import annotations

import json
import sqlite3

import pytest

from chainatlas.bench.load import (
    MIX,
    P95_BUDGET_MS,
    Sample,
    build_request_set,
    run_load,
    summarise,
)


def test_request_set_covers_every_endpoint_with_store_data(demo_store):
    specs = build_request_set(demo_store, size=500, seed=3)
    assert {s.endpoint for s in specs} == set(MIX)
    assert specs == build_request_set(demo_store, size=500, seed=3)  # deterministic
    assert all(s.path.startswith(("/api/v1/", "/search", "/entities/")) for s in specs)
    assert any("diagnosis?chain=" in s.path for s in specs)


def test_summary_percentiles_and_verdict():
    fast = [Sample("api_search", float(ms), None, False) for ms in range(1, 101)]
    per, overall, passed = summarise(fast, elapsed=10.0)
    (search,) = per
    assert (search.requests, search.p50_ms, search.p95_ms, search.max_ms) == (100, 50, 95, 100)
    assert search.throughput == 10.0 and passed

    slow = [*fast, Sample("api_entity", P95_BUDGET_MS + 1, None, False)]
    assert not summarise(slow, elapsed=10.0)[2]  # one endpoint over budget fails the run
    failed = [*fast, Sample("api_entity", 5.0, "500 /api/v1/entities/x", False)]
    per, overall, passed = summarise(failed, elapsed=10.0)
    assert overall.errors == 1 and not passed
    assert per[1].error_examples == ["500 /api/v1/entities/x"]


@pytest.mark.slow
def test_tiny_run_against_the_demo_store(demo_store, tmp_path):
    # A copy: the harness may persist chain placements, and demo_store is read-only.
    copy = tmp_path / "demo.sqlite"
    with sqlite3.connect(demo_store.engine.url.database) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    report = run_load(f"sqlite:///{copy}", clients=2, duration=3, workers=1, seed=1)
    data = json.loads(json.dumps(report.as_dict()))
    assert data["documents"] == 46 and data["clients"] == 2
    assert report.overall.requests > 10
    assert report.overall.errors == 0, [e.error_examples for e in report.endpoints]
    assert {e.endpoint for e in report.endpoints} <= set(MIX)
    assert sum(e.requests for e in report.endpoints) == report.overall.requests
    for e in report.endpoints:
        assert 0 < e.p50_ms <= e.p95_ms <= e.p99_ms <= e.max_ms


@pytest.mark.slow
def test_think_time_paces_each_client(demo_store, tmp_path):
    copy = tmp_path / "demo.sqlite"
    with sqlite3.connect(demo_store.engine.url.database) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    report = run_load(f"sqlite:///{copy}", clients=2, duration=3, workers=1, seed=1, think=1.0)
    assert report.think_s == 1.0
    # Two clients pausing ~1 s between requests make a handful of requests in 3 s, where
    # closed-loop clients make dozens.
    assert 2 <= report.overall.requests <= 20
    assert report.overall.errors == 0
