"""eval/chain_gold.jsonl and eval/chain_gold_fresh.jsonl are well formed and consistent
with the shipped data; the first is also scored against floors."""

from __future__ import annotations

import csv
import html
import json
from collections import Counter
from pathlib import Path

import pytest

from chainatlas.chains.evaluate import KINDS, evaluate, read_gold
from chainatlas.chains.templates import load_chains, load_innovation_chain

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "chain_gold.jsonl"
FRESH = ROOT / "eval" / "chain_gold_fresh.jsonl"
DATA = ROOT / "chainatlas" / "data"


def _read(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def records():
    return _read(GOLD)


@pytest.fixture(scope="module")
def fresh():
    return _read(FRESH)


@pytest.fixture(scope="module")
def catalog():
    return load_chains()


@pytest.fixture(scope="module")
def demo_pages():
    manifest = json.loads((DATA / "demo" / "manifest.json").read_text(encoding="utf-8"))
    pages = {}
    for page in manifest["pages"]:
        raw = (DATA / "demo" / page["file"]).read_bytes()
        pages[f"chainatlas/data/demo/{page['file']}"] = html.unescape(raw.decode(page["encoding"]))
    return pages


def test_size_kinds_and_ids(records):
    kinds = Counter(r["kind"] for r in records)
    assert len(records) >= 150
    assert kinds["listed"] >= 75
    assert set(kinds) == set(KINDS)
    ids = [r["id"] for r in records]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    # Both halves of the dev/held-out split contain every kind.
    half = (len(records) + 1) // 2
    for part in (records[:half], records[half:]):
        assert {r["kind"] for r in part} == set(KINDS)


def test_every_chain_and_segment_exists(records, catalog):
    _check_segments(records, catalog)


def _check_segments(records, catalog):
    for r in records:
        assert r["gold"], r["id"]
        chains = set()
        for g in r["gold"]:
            chain = catalog.chains.get(g["chain_id"])
            assert chain is not None, (r["id"], g)
            chain.segment(g["segment_id"])  # raises KeyError if missing
            chains.add(g["chain_id"])
        assert r["top_chain"] in chains, r["id"]
        assert len({(g["chain_id"], g["segment_id"]) for g in r["gold"]}) == len(r["gold"])


def test_listed_items_match_the_company_file(records):
    _check_listed(records)


def _check_listed(records):
    path = DATA / "companies" / "listed_a_shares.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = {(row["code"], row["name"]): row for row in csv.DictReader(fh, delimiter="\t")}
    for r in (r for r in records if r["kind"] == "listed"):
        row = rows.get((r["stock_code"], r["name"]))
        assert row is not None, r["id"]
        assert row["shenwan_code"] and r["shenwan_code"] == row["shenwan_code"], r["id"]
        assert r["texts"] == []


def test_other_items_quote_the_demo_corpus_verbatim(records, demo_pages):
    for r in (r for r in records if r["kind"] != "listed"):
        assert r["texts"] and all(t.strip() for t in r["texts"]), r["id"]
        page = demo_pages.get(r.get("source", ""))
        assert page is not None, (r["id"], r.get("source"))
        for text in r["texts"]:
            assert text in page, (r["id"], text)


def test_innovation_stages_are_known(records):
    _check_stages(records)


def _check_stages(records):
    known = {s.id for s in load_innovation_chain()}
    institutions = [r for r in records if r["kind"] == "institution"]
    assert institutions and all(r.get("innovation_stages") for r in institutions)
    for r in records:
        assert set(r.get("innovation_stages", [])) <= known, r["id"]


def test_file_reads_and_scores_above_floor(catalog):
    items = read_gold(GOLD)
    report = evaluate(items, catalog)
    # Floors a little under the figures recorded in docs/chain-classification-notes.md,
    # so a regression fails here; raise them when the classifier improves.
    assert report.score("dev").segment_accuracy >= 0.90
    assert report.score("all").segment_accuracy >= 0.85
    assert report.score("all").chain_accuracy >= 0.90


# --------------------------------------------------------------------------- fresh set
# eval/chain_gold_fresh.jsonl is a second held-out set, labelled before the classifier
# was ever run on it (eval/README.md). These checks keep it well formed; there is
# deliberately no score floor, so nobody is tempted to tune against it.


def test_fresh_size_kinds_and_ids(fresh):
    kinds = Counter(r["kind"] for r in fresh)
    assert len(fresh) >= 160
    assert kinds["listed"] >= 80
    assert len(fresh) - kinds["listed"] >= 80
    assert set(kinds) == set(KINDS)
    ids = [r["id"] for r in fresh]
    assert ids == [f"cf{n:03d}" for n in range(1, len(fresh) + 1)]
    half = (len(fresh) + 1) // 2
    for part in (fresh[:half], fresh[half:]):
        assert {r["kind"] for r in part} == set(KINDS)


def test_fresh_spreads_over_the_chains(fresh, catalog):
    listed_chains = {r["top_chain"] for r in fresh if r["kind"] == "listed"}
    text_chains = {r["top_chain"] for r in fresh if r["kind"] != "listed"}
    assert len(listed_chains) >= 20
    assert text_chains == set(catalog.chains)


def test_fresh_segments_listed_and_stages(fresh, catalog):
    _check_segments(fresh, catalog)
    _check_listed(fresh)
    _check_stages(fresh)
    assert all(len(r["gold"]) <= 3 for r in fresh)


def test_fresh_is_disjoint_from_the_first_set(records, fresh):
    names = {r["name"] for r in records}
    codes = {r["stock_code"] for r in records if r.get("stock_code")}
    for r in fresh:
        assert r["name"] not in names, r["id"]
        assert r.get("stock_code") not in codes or r["kind"] != "listed", r["id"]
    texts = {t for r in records for t in r["texts"]}
    assert not texts & {t for r in fresh for t in r["texts"]}


def test_fresh_texts_are_written_for_the_set(fresh, demo_pages):
    # Text items are our own sentences, not quotes: no source page, and none of them
    # appears in the demo corpus.
    corpus = "\n".join(demo_pages.values())
    for r in (r for r in fresh if r["kind"] != "listed"):
        assert "source" not in r, r["id"]
        assert r["texts"] and all(t.strip() for t in r["texts"]), r["id"]
        for text in r["texts"]:
            assert text not in corpus, (r["id"], text)


def test_fresh_file_reads(fresh):
    items = read_gold(FRESH)
    assert [i.id for i in items] == [r["id"] for r in fresh]
