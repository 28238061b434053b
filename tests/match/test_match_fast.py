"""The indexed / cached matcher paths give exactly the answers of the original full scans
(issue 6): same ids in the same order, same scores, same explanations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chainatlas.jobs.match import load_listings, load_park_profiles, load_tech_candidates
from chainatlas.match.site import SiteRequirement, match_site
from chainatlas.match.tech import TechCandidate, match_tech, tech_index

EVAL = Path(__file__).resolve().parents[2] / "eval"


def _gold(name: str) -> list[dict]:
    lines = (EVAL / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _tech_view(matches) -> list[tuple]:
    return [
        (
            m.candidate.id,
            round(m.score, 9),
            {k: round(v, 9) for k, v in m.parts.items()},
            m.matched_terms,
            m.segments,
            m.evidence,
        )
        for m in matches
    ]


# Gold needs plus free-text ones that touch many candidates (common bigrams) or none.
_EXTRA_NEEDS = [
    ("动力电池热失控预警", None),
    ("碳化硅功率器件封装", "江苏省"),
    ("医学影像设备探测器", "广东省"),
    ("大模型推理芯片", "上海市"),
    ("研究院 实验室 中心", None),
    ("完全无关的需求文字", "深圳"),
    ("", None),
]


@pytest.mark.slow  # the reference re-classifies every candidate per need (~5 s in all)
def test_tech_fast_path_equals_reference(demo_store):
    candidates = load_tech_candidates(demo_store)
    assert len(candidates) > 20
    needs = [(g["need"], g.get("region")) for g in _gold("match_tech_gold.jsonl")]
    compared = 0
    for need, region in needs + _EXTRA_NEEDS:
        fast = match_tech(need, candidates, region=region, top=50)
        slow = match_tech(need, candidates, region=region, top=50, reference=True)
        assert _tech_view(fast) == _tech_view(slow), need
        compared += len(fast)
    assert compared > 100  # the comparison covered real rankings, not empty lists


def test_tech_index_is_reused_only_for_the_same_candidates(demo_store):
    candidates = load_tech_candidates(demo_store)
    assert tech_index(candidates) is tech_index(list(candidates))
    # Equal-looking but different objects, or another order, get their own index.
    copies = [TechCandidate(**{f: getattr(c, f) for f in c.__slots__}) for c in candidates]
    assert tech_index(copies) is not tech_index(candidates)
    assert tech_index(candidates[::-1]) is not tech_index(candidates)


def test_tech_fast_path_on_a_changed_list_follows_the_new_data():
    a = TechCandidate("a", "示例储能研究院", "research", sentences=("研究钠离子电池正极材料。",))
    b = TechCandidate("b", "示例光伏实验室", "research", sentences=("研究钙钛矿光伏组件。",))
    first = match_tech("钠离子电池", [a, b])
    assert [m.candidate.id for m in first] == ["a"]
    b2 = TechCandidate("b", "示例光伏实验室", "research", sentences=("钠离子电池储能。",))
    second = match_tech("钠离子电池", [a, b2])
    assert _tech_view(second) == _tech_view(match_tech("钠离子电池", [a, b2], reference=True))
    assert {m.candidate.id for m in second} == {"a", "b"}


def test_tech_accepts_an_iterator_of_candidates():
    a = TechCandidate("a", "示例储能研究院", "research", sentences=("研究钠离子电池正极材料。",))
    assert _tech_view(match_tech("钠离子电池", iter([a]))) == _tech_view(
        match_tech("钠离子电池", [a])
    )
    assert match_tech("钠离子电池", iter([a]))[0].candidate is a


def _site_view(result) -> dict:
    d = result.to_dict()
    for m in result.matches:  # unrounded, unlike to_dict
        d.setdefault("_scores", []).append(
            (m.listing.id, round(m.score, 9), {k: round(v, 9) for k, v in m.parts.items()})
        )
    return d


def test_site_cached_path_equals_reference(demo_store):
    listings, profiles = load_listings(demo_store), load_park_profiles(demo_store)
    assert listings and profiles
    reqs = [
        SiteRequirement(
            need_type=g["need_type"],
            industry=g.get("industry") or "",
            area_sqm=g.get("area_sqm"),
            region=g.get("region"),
            budget=g.get("budget"),
        )
        for g in _gold("match_site_gold.jsonl")
    ]
    reqs += [SiteRequirement(need_type=t, industry="新材料") for t in ("land", "factory", "office")]
    matched = 0
    for _ in range(2):  # the second pass reads every profile from the cache
        for req in reqs:
            fast = match_site(req, listings, top=50, park_profiles=profiles)
            slow = match_site(req, listings, top=50, park_profiles=profiles, reference=True)
            assert _site_view(fast) == _site_view(slow), req
            matched += len(fast.matches)
    assert matched > 20


@pytest.mark.parametrize("industry", ["医疗器械", "动力电池"])
def test_site_cache_returns_the_same_shares_for_a_new_catalog(demo_store, industry):
    from chainatlas.chains.templates import load_chains

    listings, profiles = load_listings(demo_store), load_park_profiles(demo_store)
    req = SiteRequirement(need_type="factory", industry=industry)
    a = match_site(req, listings, park_profiles=profiles, catalog=load_chains())
    b = match_site(req, listings, park_profiles=profiles, catalog=load_chains())
    assert _site_view(a) == _site_view(b)


def _invest_view(result) -> tuple:
    return (
        [(m.id, round(m.score, 9), m.as_dict()) for m in result.matches],
        result.diagnosis,
        result.message,
        result.candidates,
        result.targets,
    )


@pytest.mark.slow  # the reference reloads and re-classifies the store per query (~8 s)
def test_invest_cached_path_equals_reference(demo_store):
    from chainatlas.jobs.invest import invest_region

    queries = [
        (g["region"], g["chain"], g.get("segment")) for g in _gold("match_invest_gold.jsonl")
    ]
    queries += [("广东省", "新能源汽车", None), ("苏州", "高端医疗器械", None)]
    compared = 0
    for region, chain, segment in queries:
        fast = invest_region(demo_store, region, chain, segment=segment, top=0)
        slow = invest_region(demo_store, region, chain, segment=segment, top=0, reference=True)
        assert _invest_view(fast) == _invest_view(slow), (region, chain, segment)
        compared += len(fast.matches)
    assert compared > 50
