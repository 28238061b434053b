"""Score the 招商 matcher against eval/match_invest_gold.jsonl: recall@5, MRR, nDCG@10.

A gold line: {"id", "region", "chain", "segment" (or null), "expected": [names], "split":
"dev" | "test"}. Tune on dev only; test is held out. A returned name matches an expected
one when either contains the other after dropping brackets and spaces (中芯国际(688981)
is 中芯国际; a short listed name 万东医疗 is found in 北京万东医疗科技股份有限公司).

Dev-time: ``python -m chainatlas.match.evaluate_invest DB_URL eval/match_invest_gold.jsonl``
(add ``--per-need`` for every need's ranked top 10 and scores, one JSON line each, before
the summary: what a failure analysis reads).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["GoldNeed", "evaluate", "load_gold", "name_match", "per_need", "score_ranking"]

_NOISE = re.compile(r"[\s（）()\d]")


@dataclass(frozen=True, slots=True)
class GoldNeed:
    id: str
    region: str
    chain: str
    segment: str | None
    expected: tuple[str, ...]
    split: str = "dev"


def load_gold(path: str | Path) -> list[GoldNeed]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.append(
                GoldNeed(
                    r["id"], r["region"], r["chain"], r.get("segment"),
                    tuple(r["expected"]), r.get("split", "dev"),
                )
            )  # fmt: skip
    return out


def name_match(a: str, b: str) -> bool:
    x, y = _NOISE.sub("", a), _NOISE.sub("", b)
    return bool(x and y) and (x in y or y in x)


def _names(item: str | Sequence[str]) -> tuple[str, ...]:
    return (item,) if isinstance(item, str) else tuple(item)


def score_ranking(
    ranked: Sequence[str | Sequence[str]], expected: Sequence[str]
) -> dict[str, float]:
    """recall@5, reciprocal rank of the first hit, nDCG@10 (binary gains; each expected
    name credited once). A ranked item may be one name or the names of one firm (current
    name first, then former ones: a list written with 中环股份 finds TCL中环)."""
    hits: list[int] = []  # 0/1 per rank
    left = list(expected)
    for item in ranked:
        found = next((e for e in left if any(name_match(n, e) for n in _names(item))), None)
        if found is not None:
            left.remove(found)
        hits.append(1 if found is not None else 0)
    n = len(expected)
    recall5 = sum(hits[:5]) / n if n else 0.0
    first = next((i for i, h in enumerate(hits) if h), None)
    mrr = 1.0 / (first + 1) if first is not None else 0.0
    dcg = sum(h / math.log2(i + 2) for i, h in enumerate(hits[:10]))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(n, 10)))
    return {"recall@5": recall5, "mrr": mrr, "ndcg@10": dcg / ideal if ideal else 0.0}


def evaluate(
    gold: Sequence[GoldNeed], rank: Callable[[GoldNeed], Sequence[str | Sequence[str]]]
) -> dict[str, dict[str, float]]:
    """Mean metrics per split and overall; `rank` returns names best first."""
    per: dict[str, list[dict[str, float]]] = {}
    for need in gold:
        scores = score_ranking(rank(need), need.expected)
        per.setdefault(need.split, []).append(scores)
        per.setdefault("all", []).append(scores)
    return {
        split: {k: round(sum(s[k] for s in rows) / len(rows), 3) for k in rows[0]}
        | {"needs": len(rows)}
        for split, rows in per.items()
    }


def per_need(
    gold: Sequence[GoldNeed], rank: Callable[[GoldNeed], Sequence[str | Sequence[str]]]
) -> list[dict[str, object]]:
    """Each need with its ranked names (top 10) and scores, in file order."""
    out: list[dict[str, object]] = []
    for need in gold:
        ranked = rank(need)
        scores = score_ranking(ranked, need.expected)
        out.append(
            {
                "id": need.id,
                "expected": list(need.expected),
                "top10": [_names(r)[0] for r in ranked[:10]],
            }
            | {k: round(v, 4) for k, v in scores.items()}
        )
    return out


def main(argv: list[str]) -> None:  # pragma: no cover - dev-time entry point
    from chainatlas.chains.templates import load_chains
    from chainatlas.jobs.invest import invest_region
    from chainatlas.store.db import Store

    detail = "--per-need" in argv
    argv = [a for a in argv if a != "--per-need"]
    store, catalog = Store(argv[0]), load_chains()

    def rank(need: GoldNeed) -> list[tuple[str, ...]]:
        result = invest_region(
            store, need.region, need.chain, segment=need.segment, top=10, catalog=catalog
        )
        return [(m.name, *m.former) for m in result.matches]

    gold = load_gold(argv[1])
    if detail:
        for row in per_need(gold, rank):
            print(json.dumps(row, ensure_ascii=False))
    print(json.dumps(evaluate(gold, rank), ensure_ascii=False, indent=1))


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
