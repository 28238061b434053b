"""Pass 7 of the segment classifier (issue 5): rules meant to carry to unseen sentences —
buyer noun phrases, end-use and channel wording, clause breaks after width folding,
zero-hit fallbacks by head word, services on a product — plus analyst vocabulary. Every
sentence here is written for the test; none comes from a gold file."""

from __future__ import annotations

import pytest

from chainatlas.chains import classify
from chainatlas.chains.classify import classify_company, classify_text
from tests.chains.classify_helpers import FIRM, top_key


def _company(catalog, text: str, name: str = FIRM) -> str | None:
    return top_key(classify_company(name, texts=[text], catalog=catalog))


def _buyers(catalog, text: str) -> list[str]:
    index = classify._index(catalog)
    norm = classify._normalise(text)
    found = classify._find_terms(norm, index.terms_by_len, index.prefixes)
    marked = classify._buyer_terms(norm, found)
    return [term for start, _, term in found if start in marked]


# ------------------------------------------------------------------ buyer noun phrases


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Coordinated buyers across 和 and 的, after a sales verb.
        (
            "甲乙丙公司生产精密轴承，主要卖给风电和工程机械的整机厂。",
            "high-end-equipment/basic-components",
        ),
        # 向 + buyer phrase with a non-term word before the head (研发|团队 style).
        (
            "甲乙丙公司批量加工精密轴承，已向风电主机厂和工程机械厂家送样。",
            "high-end-equipment/basic-components",
        ),
    ],
)
def test_a_buyer_phrase_names_the_customer(catalog, text, expected):
    assert _company(catalog, text) == expected


def test_buyer_phrase_walks_coordination_and_de(catalog):
    assert _buyers(catalog, "主要卖给风电和工程机械的整机厂") == ["风电", "工程机械"]
    assert _buyers(catalog, "帮储能和风电工厂检测") == ["储能", "风电"]


@pytest.mark.parametrize(
    "text",
    [
        "公司是一家锂电池企业",  # self-description
        "专注碳化硅衬底的企业",  # relative clause about the firm, no buyer marker
        "公司在本地建有锂电池工厂",  # its own plant
        "锂电池企业\u3000\u3000\u3000完成融资",  # apposition to the blanked own name
        "光电子企业正在加速成长",  # clause-initial subject
        "电池、电机、车身结构件等配套企业纷纷设厂",  # a list that starts the clause
    ],
)
def test_a_phrase_describing_the_firm_is_not_a_buyer(catalog, text):
    assert _buyers(catalog, text) == []


def test_buyer_phrases_are_read_for_companies_only(catalog):
    # In a project text the organisation is the project itself.
    top = top_key(classify_text("某区引进锂电池企业，建设年产10GWh电芯项目。", catalog=catalog))
    assert top == "nev/power-battery"


# ------------------------------------------------------------------ end use, channels, clauses


def test_a_sales_channel_is_not_the_segment(catalog):
    text = "甲乙丙公司生产速冻水饺和汤圆，主要渠道是商超和连锁餐饮。"
    assert _company(catalog, text) == "agri-food/food-manufacturing"


@pytest.mark.parametrize("verb", ["装进", "装在", "用在"])
def test_end_use_verbs_mark_context(verb):
    text = classify._normalise(f"芯片已{verb}安防摄像机")
    mask = classify._context_mask(text)
    assert all(mask[text.index("安防摄像机") : len(text)])


def test_context_spans_stop_at_a_folded_comma():
    # NFKC turns ， into , — spans used to run over it into the next clause.
    text = classify._normalise("以进口丙烷为原料，年产60万吨丙烯，厂内配套塑料装置")
    mask = classify._context_mask(text)
    start = text.index("丙烯", 5)
    assert not any(mask[start : start + 2])


def test_the_object_of_a_test_is_context():
    text = classify._normalise("对动力电池包做安全检测")
    mask = classify._context_mask(text)
    assert all(mask[text.index("动力电池包") : text.index("做")])


def test_folded_comma_keeps_the_firms_product(catalog):
    text = "甲乙丙公司以进口丙烷为原料，年产60万吨丙烯，厂内配套塑料装置。"
    assert _company(catalog, text) == "green-petrochem/olefins-aromatics"


# ------------------------------------------------------------------ zero hits


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # Head words of the registered name come first.
        (
            "甲乙丙测量技术有限公司",
            "公司专注于大尺寸方案。",
            "precision-instruments/measurement-metrology",
        ),
        ("甲乙丙软件有限公司", "公司成立于2015年。", "software-it/industry-applications"),
        ("甲乙丙化工有限公司", "公司成立于2015年。", "green-petrochem/fine-chemicals"),
        # Then head words of the texts, when an output verb makes them the product.
        (
            FIRM,
            "甲乙丙公司研制一款便携式气密检测仪。",
            "precision-instruments/industrial-inspection",
        ),
    ],
)
def test_zero_hit_companies_fall_back_on_head_words(catalog, name, text, expected):
    assert _company(catalog, text, name=name) == expected


def test_a_head_word_outside_an_output_clause_places_nothing(catalog):
    assert _company(catalog, "本地培养了大量软件、算法和硬件工程师。") is None


def test_a_name_head_beats_a_chain_word_in_the_text(catalog):
    # 激光 in the text names a chain only; the name says what the firm is.
    name = "甲乙丙测量技术有限公司"
    assert _company(catalog, "公司的方案采用激光。", name=name) == (
        "precision-instruments/measurement-metrology"
    )


# ------------------------------------------------------------------ services on a product


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (FIRM, "甲乙丙公司为芯片设计公司承接芯片的测试外包。", "semiconductor/packaging-testing"),
        (
            "甲乙丙增材公司",
            "公司按图纸为客户打印钛合金零件。",
            "laser-additive/processing-services",
        ),
        # A foundry is the service: no service segment beyond wafer fabrication.
        (FIRM, "甲乙丙公司提供12英寸晶圆代工服务。", "semiconductor/wafer-fab"),
    ],
)
def test_a_service_on_a_product_picks_the_service_segment(catalog, name, text, expected):
    assert _company(catalog, text, name=name) == expected


def test_a_service_provider_named_as_buyer_is_not_a_service(catalog):
    text = "甲乙丙公司制取钛合金球形粉，供货对象是打印服务商。"
    assert _company(catalog, text) == "laser-additive/am-materials"


def test_a_service_phrase_does_not_move_the_chain(catalog):
    text = "园区集聚新材料企业，园区提供的中试平台和检测服务对企业成长十分重要。"
    hits = classify_text(text, catalog=catalog)
    assert hits and hits[0].chain_id == "frontier-materials"


# ------------------------------------------------------------------ product rows


def test_a_channel_word_after_goods_in_a_product_row(monkeypatch, catalog):
    rows = {(classify._normalise("甲乙丙"), "450401"): "手机分销"}
    monkeypatch.setattr(classify, "_main_products", lambda: rows)
    top = top_key(classify_company("甲乙丙", shenwan_code="450401", catalog=catalog))
    assert top != "electronic-info/consumer-terminals"


# ------------------------------------------------------------------ vocabulary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("甲乙丙公司开发芯片版图验证工具。", "semiconductor/eda-ip"),
        (
            "甲乙丙公司开发汽车零部件的结构强度分析软件。",
            "software-it/dev-tools-industrial-software",
        ),
        ("甲乙丙公司生产激光跟踪仪。", "precision-instruments/measurement-metrology"),
        ("甲乙丙公司提供电子合同存证服务。", "blockchain-quantum/blockchain-applications"),
        ("甲乙丙公司研发深度学习训练框架。", "artificial-intelligence/frameworks-platforms"),
        ("甲乙丙公司生产掌上超声。", "medical-devices/medical-imaging"),
        ("甲乙丙公司运营餐厨废弃物处理厂。", "safety-environment/solid-waste"),
        ("甲乙丙公司生产纺纱设备。", "light-textile/accessories-machinery"),
    ],
)
def test_analyst_vocabulary(catalog, text, expected):
    assert _company(catalog, text) == expected


def test_head_table_rows_name_real_segments(catalog):
    keys = {seg.key for chain in catalog for seg in chain.segments}
    rows = classify._heads()
    assert len(rows) >= 40
    assert all(f"{chain}/{seg}" in keys for _, chain, seg, _ in rows)
