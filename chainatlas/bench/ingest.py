"""`chainatlas bench ingest`: end-to-end ingest speed against the main-text extractor alone.

Both phases see the same generated pages (same seed), streamed, so memory stays flat.
Figures go to the console; BENCHMARKS.md records them with the machine and command.
"""

from __future__ import annotations

import os
import platform
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import trafilatura
from rich.console import Console
from rich.table import Table

from chainatlas.bench.pages import generate
from chainatlas.ingest.html_page import TRAFILATURA_OPTIONS
from chainatlas.jobs.ingest import run_ingest
from chainatlas.settings import IngestSettings
from chainatlas.store.db import Store


@dataclass(slots=True)
class Phase:
    name: str
    pages: int
    seconds: float
    megabytes: float
    rss_mb_at: dict[int, float]

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _checkpoints(pages: int) -> set[int]:
    return {max(1, pages // 10), pages // 2, pages}


def extractor_alone(pages: int, seed: int) -> Phase:
    checkpoints, rss = _checkpoints(pages), {}
    size = 0
    started = time.perf_counter()
    for i, item in enumerate(generate(pages, seed), start=1):
        size += len(item.data)
        trafilatura.bare_extraction(item.data.decode("utf-8"), **TRAFILATURA_OPTIONS)
        if i in checkpoints:
            rss[i] = _rss_mb()
    return Phase(
        "正文抽取器单独（trafilatura）", pages, time.perf_counter() - started, size / 1e6, rss
    )


def end_to_end(url: str, pages: int, seed: int, workers: int, label: str) -> Phase:
    store = Store(url)
    checkpoints, rss, done = _checkpoints(pages), {}, [0]

    def on_outcome(_outcome) -> None:
        done[0] += 1
        if done[0] in checkpoints:
            rss[done[0]] = _rss_mb()

    started = time.perf_counter()
    report = run_ingest(
        store,
        generate(pages, seed),
        settings=IngestSettings(workers=workers),
        arguments=["bench"],
        on_outcome=on_outcome,
    )
    seconds = time.perf_counter() - started
    store.close()
    failed = report.counts["failed"]
    if failed:
        raise RuntimeError(f"{failed} generated pages failed to ingest: {report.failed[0].detail}")
    return Phase(label, pages, seconds, report.bytes_in / 1e6, rss)


def run_ingest_benchmark(
    *, pages: int, workers: int, pg_url: str | None, seed: int, console: Console
) -> list[Phase]:
    console.print(
        f"机器：{platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}；"
        f"网页数 {pages}，解析进程 {workers}，种子 {seed}"
    )
    phases = [extractor_alone(pages, seed)]
    with tempfile.TemporaryDirectory() as tmp:
        phases.append(
            end_to_end(
                f"sqlite:///{Path(tmp) / 'bench.sqlite'}", pages, seed, workers, "端到端 SQLite"
            )
        )
    if pg_url:
        phases.append(end_to_end(pg_url, pages, seed, workers, "端到端 PostgreSQL"))
    table = Table(title="采集基准", show_edge=False)
    for col in (
        "阶段",
        "页数",
        "秒",
        "页/秒",
        "MB/秒",
        "相对抽取器",
        "常驻内存 MB（10%/50%/100%）",
    ):
        table.add_column(col, justify="right" if col != "阶段" else "left")
    base = phases[0].seconds
    for ph in phases:
        table.add_row(
            ph.name,
            str(ph.pages),
            f"{ph.seconds:.1f}",
            f"{ph.pages_per_s:.1f}",
            f"{ph.mb_per_s:.2f}",
            f"{ph.seconds / base:.2f}×",
            " / ".join(f"{ph.rss_mb_at[k]:.0f}" for k in sorted(ph.rss_mb_at)),
        )
    console.print(table)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    console.print(f"进程峰值内存：{peak:.0f} MB")
    return phases
