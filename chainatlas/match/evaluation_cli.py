"""`chainatlas eval match FILE`: recognise which matcher a gold file is for and score it
on the current store, per split (dev / heldout / all)."""

from __future__ import annotations

import json
from pathlib import Path

from chainatlas.store.db import Store


def _kind(first: dict) -> str:
    if "need" in first:
        return "tech"
    if "need_type" in first:
        return "site"
    if "chain" in first and "region" in first:
        return "invest"
    raise ValueError(
        "unrecognised gold file: lines need 'need' (tech), 'need_type' (site) or 'region'+'chain' (invest)"
    )


def evaluate_gold_file(store: Store, path: Path) -> tuple[str, dict[str, dict]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if not lines:
        raise ValueError(f"{path} is empty")
    try:
        kind = _kind(json.loads(lines[0]))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:1 is not JSON: {exc.msg}") from exc
    from chainatlas.chains.templates import load_chains

    catalog = load_chains()
    report: dict[str, dict] = {}
    if kind in ("tech", "site"):
        from chainatlas.jobs.match import load_listings, load_park_profiles, load_tech_candidates
        from chainatlas.match.evaluate import evaluate_site, evaluate_tech, load_gold

        gold = load_gold(path)
        if kind == "tech":
            candidates = load_tech_candidates(store)
            for split in ("dev", "heldout", None):
                m = evaluate_tech(gold, candidates, split=split, catalog=catalog).to_dict()
                report[split or "all"] = m
        else:
            listings, profiles = load_listings(store), load_park_profiles(store)
            for split in ("dev", "heldout", None):
                m = evaluate_site(
                    gold, listings, park_profiles=profiles, split=split, catalog=catalog
                ).to_dict()
                report[split or "all"] = m
        return kind, {k: _common(v) for k, v in report.items()}
    from chainatlas.jobs.invest import invest_region
    from chainatlas.match.evaluate_invest import evaluate, load_gold

    def rank(need) -> list[tuple[str, ...]]:
        result = invest_region(
            store, need.region, need.chain, segment=need.segment, top=10, catalog=catalog
        )
        return [(m.name, *m.former) for m in result.matches]  # a former name still finds it

    raw = evaluate(load_gold(path), rank)
    return kind, {
        split: {
            "n": v["needs"],
            "recall_at_5": v["recall@5"],
            "mrr": v["mrr"],
            "ndcg_at_10": v["ndcg@10"],
        }
        for split, v in raw.items()
    }


def _common(metrics: dict) -> dict:
    return {
        "n": metrics["n"],
        "recall_at_5": metrics["recall@5"],
        "mrr": metrics["mrr"],
        "ndcg_at_10": metrics["ndcg@10"],
    }
