"""Classifier behaviour added for issue 5: brand words in names, the entity's own name
in its sentences, customer words, chain-only evidence, blocker words, core segments.

Sentences are invented for these tests; none comes from the gold set.
"""

from __future__ import annotations

import pytest

from chainatlas.chains.classify import classify_company, classify_institution, classify_text
from chainatlas.chains.templates import ChainTemplateError, load_chains, parse_chain


@pytest.fixture(scope="module")
def catalog():
    return load_chains()


def _keys(hits):
    return [h.key for h in hits]


def _chains(hits):
    return {h.chain_id for h in hits}


# ------------------------------------------------------------------ names


def test_brand_word_at_start_of_trade_name_does_not_place_company(catalog):
    # 火箭 is an aerospace keyword, but in 火箭涂料 it is the brand; 涂料 is the trade.
    hits = classify_company("火箭涂料股份有限公司", catalog=catalog)
    assert hits, "the trade word should still place the company"
    assert hits[0].chain_id in {"advanced-materials", "green-petrochem"}
    assert "high-end-equipment" not in _chains(hits)


def test_industry_word_after_brand_still_counts_fully(catalog):
    # 火箭 after a two-character brand is the business, not the brand.
    hits = classify_company("星河火箭", catalog=catalog)
    assert hits[0].key == "high-end-equipment/aerospace"


def test_own_name_in_sentences_is_not_read_again(catalog):
    texts = ["火箭涂料在园区建成水性涂料产线，主要生产工业防腐涂料。"]
    hits = classify_company("火箭涂料", texts=texts, catalog=catalog)
    assert "high-end-equipment" not in _chains(hits)
    assert hits[0].chain_id in {"advanced-materials", "green-petrochem"}


# ------------------------------------------------------------------ customer context


def test_customer_word_stays_customer_across_sentences(catalog):
    texts = [
        "公司研发的视觉系统用于检测动力电池极片缺陷。",
        "团队决定先聚焦动力电池这一个行业，把缺陷检测做深做透。",
    ]
    hits = classify_company("星瞳视觉", texts=texts, catalog=catalog)
    assert hits[0].key == "precision-instruments/industrial-inspection"
    battery = next(h for h in hits if h.key == "nev/power-battery")
    assert battery.weight < hits[0].weight


def test_institution_research_direction_is_not_customer_context(catalog):
    texts = [
        "研究所面向固态电池方向开展研究。",
        "研究所在固态电池电解质界面方面取得进展。",
    ]
    result = classify_institution("某某储能研究所", texts, catalog)
    assert result.segments[0].key == "nev/power-battery"


# ------------------------------------------------------------------ chain-only evidence


def test_company_with_only_chain_words_lands_on_core_segment(catalog):
    hits = classify_company(
        "某某科技", texts=["该公司是当地新能源汽车产业的代表企业。"], catalog=catalog
    )
    assert _keys(hits) == ["nev/vehicle-manufacturing"]
    assert hits[0].confidence < 0.6  # a guess from the chain, not from evidence


def test_chain_without_core_segment_gives_no_guess(catalog):
    hits = classify_company(
        "某某科技", texts=["该公司是当地先进材料产业的代表企业。"], catalog=catalog
    )
    assert hits == []


def test_core_fallback_not_used_when_segment_evidence_exists(catalog):
    texts = ["该公司是新能源汽车产业链企业，主要生产动力电池电芯。"]
    hits = classify_company("某某科技", texts=texts, catalog=catalog)
    assert hits[0].key == "nev/power-battery"


# ------------------------------------------------------------------ vocabulary


def test_everyday_word_hides_catalog_term_inside_it(catalog):
    assert classify_text("新建两条生产线，厂区紧邻航空港。", catalog=catalog) == []


def test_bare_reducer_is_a_robot_part_and_ev_reducer_is_drive(catalog):
    assert classify_text("项目建成后年产减速器10万台。", catalog=catalog)[0].key == (
        "robotics/reducers"
    )
    hits = classify_company("某某传动", texts=["公司主要生产电驱减速器。"], catalog=catalog)
    assert hits[0].key == "nev/electric-drive"


def test_segment_names_are_searchable(catalog):
    # The template's own segment names are terms: 精密减速器, 医学影像设备.
    assert classify_text("主攻精密减速器。", catalog=catalog)[0].key == "robotics/reducers"
    assert classify_text("生产医学影像设备。", catalog=catalog)[0].key == (
        "medical-devices/medical-imaging"
    )


# ------------------------------------------------------------------ templates: core flag


def _chain(segments):
    return {
        "id": "demo",
        "name": "演示链",
        "description": "测试用。",
        "segments": segments,
    }


def _segment(i, **extra):
    return {
        "id": f"s{i}",
        "name": f"环节{i}",
        "stage": ("upstream", "midstream", "downstream")[i % 3],
        "order": i + 1,
        "keywords": [f"词{i}"],
        **extra,
    }


def test_core_flag_parses_and_defaults_false():
    chain, _ = parse_chain(
        _chain([_segment(0), _segment(1, core=True), _segment(2)]), "t.toml", strict=False
    )
    assert [s.core for s in chain.segments] == [False, True, False]


def test_core_flag_must_be_bool_and_unique():
    with pytest.raises(ChainTemplateError, match="core"):
        parse_chain(_chain([_segment(0, core="yes")]), "t.toml", strict=False)
    with pytest.raises(ChainTemplateError, match="core"):
        parse_chain(
            _chain([_segment(0, core=True), _segment(1, core=True)]), "t.toml", strict=False
        )


def test_shipped_core_segments(catalog):
    cores = {c.id: [s.id for s in c.segments if s.core] for c in catalog}
    assert cores["nev"] == ["vehicle-manufacturing"]
    assert all(len(ids) <= 1 for ids in cores.values())
