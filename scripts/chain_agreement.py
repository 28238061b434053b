"""Agreement between two labellers of the same chain-classification items.

    python scripts/chain_agreement.py eval/chain_gold_fresh8.jsonl \
        eval/agreement/chain_gold_fresh8_second.jsonl [--json]

The second file holds, per item id, a second labeller's `gold` and `top_chain`, written
blind to the first. Per item kind it prints the second labeller scored exactly like the
classifier against the first (`segment`: their first segment is in the first labeller's
list; `chain`: same top_chain), the same the other way round, and how often both name the
same first segment. The first two are the ceiling a classifier can expect on that set.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from chainatlas.chains.evaluate import KINDS, read_gold


def agreement(first: Path, second: Path) -> dict[str, dict[str, float]]:
    items = {item.id: item for item in read_gold(first)}
    counts: Counter[tuple[str, str]] = Counter()
    with second.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                theirs = [(g["chain_id"], g["segment_id"]) for g in record["gold"]]
                top = record["top_chain"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise SystemExit(f"{second}:{n}: not a labelled item ({exc!r})") from exc
            if not theirs:
                raise SystemExit(f"{second}:{n}: gold lists no segment")
            item = items.get(record.get("id"))
            if item is None:
                raise SystemExit(f"{second}:{n}: id {record.get('id')!r} is not in {first}")
            for kind in (item.kind, "all"):
                counts[kind, "n"] += 1
                counts[kind, "segment"] += theirs[0] in item.gold
                counts[kind, "segment_reverse"] += item.gold[0] in theirs
                counts[kind, "same_first"] += theirs[0] == item.gold[0]
                counts[kind, "chain"] += top == item.top_chain
    out: dict[str, dict[str, float]] = {}
    for kind in (*KINDS, "all"):
        n = counts[kind, "n"]
        if n:
            out[kind] = {"n": n} | {
                key: round(counts[kind, key] / n, 3)
                for key in ("segment", "segment_reverse", "same_first", "chain")
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = agreement(args.first, args.second)
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print("kind          n  segment  reverse  same-first  chain")
    for kind, row in result.items():
        print(
            f"{kind:<11} {row['n']:>3}  {row['segment']:.3f}    {row['segment_reverse']:.3f}"
            f"    {row['same_first']:.3f}       {row['chain']:.3f}"
        )


if __name__ == "__main__":
    main()
