"""Pass 6b of the segment classifier (issue 5): listed firms' main-product rows read as
noun phrases, product words at full weight, and everyday product words. Product rows here
are written for the tests and patched in, so the shipped table can change freely."""

from __future__ import annotations

import pytest

from chainatlas.chains import classify
from chainatlas.chains.classify import classify_company, classify_text
from tests.chains.classify_helpers import top_key

FIRM = "甲乙丙"  # no catalog word, no gazetteer row


def _listed(monkeypatch, catalog, code: str, products: str) -> str | None:
    rows = {(classify._normalise(FIRM), code): products}
    monkeypatch.setattr(classify, "_main_products", lambda: rows)
    return top_key(classify_company(FIRM, shenwan_code=code, catalog=catalog))


# ------------------------------------------------------------------ head-final items


@pytest.mark.parametrize(
    ("code", "products", "expected"),
    [
        # A field word in front of an equipment noun names the customer, not the firm.
        ("640209", "消费电子检测设备", "high-end-equipment/special-equipment"),
        ("640203", "石油钻机、压裂设备、油气输送钢管", "high-end-equipment/energy-heavy-equipment"),
        ("640401", "船用齿轮箱、工程机械变速箱", "high-end-equipment/basic-components"),
        # A testing word after a term makes it the object of a service.
        ("460802", "电力设备检测", "precision-instruments/testing-calibration"),
    ],
)
def test_the_head_of_a_product_item_decides(monkeypatch, catalog, code, products, expected):
    assert _listed(monkeypatch, catalog, code, products) == expected


def test_a_category_head_leaves_its_modifier_whole(monkeypatch, catalog):
    # 智慧矿山|软件: 软件 names the chain, the modifier says which software.
    top = _listed(monkeypatch, catalog, "710402", "智慧矿山软件")
    assert top == "software-it/industry-applications"


def test_non_final_marks_modifiers_within_one_item_only(catalog):
    index = classify._index(catalog)
    text = classify._normalise("主营产品：消费电子检测设备、消费电子")
    found = classify._find_terms(text, index.terms_by_len, index.prefixes)
    marked = classify._non_final(text, found, index)
    starts = {term: start for start, _, term in found}
    assert text.index("消费电子") in marked  # followed by 检测设备 in the same item
    assert text.rindex("消费电子") not in marked  # a whole item on its own
    assert starts["检测设备"] not in marked


def test_text_is_not_read_head_final(catalog):
    # The rule is for curated noun lists; a sentence keeps its own grammar.
    hits = classify_text("公司研发生产消费电子检测设备。", catalog=catalog)
    assert any(h.chain_id == "electronic-info" for h in hits)


# ------------------------------------------------------------------ product words at full weight


@pytest.mark.parametrize(
    ("code", "products", "expected"),
    [
        ("280502", "纯电动乘用车", "nev/vehicle-manufacturing"),
        ("240302", "锂电铜箔", "nev/battery-materials"),
        ("640301", "称重传感器", "precision-instruments/sensors"),
    ],
)
def test_a_specific_product_word_beats_the_code_default(
    monkeypatch, catalog, code, products, expected
):
    assert _listed(monkeypatch, catalog, code, products) == expected


# ------------------------------------------------------------------ vocabulary


@pytest.mark.parametrize(
    ("code", "products", "expected"),
    [
        ("640401", "轴承钢球、滚子", "high-end-equipment/basic-components"),  # not 轴承钢
        ("730204", "光纤激光器件、铌酸锂调制器", "laser-additive/laser-chips-optics"),
        ("730204", "射频滤波器、双工器", "electronic-info/communication-equipment"),
        ("640106", "焊接设备、切割设备", "high-end-equipment/machine-tools"),
        ("640209", "精密清洗设备", "high-end-equipment/special-equipment"),
        ("370504", "尿液分析仪、粪便分析仪", "medical-devices/ivd"),
        ("270102", "IGBT模块", "semiconductor/power-compound-devices"),
        ("280203", "刹车片、制动盘", "automotive/chassis"),
        ("640301", "压力校验仪、温度校验仪", "precision-instruments/measurement-metrology"),
        ("640301", "设备状态监测、故障诊断系统", "precision-instruments/industrial-inspection"),
        ("640401", "钢丝绳", "advanced-materials/materials-processing"),
        ("110502", "玉米油", "agri-food/primary-processing"),
        ("760103", "废弃电器电子产品拆解", "safety-environment/solid-waste"),
        ("420806", "石化仓储", "green-petrochem/oil-gas"),
        ("640105", "机房精密空调", "artificial-intelligence/compute-infrastructure"),
        ("710103", "自动售检票系统", "high-end-equipment/rail-transit"),
        ("710301", "社保信息化、医保信息化", "software-it/industry-applications"),
    ],
)
def test_everyday_product_words_reach_their_segment(monkeypatch, catalog, code, products, expected):
    assert _listed(monkeypatch, catalog, code, products) == expected


def test_tempering_furnaces_are_not_fibreglass(catalog):
    hits = classify_text("公司生产玻璃钢化炉和中空玻璃设备。", catalog=catalog)
    assert top_key(hits) == "high-end-equipment/special-equipment"
    assert all(h.key != "advanced-materials/composites" for h in hits)


def test_leasing_is_not_a_medical_service(catalog):
    hits = classify_text("公司主营融资租赁业务。", catalog=catalog)
    assert all(h.chain_id != "medical-devices" for h in hits)


def test_bare_dismantling_is_recycling_in_general(catalog):
    hits = classify_text("公司从事报废汽车拆解。", catalog=catalog)
    assert top_key(hits) == "safety-environment/solid-waste"
