"""`chainatlas bench match`: latency of the three matchers on a synthetic store.

Each query runs as the REST API runs it — load the matcher's inputs from the store
(`chainatlas.jobs.match`, `chainatlas.jobs.invest`), then score — over a fixed query set.
Reported per matcher: the process's first query (cold: loading and caches), then p50/p95
over `repeat` runs of every query (warm), with the load share shown separately so a slow
figure says whether reading or scoring limits it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chainatlas.bench.diagnose import LatencyStats, open_bench_store, stats
from chainatlas.store.db import Store

__all__ = ["INVEST_QUERIES", "SITE_QUERIES", "TECH_QUERIES", "MatchBench", "run_match_benchmark"]

TECH_QUERIES: tuple[tuple[str, str | None], ...] = (
    ("动力电池热失控预警", None),
    ("碳化硅功率器件封装", "江苏省"),
    ("医学影像设备探测器", "广东省"),
    ("工业机器人精密减速器", None),
    ("钠离子电池正极材料", "安徽省"),
    ("大模型推理芯片", "上海市"),
    ("生物药连续化生产工艺", None),
    ("光伏组件回收利用", "陕西省"),
)
# (type, industry, area m², region, budget)
SITE_QUERIES: tuple[tuple[str, str, float | None, str | None, float | None], ...] = (
    ("factory", "医疗器械", 2000.0, "广东省", 40.0),
    ("factory", "动力电池", 10000.0, None, None),
    ("land", "新材料", 50 * 666.67, "江苏省", 50.0),
    ("office", "软件和信息服务", 1500.0, None, 60.0),
    ("factory", "工业机器人", 5000.0, "浙江省", None),
    ("land", "生物医药", 80 * 666.67, None, None),
)
INVEST_QUERIES: tuple[tuple[str, str], ...] = (
    ("广东省", "新能源汽车"),
    ("江苏省", "半导体与集成电路"),
    ("安徽省", "高端医疗器械"),
)


@dataclass
class MatchBench:
    documents: int
    cold_ms: dict[str, float] = field(default_factory=dict)  # matcher -> first query
    warm: dict[str, LatencyStats] = field(default_factory=dict)  # matcher -> load + score
    load: dict[str, LatencyStats] = field(default_factory=dict)  # matcher -> load only


def _tech(store: Store, need: str, region: str | None) -> float:
    from chainatlas.jobs.match import load_tech_candidates
    from chainatlas.match.tech import match_tech

    t = time.perf_counter()
    candidates = load_tech_candidates(store)
    loaded = time.perf_counter() - t
    match_tech(need, candidates, region=region, top=10)
    return loaded


def _site(store: Store, query: tuple) -> float:
    from chainatlas.jobs.match import load_listings, load_park_profiles
    from chainatlas.match.site import SiteRequirement, match_site

    need_type, industry, area, region, budget = query
    req = SiteRequirement(
        need_type=need_type, industry=industry, area_sqm=area, region=region, budget=budget
    )
    t = time.perf_counter()
    listings, profiles = load_listings(store), load_park_profiles(store)
    loaded = time.perf_counter() - t
    match_site(req, listings, top=5, park_profiles=profiles)
    return loaded


def _invest(store: Store, region: str, chain: str) -> float:
    from chainatlas.jobs.invest import invest_region

    invest_region(store, region, chain, top=10)
    return 0.0  # loading and scoring are interleaved inside invest_region


def _run(
    queries: list[Callable[[], float]], repeat: int
) -> tuple[float, LatencyStats, LatencyStats]:
    cold = None
    totals, loads = [], []
    for q in queries:
        for _ in range(repeat):
            t = time.perf_counter()
            loaded = q()
            dt = time.perf_counter() - t
            if cold is None:
                cold = dt
                continue
            totals.append(dt)
            loads.append(loaded)
    return (cold or 0.0) * 1000, stats(totals), stats(loads)


def measure(store: Store, *, repeat: int, invest: int) -> dict[str, tuple]:
    out = {
        "tech": _run([lambda q=q: _tech(store, *q) for q in TECH_QUERIES], repeat),
        "site": _run([lambda q=q: _site(store, q) for q in SITE_QUERIES], repeat),
    }
    if invest:
        chosen = INVEST_QUERIES[:invest]
        # Only the process's first query builds the per-store cache (minutes at 10⁵
        # documents); the rest are cheap, so invest repeats like the other matchers.
        out["invest"] = _run([lambda q=q: _invest(store, *q) for q in chosen], max(repeat, 2))
    return out


def run_match_benchmark(
    *,
    db: str | None,
    documents: int,
    entities: int,
    repeat: int,
    seed: int,
    console: Any,
    invest: int = 1,
) -> MatchBench:
    from rich.table import Table
    from sqlalchemy import func, select

    from chainatlas.store.schema import DocumentRow

    store, _built, tmp = open_bench_store(
        db, documents=documents, entities=entities, seed=seed, console=console
    )
    try:
        with store.session() as session:
            n_docs = session.scalar(select(func.count()).select_from(DocumentRow)) or 0
        result = MatchBench(n_docs)
        table = Table(title=f"匹配耗时（{n_docs:,} 篇文档，毫秒）", show_edge=False)
        for col in ("匹配", "首次", "次数", "p50", "p95", "max", "其中读取 p50"):
            table.add_column(col)
        for name, (cold, warm, load) in measure(store, repeat=repeat, invest=invest).items():
            result.cold_ms[name], result.warm[name], result.load[name] = cold, warm, load
            table.add_row(name, f"{cold:.0f}", *warm.row(), f"{load.p50_ms:.1f}")
        console.print(table)
        return result
    finally:
        store.close()
        if tmp is not None:
            tmp.cleanup()
