"""The unseen 招商 sets — eval/match_invest_fresh2.jsonl (second) and
eval/match_invest_fresh3.jsonl (third) — are well formed, new, and name only enterprises
the project can know.

Form only, no score floor (eval/README.md): a floor would invite tuning against a set.
Kept fast on purpose: names are checked against the shipped listed-company file and the
demo corpus text, so no demo store is built here.

One module for both files: the checks are the same, only the per-file expectations in
`InvestSet` differ (id prefix, older sets, region counts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from chainatlas.chains.templates import load_chains
from chainatlas.kb.regions import RegionGazetteer
from tests.gold_files import EVAL, demo_corpus_text, listed_company_rows, read_jsonl


@dataclass(frozen=True)
class InvestSet:
    """What one unseen file must satisfy."""

    path: Path
    id_prefix: str
    # Every set written before this one; needs and ids must be new against all of them.
    older: tuple[Path, ...]
    min_regions: int
    # How many of the file's cities the older sets may already use.
    max_shared_regions: int


SETS = (
    InvestSet(
        path=EVAL / "match_invest_fresh2.jsonl",
        id_prefix="inv-g",
        older=(EVAL / "match_invest_gold.jsonl", EVAL / "match_invest_fresh.jsonl"),
        min_regions=8,
        # Mostly other cities than the older sets (苏州 appears once there, for robot bodies).
        max_shared_regions=1,
    ),
    InvestSet(
        path=EVAL / "match_invest_fresh3.jsonl",
        id_prefix="inv-h",
        older=(
            EVAL / "match_invest_gold.jsonl",
            EVAL / "match_invest_fresh.jsonl",
            EVAL / "match_invest_fresh2.jsonl",
        ),
        min_regions=12,
        # Only cities the older sets never used.
        max_shared_regions=0,
    ),
)


@pytest.fixture(scope="module", params=SETS, ids=lambda s: s.path.stem)
def invest_set(request) -> InvestSet:
    return request.param


@pytest.fixture(scope="module")
def needs(invest_set) -> list[dict]:
    return read_jsonl(invest_set.path)


@pytest.fixture(scope="module")
def old(invest_set) -> list[dict]:
    return [g for path in invest_set.older for g in read_jsonl(path)]


@pytest.fixture(scope="module")
def listed_names() -> set[str]:
    return {n for row in listed_company_rows() for n in (row["name"], row["full_name"]) if n}


@pytest.fixture(scope="module")
def demo_corpus() -> str:
    return demo_corpus_text()


def test_format(needs, invest_set):
    expected_ids = [f"{invest_set.id_prefix}{n:02d}" for n in range(1, len(needs) + 1)]
    assert [g["id"] for g in needs] == expected_ids
    assert len(needs) == 30
    for g in needs:
        assert set(g) == {"id", "region", "chain", "segment", "expected", "split"}, g["id"]
        assert g["split"] == "test", g["id"]
        assert 2 <= len(g["expected"]) <= 4, g["id"]
        assert len(set(g["expected"])) == len(g["expected"]), g["id"]
        assert g["segment"] is None or isinstance(g["segment"], str), g["id"]


def test_coverage_of_regions_chains_and_need_kinds(needs, invest_set):
    assert len({g["chain"] for g in needs}) >= 10
    assert len({g["region"] for g in needs}) >= invest_set.min_regions
    without_segment = sum(1 for g in needs if g["segment"] is None)
    assert 3 <= without_segment <= 6


def test_regions_chains_and_segments_exist(needs):
    gaz = RegionGazetteer.load()
    catalog = load_chains()
    for g in needs:
        assert gaz.get(g["region"]) or gaz.lookup(g["region"]), g["id"]
        chain = catalog.chains.get(g["chain"])
        assert chain is not None, g["id"]
        if g["segment"]:
            assert g["segment"] in {s.id for s in chain.segments}, g["id"]


def test_needs_are_new(needs, old, invest_set):
    old_needs = {(g["region"], g["chain"], g.get("segment")) for g in old}
    new = [(g["region"], g["chain"], g["segment"]) for g in needs]
    assert len(set(new)) == len(new)
    assert not set(new) & old_needs
    shared = {g["region"] for g in needs} & {g["region"] for g in old}
    assert len(shared) <= invest_set.max_shared_regions, shared
    assert not {g["id"] for g in needs} & {g["id"] for g in old}


def test_expected_names_are_knowable(needs, listed_names, demo_corpus):
    # A store canonical name comes from the demo corpus text; otherwise the name must be a
    # short (or full) name in the shipped listed-company file.
    unknown = [
        (g["id"], name)
        for g in needs
        for name in g["expected"]
        if name not in listed_names and name not in demo_corpus
    ]
    assert not unknown


def test_names_are_printed_names_not_stock_codes(needs):
    for g in needs:
        for name in g["expected"]:
            assert not re.search(r"\d{6}", name), (g["id"], name)
            assert name == name.strip() and name, g["id"]
