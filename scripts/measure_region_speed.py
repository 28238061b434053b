"""Measure `find_regions` throughput in characters per second.

Usage: python scripts/measure_region_speed.py [TEXT_FILE ...] [--repeat N]

Without files it uses a built-in sample paragraph. The text is concatenated and
repeated so the timed run is long enough to be stable; matcher construction is timed
separately (it happens once per process).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from chainatlas.extract.regions import default_matcher, find_regions

SAMPLE = (
    "广州市黄埔区与深圳市光明区签署合作协议，双方将在新能源汽车、集成电路等领域开展合作。"
    "项目总投资约50亿元，落户南沙，预计2026年投产。吉林大学、中山大学的研究团队参与其中，"
    "惠州、江门、东莞等地企业也表达了投资意向。上海浦东新区和北京朝阳区的投资机构参与了本轮融资。\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=0, help="repeat the text N times")
    args = parser.parse_args()

    base = "".join(p.read_text(encoding="utf-8") for p in args.files) or SAMPLE
    repeat = args.repeat or max(1, 1_000_000 // len(base))
    text = base * repeat

    t0 = time.perf_counter()
    default_matcher()
    build = time.perf_counter() - t0

    t0 = time.perf_counter()
    mentions = find_regions(text)
    elapsed = time.perf_counter() - t0
    print(f"matcher build: {build:.2f} s")
    print(
        f"{len(text):,} chars, {len(mentions):,} mentions in {elapsed:.2f} s: "
        f"{len(text) / elapsed:,.0f} chars/s"
    )

    # Per-document calls are the common case; time many short documents too.
    docs = [base] * repeat
    t0 = time.perf_counter()
    for doc in docs:
        find_regions(doc)
    elapsed = time.perf_counter() - t0
    print(f"{len(docs):,} documents of {len(base):,} chars: {len(text) / elapsed:,.0f} chars/s")


if __name__ == "__main__":
    main()
