"""Throughput of `classify_text` on the paragraphs of the fact gold/dev sets.

    python scripts/measure_classify_speed.py [--repeat 3]

Prints paragraphs, characters and the best of N runs in characters per CPU-second
(process time, so a busy machine does not distort it much). Reported in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from chainatlas.chains.classify import classify_text
from chainatlas.chains.templates import load_chains
from chainatlas.extract.evaluate_facts import read_gold

EVAL = Path(__file__).resolve().parents[1] / "eval"


def paragraphs() -> list[str]:
    files = [EVAL / "facts_gold.jsonl", EVAL / "facts_dev_extra.jsonl"]
    files += sorted(EVAL.glob("facts_dev_batch*.jsonl"))
    return [
        para
        for path in files
        for record in read_gold(path)
        for para in record["text"].split("\n")
        if para.strip()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    catalog = load_chains()
    paras = paragraphs()
    classify_text(paras[0], catalog=catalog)  # build the keyword index outside the timing
    chars = sum(map(len, paras))
    best = 0.0
    for _ in range(max(1, args.repeat)):
        start = time.process_time()
        for para in paras:
            classify_text(para, catalog=catalog)
        best = max(best, chars / max(time.process_time() - start, 1e-9))
    print(f"{len(paras)} paragraphs, {chars} chars: {best / 1e6:.2f} M chars per CPU-second")


if __name__ == "__main__":
    main()
