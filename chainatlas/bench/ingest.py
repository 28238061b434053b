"""`chainatlas bench ingest`: end-to-end ingest speed against the main-text extractor alone.

Both phases read the same generated pages from disk (written once beforehand, so neither
pays for generating them); both stream, so memory stays flat in corpus size.
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
from chainatlas.ingest.sources import iter_sources
from chainatlas.jobs.ingest import run_ingest
from chainatlas.settings import IngestSettings
from chainatlas.store.db import Store


@dataclass(slots=True)
class Phase:
    name: str
    pages: int
    seconds: float  # wall clock
    cpu_seconds: float  # this process and its workers: robust to other load on the machine
    megabytes: float
    rss_mb_at: dict[int, float]

    @property
    def pages_per_cpu_s(self) -> float:
        return self.pages / self.cpu_seconds

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


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _checkpoints(pages: int) -> set[int]:
    return {max(1, pages // 10), pages // 2, pages}


def write_pages(directory: Path, pages: int, seed: int) -> list[Path]:
    """Generate the pages to disk once, so neither phase pays for generating them."""
    paths = []
    for i, item in enumerate(generate(pages, seed)):
        path = directory / f"{i // 1000:03d}" / f"{i:06d}.html"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(item.data)
        paths.append(path)
    return paths


def extractor_alone(paths: list[Path]) -> Phase:
    pages = len(paths)
    checkpoints, rss = _checkpoints(pages), {}
    size = 0
    cpu = _cpu()
    started = time.perf_counter()
    for i, path in enumerate(paths, start=1):
        data = path.read_bytes()
        size += len(data)
        trafilatura.bare_extraction(data.decode("utf-8"), **TRAFILATURA_OPTIONS)
        if i in checkpoints:
            rss[i] = _rss_mb()
    return Phase(
        "正文抽取器单独（trafilatura）",
        pages,
        time.perf_counter() - started,
        _cpu() - cpu,
        size / 1e6,
        rss,
    )


def end_to_end(url: str, directory: Path, pages: int, workers: int, label: str) -> Phase:
    store = Store(url)
    checkpoints, rss, done = _checkpoints(pages), {}, [0]

    def on_outcome(_outcome) -> None:
        done[0] += 1
        if done[0] in checkpoints:
            rss[done[0]] = _rss_mb()

    cpu = _cpu()
    started = time.perf_counter()
    report = run_ingest(
        store,
        iter_sources([str(directory)]),
        settings=IngestSettings(workers=workers),
        arguments=["bench"],
        on_outcome=on_outcome,
    )
    seconds = time.perf_counter() - started
    cpu = _cpu() - cpu
    store.close()
    failed = report.counts["failed"]
    if failed:
        raise RuntimeError(f"{failed} generated pages failed to ingest: {report.failed[0].detail}")
    return Phase(label, pages, seconds, cpu, report.bytes_in / 1e6, rss)


def run_ingest_benchmark(
    *, pages: int, workers: int, pg_url: str | None, seed: int, console: Console
) -> list[Phase]:
    console = Console(width=max(console.width, 150), highlight=False)
    console.print(
        f"机器：{platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}；"
        f"网页数 {pages}，解析进程 {workers}，种子 {seed}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        pages_dir = Path(tmp) / "pages"
        pages_dir.mkdir()
        paths = write_pages(pages_dir, pages, seed)
        phases = [extractor_alone(paths)]
        db = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        phases.append(end_to_end(db, pages_dir, pages, workers, "端到端 SQLite"))
        if pg_url:
            phases.append(end_to_end(pg_url, pages_dir, pages, workers, "端到端 PostgreSQL"))
    table = Table(title="采集基准", show_edge=False)
    columns = (
        "阶段",
        "页数",
        "墙钟秒",
        "CPU秒",
        "页/秒",
        "页/CPU秒",
        "MB/秒",
        "CPU 倍数",
        "内存 MB",
    )
    for col in columns:
        table.add_column(col, justify="left" if col == "阶段" else "right")
    # Ratios use CPU time: wall time on a shared machine measures the neighbours too.
    base = phases[0].cpu_seconds
    for ph in phases:
        table.add_row(
            ph.name,
            str(ph.pages),
            f"{ph.seconds:.1f}",
            f"{ph.cpu_seconds:.1f}",
            f"{ph.pages_per_s:.1f}",
            f"{ph.pages_per_cpu_s:.1f}",
            f"{ph.mb_per_s:.2f}",
            f"{ph.cpu_seconds / base:.2f}×",
            " / ".join(f"{ph.rss_mb_at[k]:.0f}" for k in sorted(ph.rss_mb_at)),
        )
    console.print(table, soft_wrap=True, width=200)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    console.print(f"进程峰值内存：{peak:.0f} MB")
    return phases
