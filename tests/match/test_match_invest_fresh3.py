"""eval/match_invest_fresh3.jsonl — the third unseen 招商 set — is well formed, new, and
names only enterprises the project can know.

Form only, no score floor (eval/README.md): a floor would invite tuning against the set.
Kept fast on purpose: names are checked against the shipped listed-company file and the
demo corpus text, so no demo store is built here.
"""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest

from chainatlas.chains.templates import load_chains
from chainatlas.kb.regions import RegionGazetteer

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "eval"
DATA = ROOT / "chainatlas" / "data"
FRESH3 = EVAL / "match_invest_fresh3.jsonl"
OLDER = (
    EVAL / "match_invest_gold.jsonl",
    EVAL / "match_invest_fresh.jsonl",
    EVAL / "match_invest_fresh2.jsonl",
)


def _lines(path: Path) -> list[dict]:
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


NEEDS = _lines(FRESH3)
OLD = [g for path in OLDER for g in _lines(path)]


@pytest.fixture(scope="module")
def listed_names() -> set[str]:
    path = DATA / "companies" / "listed_a_shares.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return {n for row in rows for n in (row["name"], row["full_name"]) if n}


@pytest.fixture(scope="module")
def demo_corpus() -> str:
    manifest = json.loads((DATA / "demo" / "manifest.json").read_text(encoding="utf-8"))
    pages = []
    for page in manifest["pages"]:
        raw = (DATA / "demo" / page["file"]).read_bytes()
        pages.append(html.unescape(raw.decode(page["encoding"])))
    return "\n".join(pages)


def test_format():
    assert [g["id"] for g in NEEDS] == [f"inv-h{n:02d}" for n in range(1, len(NEEDS) + 1)]
    assert len(NEEDS) == 30
    for g in NEEDS:
        assert set(g) == {"id", "region", "chain", "segment", "expected", "split"}, g["id"]
        assert g["split"] == "test", g["id"]
        assert 2 <= len(g["expected"]) <= 4, g["id"]
        assert len(set(g["expected"])) == len(g["expected"]), g["id"]
        assert g["segment"] is None or isinstance(g["segment"], str), g["id"]


def test_coverage_of_regions_chains_and_need_kinds():
    assert len({g["chain"] for g in NEEDS}) >= 10
    assert len({g["region"] for g in NEEDS}) >= 12
    without_segment = sum(1 for g in NEEDS if g["segment"] is None)
    assert 3 <= without_segment <= 6


def test_regions_chains_and_segments_exist():
    gaz = RegionGazetteer.load()
    catalog = load_chains()
    for g in NEEDS:
        assert gaz.get(g["region"]) or gaz.lookup(g["region"]), g["id"]
        chain = catalog.chains.get(g["chain"])
        assert chain is not None, g["id"]
        if g["segment"]:
            assert g["segment"] in {s.id for s in chain.segments}, g["id"]


def test_needs_are_new():
    old = {(g["region"], g["chain"], g.get("segment")) for g in OLD}
    new = [(g["region"], g["chain"], g["segment"]) for g in NEEDS]
    assert len(set(new)) == len(new)
    assert not set(new) & old
    # Only cities the older sets never used.
    assert not {g["region"] for g in NEEDS} & {g["region"] for g in OLD}
    assert not {g["id"] for g in NEEDS} & {g["id"] for g in OLD}


def test_expected_names_are_knowable(listed_names, demo_corpus):
    # A store canonical name comes from the demo corpus text; otherwise the name must be a
    # short (or full) name in the shipped listed-company file.
    unknown = [
        (g["id"], name)
        for g in NEEDS
        for name in g["expected"]
        if name not in listed_names and name not in demo_corpus
    ]
    assert not unknown


def test_names_are_printed_names_not_stock_codes():
    for g in NEEDS:
        for name in g["expected"]:
            assert not re.search(r"\d{6}", name), (g["id"], name)
            assert name == name.strip() and name, g["id"]
