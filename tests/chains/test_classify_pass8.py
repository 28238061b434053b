"""Pass 8 of the segment classifier (issue 5): the firm's own verb and its object — the
own span of a clause, its head terms, the predicate after a product subject — plus count
words that are not 家电, 供给 / 卖给 / 为…代工 as customer wording, and pilot-line form words
that yield to the field a text names. Every sentence here is written for the test; none
comes from a gold file."""

from __future__ import annotations

from chainatlas.chains import classify
from chainatlas.chains.classify import classify_company, classify_institution, classify_text
from tests.chains.classify_helpers import FIRM, top_key

BLANK = "\u3000" * len(FIRM)  # how _scan blanks the firm's own name


def _company(catalog, text: str, name: str = FIRM):
    return classify_company(name, texts=[text], catalog=catalog)


def _terms(catalog, text: str):
    index = classify._index(catalog)
    # Blank the firm's name after folding, as _scan does (NFKC would turn U+3000 into a space).
    norm = classify._normalise(text).replace(FIRM, BLANK)
    return norm, classify._find_terms(norm, index.terms_by_len, index.prefixes), index


def _spans(catalog, text: str) -> list[tuple[str, bool]]:
    norm, found, _ = _terms(catalog, text)
    return [(norm[s.start : s.end], s.subject) for s in classify._own_spans(norm, found)]


def _heads(catalog, text: str) -> tuple[set[str], set[str]]:
    norm, found, index = _terms(catalog, text)
    heads, predicate = classify._own_terms(norm, found, index)
    by_start = {s: t for s, _, t in found}
    return {by_start[s] for s in heads}, {by_start[s] for s in predicate}


# --------------------------------------------------------------------------- own spans


def test_object_of_the_first_output_verb_runs_to_a_setting_or_buyer_word(catalog):
    spans = _spans(catalog, f"{FIRM}生产水性工业漆，客户为船厂。")
    assert spans == [("水性工业漆", False)]
    assert _spans(catalog, f"{FIRM}研制伺服电机并销往海外。") == [("伺服电机", False)]


def test_subject_after_the_name_and_de_runs_to_the_predicate(catalog):
    spans = _spans(catalog, f"{FIRM}的巡视机器人已在多座换流站投用。")
    assert spans == [("巡视机器人", True)]


def test_a_verb_inside_an_organisation_name_opens_no_span(catalog):
    # 制造 in 生物制造有限公司 is part of a name, not what the firm makes.
    assert _spans(catalog, "由某某生物制造有限公司投资的发酵平台。") == []


def test_a_verb_inside_a_catalog_term_is_not_an_output_verb(catalog):
    # 芯片设计 is a catalog term; its 设计 opens no object.
    assert _spans(catalog, f"{FIRM}从事芯片设计。") == [("芯片设计", False)]


def test_items_ending_in_a_term_are_heads_and_modifiers_are_not(catalog):
    heads, _ = _heads(catalog, f"{FIRM}生产抗氧剂和光稳定剂。")
    assert heads == {"抗氧剂", "光稳定剂"}
    heads, _ = _heads(catalog, f"{FIRM}生产塑料抗氧剂。")
    assert "塑料" not in heads and "抗氧剂" in heads


def test_a_shared_unknown_head_leaves_every_item_alone(catalog):
    # 原油和成品油|储罐: both are what the tanks hold, neither is the product.
    heads, _ = _heads(catalog, f"{FIRM}运营原油和成品油储罐。")
    assert heads == set()


def test_the_predicate_of_a_product_subject_is_a_setting(catalog):
    heads, predicate = _heads(catalog, f"{FIRM}的巡视机器人已在省级电网公司投用。")
    assert heads == {"巡视机器人"}
    assert "电网" in predicate


def test_a_subject_without_a_product_keeps_its_predicate(catalog):
    # …的工程师正在调试…: the staff are no product, what they build still counts.
    _, predicate = _heads(catalog, f"{FIRM}的三十名工程师正在调试锂电池极片检测设备。")
    assert predicate == set()
    hits = _company(catalog, f"{FIRM}的三十名工程师正在调试一套检测锂电池极片缺陷的视觉系统。")
    assert hits


# --------------------------------------------------------------------------- placements


def test_product_subject_beats_the_grid_it_is_used_in(catalog):
    hits = _company(catalog, f"{FIRM}的巡视机器人已在多家省级电网公司投用，可自动识别渗漏。")
    assert top_key(hits) == "robotics/service-robots"


def test_registration_after_the_product_subject_does_not_place_the_firm(catalog):
    hits = _company(catalog, f"{FIRM}的人工关节获批注册证，已在多个省份挂网。")
    assert top_key(hits) == "medical-devices/high-value-consumables"


def test_own_product_head_wins_over_a_modifier_word(catalog):
    # 塑料抗氧剂 is an additive for plastics: a fine chemical, not a plastic product.
    hits = _company(catalog, f"{FIRM}生产塑料抗氧剂，客户是改性料厂。")
    assert top_key(hits) == "green-petrochem/fine-chemicals"


def test_paint_maker_is_not_placed_on_its_customers(catalog):
    hits = _company(catalog, f"{FIRM}生产工业漆和固化剂，客户多为工程机械和集装箱制造厂。")
    assert top_key(hits) == "green-petrochem/fine-chemicals"


# --------------------------------------------------------------------------- wording


def test_a_count_of_firms_is_not_the_appliance_chain(catalog):
    for text in (f"{FIRM}向多家电池企业送样固态电解质。", f"{FIRM}是一家电池材料企业。"):
        _, found, _ = _terms(catalog, text)
        assert "家电" not in {t for _, _, t in found}, text
        assert all(h.chain_id != "smart-appliances" for h in _company(catalog, text))


def test_a_count_word_still_ends_a_buyer_phrase(catalog):
    # 是多家商用车企业的供应商: the trucks are the customers' (pass 7's buyer reading kept).
    norm, found, _ = _terms(catalog, f"{FIRM}生产制动器，是多家商用车企业的一级供应商。")
    marked = classify._buyer_terms(norm, found)
    assert norm.index("商用车") in marked


def test_supplied_to_is_customer_wording(catalog):
    hits = _company(catalog, f"{FIRM}把碲化铋切片做成半导体制冷片，供给光模块厂家。")
    assert top_key(hits) == "frontier-materials/metamaterials-functional"


def test_contract_manufacturing_for_a_brand_is_not_a_wafer_foundry(catalog):
    hits = _company(catalog, f"{FIRM}为多个手机品牌代工蓝牙耳机，月产能约百万副。")
    assert top_key(hits) is not None
    assert hits[0].segment_id != "wafer-fab"


def test_pilot_form_yields_to_the_field_an_institution_names(catalog):
    result = classify_institution(
        "机器人部件中试平台", ["平台为伺服电机企业提供样机试制和寿命测试服务。"], catalog
    )
    assert result.segments[0].chain_id == "robotics"


def test_pilot_form_stays_when_no_other_field_is_named(catalog):
    result = classify_institution("粉体中试基地", ["基地帮助高校团队放大实验室配方。"], catalog)
    assert result.segments[0].key == "frontier-materials/pilot-applications"


def test_project_object_is_read_for_projects_too(catalog):
    hits = classify_text("某区签约年产2万吨工业漆项目，产品主要供给工程机械厂。", catalog=catalog)
    assert top_key(hits) == "green-petrochem/fine-chemicals"
