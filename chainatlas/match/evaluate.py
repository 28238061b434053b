"""Ranking metrics for the matchers against `eval/match_*_gold.jsonl`.

recall@5: share of a need's expected hits found in the top 5; MRR: reciprocal rank of the
first expected hit; nDCG@10: binary gains. A site need with no expected hit counts as right
when the matcher reports no fitting listing (reported as `no_fit_accuracy`).

    python -m chainatlas.match.evaluate STORE_URL [--tech eval/match_tech_gold.jsonl]
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Metrics", "evaluate_site", "evaluate_tech", "load_gold", "ranking_metrics"]


@dataclass(frozen=True, slots=True)
class Metrics:
    n: int
    recall_at_5: float
    mrr: float
    ndcg_at_10: float
    no_fit_accuracy: float | None = None
    failures: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "n": self.n,
            "recall@5": round(self.recall_at_5, 4),
            "mrr": round(self.mrr, 4),
            "ndcg@10": round(self.ndcg_at_10, 4),
            "no_fit_accuracy": self.no_fit_accuracy,
            "failures": list(self.failures),
        }


def load_gold(path: str | Path) -> list[dict]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def ranking_metrics(ranked: Sequence[str], expected: Sequence[str]) -> tuple[float, float, float]:
    """(recall@5, reciprocal rank, nDCG@10) for one query; `ranked` are ids or names."""
    want = set(expected)
    if not want:
        raise ValueError("no expected hits")
    recall = len(want & set(ranked[:5])) / len(want)
    rr = next((1 / (i + 1) for i, r in enumerate(ranked) if r in want), 0.0)
    dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(ranked[:10]) if r in want)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(want), 10)))
    return recall, rr, dcg / ideal


def _average(rows: list[tuple[str, float, float, float]], no_fit: list[bool]) -> Metrics:
    n = len(rows)
    return Metrics(
        n=n,
        recall_at_5=sum(r[1] for r in rows) / n if n else 0.0,
        mrr=sum(r[2] for r in rows) / n if n else 0.0,
        ndcg_at_10=sum(r[3] for r in rows) / n if n else 0.0,
        no_fit_accuracy=(sum(no_fit) / len(no_fit)) if no_fit else None,
        failures=tuple(r[0] for r in rows if r[2] < 1 / 3),
    )


def evaluate_tech(gold: list[dict], candidates, *, split: str | None = None, catalog=None):
    """Metrics for the technology matcher; a candidate counts by its name or id."""
    from chainatlas.match.tech import match_tech

    rows = []
    for item in gold:
        if split and item.get("split") != split:
            continue
        found = match_tech(item["need"], candidates, region=item.get("region"), top=10,
                           catalog=catalog)  # fmt: skip
        ranked = [m.candidate.name for m in found]
        # Either form of an id counts, so gold can name an entity by its stable id too.
        ids = [m.candidate.id for m in found]
        ranked = [n if n in item["expected"] else i for n, i in zip(ranked, ids, strict=True)]
        rows.append((item["id"], *ranking_metrics(ranked, item["expected"])))
    return _average(rows, [])


def evaluate_site(gold: list[dict], listings, *, park_profiles=None, split=None, catalog=None):
    """Metrics for the site matcher; listings count by their id (DEMO-L001)."""
    from chainatlas.match.site import SiteRequirement, match_site

    rows, no_fit = [], []
    for item in gold:
        if split and item.get("split") != split:
            continue
        req = SiteRequirement(
            need_type=item["need_type"],
            industry=item.get("industry") or "",
            area_sqm=item.get("area_sqm"),
            region=item.get("region"),
            budget=item.get("budget"),
        )
        result = match_site(req, listings, top=10, park_profiles=park_profiles, catalog=catalog)
        ranked = [m.listing.id for m in result.matches]
        if not item["expected"]:
            no_fit.append(not ranked)
            continue
        rows.append((item["id"], *ranking_metrics(ranked, item["expected"])))
    return _average(rows, no_fit)


def main(argv: list[str] | None = None) -> int:
    from chainatlas.chains.templates import load_chains
    from chainatlas.jobs.match import load_listings, load_park_profiles, load_tech_candidates
    from chainatlas.store.db import Store

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("store_url")
    ap.add_argument("--tech", default="eval/match_tech_gold.jsonl")
    ap.add_argument("--site", default="eval/match_site_gold.jsonl")
    args = ap.parse_args(argv)
    store = Store(args.store_url)
    catalog = load_chains()
    candidates = load_tech_candidates(store)
    listings = load_listings(store)
    profiles = load_park_profiles(store)
    report = {}
    for split in ("dev", "heldout", None):
        label = split or "all"
        report[f"tech/{label}"] = evaluate_tech(
            load_gold(args.tech), candidates, split=split, catalog=catalog
        ).to_dict()
        report[f"site/{label}"] = evaluate_site(
            load_gold(args.site), listings, park_profiles=profiles, split=split, catalog=catalog
        ).to_dict()
    print(json.dumps(report, ensure_ascii=False, indent=1))
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
