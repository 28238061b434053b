"""`chainatlas bench diagnose`: region × chain diagnosis latency on a synthetic store.

Builds (or reuses, with --db) a synthetic store, brings its persisted placements up to
date, then times `diagnose_region` exactly as the API calls it (no catalog passed in)
over a seeded sample of (region, chain) pairs at province, city and county level.
Reported separately: the process's very first call (gazetteer, chain templates, listed
baseline and store-wide totals all loaded), each pair's first call, and warm repeats.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from chainatlas.store.db import Store
from chainatlas.store.schema import DocumentRow

__all__ = ["DiagnoseBench", "LatencyStats", "open_bench_store", "run_diagnose_benchmark", "stats"]


@dataclass(frozen=True, slots=True)
class LatencyStats:
    n: int
    p50_ms: float
    p95_ms: float
    max_ms: float

    def row(self) -> list[str]:
        return [str(self.n), f"{self.p50_ms:.1f}", f"{self.p95_ms:.1f}", f"{self.max_ms:.1f}"]


def stats(seconds: list[float]) -> LatencyStats:
    if not seconds:
        return LatencyStats(0, 0.0, 0.0, 0.0)
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return LatencyStats(len(ms), statistics.median(ms), p95, ms[-1])


@dataclass
class DiagnoseBench:
    documents: int
    build_seconds: float | None  # None when an existing store was reused
    place_seconds: float
    process_first_ms: float
    by_level: dict[str, dict[str, LatencyStats]] = field(
        default_factory=dict
    )  # level -> first|warm


def open_bench_store(
    db: str | None, *, documents: int, entities: int, seed: int, console: Any
) -> tuple[Store, float | None, Any]:
    """The store to measure: `db` if it already holds documents, else a freshly built
    synthetic one (in `db`, or in a temporary directory removed by the returned handle)."""
    from chainatlas.bench.synthetic import build_with_progress

    tmp = None
    if db is None:
        tmp = tempfile.TemporaryDirectory(prefix="chainatlas-bench-")
        db = str(Path(tmp.name) / "synthetic.sqlite")
    store = Store(db if "://" in db else f"sqlite:///{db}")
    with store.session() as session:
        existing = session.scalar(select(func.count()).select_from(DocumentRow)) or 0
    if existing:
        console.print(f"复用已有库：{existing:,} 篇文档")
        return store, None, tmp
    summary = build_with_progress(
        store, documents=documents, entities=entities, seed=seed, console=console
    )
    return store, summary.seconds, tmp


def _sample_pairs(store: Store, pairs: int, seed: int) -> dict[str, list[tuple[str, str]]]:
    """Per level, `pairs` (region code, chain id) drawn from regions that hold placements,
    half of them on a chain present in the region and half on any chain (gaps included)."""
    from chainatlas.chains.templates import load_chains
    from chainatlas.store.placements import LEVEL_COLUMNS, PlacementRow

    rng = random.Random(seed)
    chains = sorted(c.id for c in load_chains())
    out: dict[str, list[tuple[str, str]]] = {}
    with store.session() as session:
        for level, column in LEVEL_COLUMNS.items():
            col = getattr(PlacementRow, column)
            rows = session.execute(
                select(col, PlacementRow.chain_id).where(col.is_not(None)).distinct()
            ).all()
            present = sorted(set(rows))
            regions = sorted({code for code, _ in present})
            picked = []
            for i in range(pairs):
                if present and i % 2 == 0:
                    picked.append(rng.choice(present))
                elif regions:
                    picked.append((rng.choice(regions), rng.choice(chains)))
            out[level] = picked
    return out


def measure(store: Store, pairs: dict[str, list[tuple[str, str]]], repeat: int = 2):
    """(first call of the process in seconds, per level {first: stats, warm: stats})."""
    from chainatlas.jobs.diagnose import diagnose_region

    process_first = None
    out: dict[str, dict[str, LatencyStats]] = {}
    for level, sample in pairs.items():
        first, warm = [], []
        for code, chain in sample:
            for i in range(1 + repeat):
                t = time.perf_counter()
                diagnose_region(store, code, chain)
                dt = time.perf_counter() - t
                if process_first is None:
                    process_first = dt
                    continue  # reported on its own: it pays one-off loading
                (first if i == 0 else warm).append(dt)
        out[level] = {"first": stats(first), "warm": stats(warm)}
    return process_first or 0.0, out


def run_diagnose_benchmark(
    *,
    db: str | None,
    documents: int,
    entities: int,
    pairs: int,
    seed: int,
    console: Any,
) -> DiagnoseBench:
    from rich.table import Table

    from chainatlas.jobs.diagnose import placements_current
    from chainatlas.jobs.place import run_place

    store, built, tmp = open_bench_store(
        db, documents=documents, entities=entities, seed=seed, console=console
    )
    try:
        with store.session() as session:
            n_docs = session.scalar(select(func.count()).select_from(DocumentRow)) or 0
            current = placements_current(session)
        place_seconds = 0.0
        if not current:
            with console.status("计算并保存产业链落位（chains place）…"):
                report = run_place(store)
            place_seconds = report.seconds
            console.print(
                f"落位：{report.records:,} 条记录，重新分类 {report.classified:,}，"
                f"用时 {report.seconds:.1f} 秒"
            )
        sample = _sample_pairs(store, pairs, seed)
        process_first, by_level = measure(store, sample)
        result = DiagnoseBench(n_docs, built, place_seconds, process_first * 1000, by_level)
        table = Table(title=f"诊断耗时（{n_docs:,} 篇文档，毫秒）", show_edge=False)
        for col in ("层级", "调用", "次数", "p50", "p95", "max"):
            table.add_column(col)
        for level, parts in by_level.items():
            for kind, st in parts.items():
                table.add_row(level, {"first": "首次", "warm": "热态"}[kind], *st.row())
        console.print(table)
        console.print(
            f"进程内第一次调用（含加载地区表、产业链模板、上市公司基线）：{process_first * 1000:.0f} ms"
        )
        return result
    finally:
        store.close()
        if tmp is not None:
            tmp.cleanup()
