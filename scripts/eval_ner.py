"""Score the shipped (or a given) entity tagger on CLUENER2020-format JSON lines.

    python scripts/eval_ner.py --cluener /path/to/train.json --heldout

``--heldout`` restricts scoring to the documented held-out lines of the train split
(the ones scripts/train_ner.py never trains on); without it every line is scored,
which suits a separate file such as the CLUENER dev split.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chainatlas.extract.ner.evaluate import (
    evaluate,
    format_report,
    read_cluener,
    split_indices,
)
from chainatlas.extract.ner.tagger import load_tagger


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cluener", required=True)
    ap.add_argument("--model-dir", default=None, help="default: the shipped model")
    ap.add_argument("--heldout", action="store_true", help="only the documented held-out lines")
    args = ap.parse_args()
    lines = None
    if args.heldout:
        _, lines = split_indices(len(read_cluener(args.cluener)))
    tagger = load_tagger(args.model_dir)
    tagger.tag(["预热一次，避免把会话初始化计入速度。"])
    print(format_report(evaluate(tagger, args.cluener, lines=lines)))


if __name__ == "__main__":
    main()
