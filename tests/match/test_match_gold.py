"""The matchers' gold files are well-formed, and the matchers reach their targets on the
demo store (recall@5 ≥ 0.80, MRR ≥ 0.60) on both the dev and the held-out half."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest

from chainatlas.jobs.match import load_listings, load_park_profiles, load_tech_candidates
from chainatlas.match.evaluate import evaluate_site, evaluate_tech, load_gold, ranking_metrics


@pytest.fixture(scope="module")
def catalog():
    from chainatlas.chains.templates import load_chains

    return load_chains()


EVAL = Path(__file__).resolve().parents[2] / "eval"
TECH = load_gold(EVAL / "match_tech_gold.jsonl")
SITE = load_gold(EVAL / "match_site_gold.jsonl")


def _demo_csv(name: str) -> list[dict]:
    path = resources.files("chainatlas").joinpath(f"data/demo/{name}.csv")
    with open(str(path), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_gold_files_are_well_formed():
    for gold, fields in ((TECH, {"id", "need", "expected", "split"}),
                         (SITE, {"id", "need_type", "area_sqm", "region", "expected", "split"})):  # fmt: skip
        assert len(gold) >= 25
        assert len({g["id"] for g in gold}) == len(gold)
        for item in gold:
            assert fields <= set(item), item["id"]
            assert item["split"] in ("dev", "heldout")
        splits = [g["split"] for g in gold]
        assert abs(splits.count("dev") - splits.count("heldout")) <= 1
    assert all(t["expected"] for t in TECH)
    listing_ids = {row["编号"] for row in _demo_csv("listings")}
    for item in SITE:
        assert item["need_type"] in ("land", "factory", "office")
        assert set(item["expected"]) <= listing_ids, item["id"]
    assert any(not s["expected"] for s in SITE)  # some needs have no fitting listing


def test_ranking_metrics():
    assert ranking_metrics(["a", "b"], ["a"]) == (1.0, 1.0, 1.0)
    recall, rr, ndcg = ranking_metrics(["x", "y", "a", "b", "c", "d"], ["a", "d"])
    assert recall == 0.5 and rr == pytest.approx(1 / 3) and 0 < ndcg < 1
    assert ranking_metrics(["x"], ["a"]) == (0.0, 0.0, 0.0)


def test_tech_gold_names_exist_in_the_demo_store(demo_store):
    names = {c.name for c in load_tech_candidates(demo_store)}
    missing = {e for t in TECH for e in t["expected"]} - names
    assert not missing


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_tech_matcher_meets_targets(demo_store, catalog, split):
    m = evaluate_tech(TECH, load_tech_candidates(demo_store), split=split, catalog=catalog)
    assert m.n >= 12
    assert m.recall_at_5 >= 0.80 and m.mrr >= 0.60, m.to_dict()


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_site_matcher_meets_targets(demo_store, catalog, split):
    listings = load_listings(demo_store)
    profiles = load_park_profiles(demo_store)
    m = evaluate_site(SITE, listings, park_profiles=profiles, split=split, catalog=catalog)
    assert m.recall_at_5 >= 0.80 and m.mrr >= 0.60, m.to_dict()
    assert m.no_fit_accuracy == 1.0
