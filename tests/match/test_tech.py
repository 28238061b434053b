"""Technology need → innovation resources: tokens, synonyms, ranking and explanations."""

from __future__ import annotations

import pytest

from chainatlas.jobs.match import load_tech_candidates
from chainatlas.match.tech import TechCandidate, expand_need, match_tech, tokens


@pytest.fixture(scope="module")
def catalog():
    from chainatlas.chains.templates import load_chains

    return load_chains()


BATTERY = TechCandidate(
    id="r1",
    name="示例电池研究院",
    kind="research",
    region_code="440300",
    fields=(("研究方向", "固态电池、电池回收"),),
)
BATTERY_WUHAN = TechCandidate(
    id="r2",
    name="另一电池研究院",
    kind="research",
    region_code="420100",
    fields=(("研究方向", "固态电池、电池回收"),),
)
IMAGING = TechCandidate(
    id="r3",
    name="示例医疗器械创新中心",
    kind="research",
    region_code="320500",
    fields=(("研究方向", "高端医疗影像、手术机器人"),),
)
EXPERT = TechCandidate(
    id="p1",
    name="王某",
    kind="expert",
    fields=(("研究领域", "光通信器件"), ("单位", "示例光电子研究院")),
)
ALL = [BATTERY, BATTERY_WUHAN, IMAGING, EXPERT]


def test_tokens_are_bigrams_latin_words_and_lexicon_words():
    toks = tokens("CT影像设备", ("影像设备",))
    assert "影像" in toks and "像设" in toks and "ct" in toks
    assert "w:影像设备" in toks
    assert tokens("芯") == ["芯"]


def test_expansion_is_symmetric_and_ignores_terms_inside_longer_ones():
    named, added = expand_need("MRI图像重建")
    assert "MRI" in named and added["医学影像"] == "MRI"
    named, _ = expand_need("量子精密测量")
    assert named == ["量子精密测量"]  # 精密测量 inside it is not named on its own
    _, added = expand_need("芯片")
    assert {"集成电路", "半导体"} <= set(added)


def test_synonyms_bridge_a_need_to_a_resource_with_other_words(catalog):
    matches = match_tech("CT和MRI设备的图像重建", ALL, catalog=catalog)
    assert matches[0].candidate is IMAGING
    assert "医疗影像" in matches[0].matched_terms
    assert any("高端医疗影像" in e for e in matches[0].evidence)


def test_unrelated_candidates_are_left_out(catalog):
    names = [m.candidate.id for m in match_tech("光模块封装", ALL, catalog=catalog)]
    assert names == ["p1"]


def test_region_is_a_soft_boost(catalog):
    plain = match_tech("动力电池热失控", ALL, catalog=catalog)
    assert {m.candidate.id for m in plain[:2]} == {"r1", "r2"}
    wuhan = match_tech("动力电池热失控", ALL, region="武汉", catalog=catalog)
    assert wuhan[0].candidate.id == "r2" and wuhan[0].parts["region_boost"] > 0
    assert wuhan[1].candidate.id == "r1"  # still listed: the boost does not filter
    shenzhen = match_tech("动力电池热失控", ALL, region="440300", catalog=catalog)
    assert shenzhen[0].candidate.id == "r1"


def test_explanations_carry_segments_and_score_parts(catalog):
    m = match_tech("动力电池", ALL, catalog=catalog, top=1)[0]
    assert m.segments and m.segments[0].startswith("nev/")
    assert set(m.parts) == {"text", "segments", "region_boost"}
    d = m.to_dict()
    assert d["name"] == m.candidate.name and d["score"] > 0


def test_quantum_chip_need_finds_the_shenzhen_quantum_institute(demo_store, catalog):
    candidates = load_tech_candidates(demo_store)
    matches = match_tech("量子计算 芯片", candidates, catalog=catalog)
    top3 = [m.candidate.name for m in matches[:3]]
    assert "深圳国际量子研究院" in top3
    hit = next(m for m in matches if m.candidate.name == "深圳国际量子研究院")
    assert any("量子" in e for e in hit.evidence)  # the news sentence, as evidence
    assert hit.candidate.origin == "extracted"


def test_demo_store_yields_imported_experts_and_labs(demo_store):
    candidates = load_tech_candidates(demo_store)
    by_name = {c.name: c for c in candidates}
    assert by_name["何建然"].kind == "expert"
    assert ("研究领域", "固态电池") in by_name["何建然"].fields
    assert by_name["鹏城实验室"].origin == "imported"
    assert len({c.id for c in candidates}) == len(candidates)


def test_institutes_carry_their_heads_and_titles_are_not_evidence(demo_store, catalog):
    by_name = {c.name: c for c in load_tech_candidates(demo_store)}
    assert by_name["深圳国际量子研究院"].people == (("俞大鹏", "院长"),)
    assert ("高文", "主任") in by_name["鹏城实验室"].people
    # 中国科学院院士俞大鹏 / 中国工程院院士高文: titles of people, not the academies' work.
    for academy in ("中国科学院", "中国工程院"):
        assert not any("俞大鹏" in s or "高文" in s for s in by_name[academy].sentences)
    top = match_tech("量子计算 芯片", list(by_name.values()), top=3, catalog=catalog)
    assert top[0].candidate.name == "深圳国际量子研究院"
    assert top[0].to_dict()["people"] == [{"name": "俞大鹏", "position": "院长"}]
