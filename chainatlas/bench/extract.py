"""`chainatlas bench extract`: characters per second end to end against the NER model alone,
and peak memory on one very large document (bounded memory check)."""

from __future__ import annotations

import os
import platform
import resource
import time

from rich.console import Console
from rich.table import Table

from chainatlas.bench.pages import _sentence
from chainatlas.extract.pipeline import DocInput, default_resources, extract


def _corpus(chars: int, seed: int) -> list[str]:
    """News-like documents of ~1,500 characters from the benchmark sentence bank."""
    import random

    rng = random.Random(seed)
    docs, total = [], 0
    while total < chars:
        doc = "\n\n".join(
            "".join(_sentence(rng) for _ in range(rng.randint(3, 6))) for _ in range(5)
        )
        docs.append(doc)
        total += len(doc)
    return docs


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_extract_benchmark(*, chars: int, big_mb: int, seed: int, console: Console) -> dict:
    console = Console(width=max(console.width, 120), highlight=False)
    resources = default_resources()
    docs = _corpus(chars, seed)
    total = sum(map(len, docs))
    console.print(
        f"机器：{platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}；"
        f"{len(docs)} 篇，共 {total:,} 字，种子 {seed}"
    )
    # Warm-up so model loading is not timed.
    extract(DocInput("warm", docs[0]), resources)

    cpu = _cpu()
    for text in docs:
        resources.tagger.tag([text])
    ner_cpu = _cpu() - cpu

    cpu = _cpu()
    mentions = facts = 0
    for i, text in enumerate(docs):
        result = extract(DocInput(str(i), text), resources)
        mentions += len(result.mentions)
        facts += len(result.facts)
    e2e_cpu = _cpu() - cpu

    table = Table(title="抽取基准（单进程，CPU 时间）", show_edge=False)
    for col in ("阶段", "CPU秒", "字/CPU秒", "相对 NER"):
        table.add_column(col, justify="left" if col == "阶段" else "right")
    table.add_row("NER 模型单独", f"{ner_cpu:.1f}", f"{total / ner_cpu:,.0f}", "1.00×")
    table.add_row(
        "端到端抽取", f"{e2e_cpu:.1f}", f"{total / e2e_cpu:,.0f}", f"{e2e_cpu / ner_cpu:.2f}×"
    )
    console.print(table)
    console.print(f"实体提及 {mentions:,} 个，事实 {facts:,} 条")

    figures = {
        "chars": total,
        "ner_chars_per_cpu_s": total / ner_cpu,
        "e2e_chars_per_cpu_s": total / e2e_cpu,
    }
    if big_mb:
        big = "\n\n".join(_corpus(big_mb * 1024 * 1024 // 3, seed + 1))  # ~3 bytes per CJK char
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        result = extract(DocInput("big", big), resources)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        console.print(
            f"大文档：{len(big.encode()) / 1e6:.1f} MB（{len(big):,} 字），{seconds:.1f} 秒，"
            f"提及 {len(result.mentions):,}，事实 {len(result.facts):,}；"
            f"峰值内存 {before:.0f} → {peak:.0f} MB"
        )
        figures.update(big_mb=len(big.encode()) / 1e6, big_seconds=seconds, peak_mb=peak)
    return figures
