"""Throughput of the value finders (money, quantities, dates, stock codes) in chars/s.

Usage: python scripts/measure_values_speed.py [--chars 2000000] [--rounds 3] [FILE ...]

Without files the text is generated: news-like sentences built from templates with
random numbers, dates and codes, mixed with filler prose, so the finders see both hits
and long stretches of text without any. Files (UTF-8 plain text, e.g. extracted article
bodies) are read and repeated up to --chars. Run it alone: the machine's cores are shared.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

# Runnable from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from chainatlas.extract.values import find_dates, find_money, find_quantities, find_stock_codes

_FILLER = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
    "种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从"
    "业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又"
)
_TEMPLATES = (
    "{y}年{m}月{d}日，{co}({code})与市政府签约，总投资{n}亿元，建设年产{k}万辆整车项目。",
    "项目占地{k}00亩，建筑面积{k}万平方米，预计{y}年底建成投产，达产后年产值超{n}亿元。",
    "今年上半年，全市规上工业增加值同比增长{p}%，新增专精特新企业{k}家。",
    "公司完成数千万元A轮融资，计划到{y}年实现营收{n}0亿元，员工超{k}千名。",
    "“十四五”期间，园区累计引进项目{k}个，带动就业{k}万人，储能产能达{n}GWh。",
)
_COS = ("卫星化学", "比亚迪", "宁德时代", "某科技公司")


def _text(rng: random.Random, n_chars: int) -> str:
    parts: list[str] = []
    size = 0
    while size < n_chars:
        if rng.random() < 0.35:
            s = rng.choice(_TEMPLATES).format(
                y=rng.randint(2018, 2030),
                m=rng.randint(1, 12),
                d=rng.randint(1, 28),
                co=rng.choice(_COS),
                code=rng.choice(("002648", "300750", "600519")),
                n=rng.randint(1, 999),
                k=rng.randint(1, 99),
                p=round(rng.uniform(0, 30), 1),
            )
        else:
            s = "".join(rng.choice(_FILLER) for _ in range(rng.randint(20, 60))) + "。"
        parts.append(s)
        size += len(s)
    return "".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--chars", type=int, default=2_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    if args.files:
        body = "\n".join(p.read_text(encoding="utf-8") for p in args.files)
        text = (body * (args.chars // max(1, len(body)) + 1))[: args.chars]
    else:
        text = _text(random.Random(args.seed), args.chars)
    # Finders run per sentence in the pipeline; feed them sentences, not one huge string.
    sentences = [s + "。" for s in text.split("。") if s]
    total = sum(len(s) for s in sentences)
    pub = date(2025, 6, 15)
    finders = {
        "find_money": find_money,
        "find_quantities": find_quantities,
        "find_dates": lambda s: find_dates(s, published=pub),
        "find_stock_codes": find_stock_codes,
    }
    print(f"{total:,} chars in {len(sentences):,} sentences, {args.rounds} rounds (median)")
    for name, fn in finders.items():
        times, hits = [], 0
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            hits = sum(len(fn(s)) for s in sentences)
            times.append(time.perf_counter() - t0)
        secs = statistics.median(times)
        print(f"{name:18s} {total / secs / 1e6:6.2f} M chars/s  {hits:7,} hits  {secs:.3f} s")


if __name__ == "__main__":
    main()
