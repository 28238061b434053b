"""Pass 6 of the segment classifier (issue 5): customer grammar, institution forms and
everyday trade words. Sentences here are written for the tests, not taken from gold files."""

from __future__ import annotations

import pytest

from chainatlas.chains.classify import (
    classify_company,
    classify_institution,
    classify_text,
    innovation_stage,
)
from tests.chains.classify_helpers import top_key

# ------------------------------------------------------------------ customer grammar


def test_gei_zuo_peitao_marks_the_customer(catalog):
    # 给…做配套 reads like 为…配套: the appliances are the customer's products.
    texts = ["公司研发家电主控板，给多家洗衣机和冰箱整机厂做配套。"]
    hits = classify_company("慈溪某某电子有限公司", texts=texts, catalog=catalog)
    assert top_key(hits) == "smart-appliances/control-chips"


def test_supply_to_marks_the_customer_but_supply_chain_is_a_trade(catalog):
    texts = ["公司生产改性聚丙烯粒料，主要供应空调外壳注塑厂。"]
    hits = classify_company("佛山某某塑胶有限公司", texts=texts, catalog=catalog)
    assert top_key(hits) in {
        "green-petrochem/synthetic-resins",
        "advanced-materials/advanced-chemical-materials",
    }
    trade = classify_company(
        "宁波某某贸易有限公司",
        texts=["公司为家具出口企业提供跨境供应链和海外仓服务。"],
        catalog=catalog,
    )
    assert top_key(trade) == "light-textile/trade-services"


def test_users_are_customers(catalog):
    texts = ["公司研制气相色谱仪，用户包括环境监测站和第三方检测机构。"]
    hits = classify_company("杭州某某仪器有限公司", texts=texts, catalog=catalog)
    assert top_key(hits) == "precision-instruments/analytical-instruments"


def test_chain_name_in_customer_context_does_not_pull_a_project(catalog):
    text = "钢厂新建高牌号电工钢产线，产品面向新能源汽车驱动电机。"
    assert top_key(classify_text(text, catalog=catalog)) == "advanced-materials/advanced-steel"


def test_customer_span_stops_at_the_verb_that_names_the_work(catalog):
    texts = ["公司为智能驾驶和大模型客户采集并标注点云与语音数据。"]
    hits = classify_company("合肥某某数据服务有限公司", texts=texts, catalog=catalog)
    assert top_key(hits) == "artificial-intelligence/data-resources"


def test_service_word_right_after_a_term_names_the_object(catalog):
    text = "园区建设盾构机再制造基地，对主轴承和刀盘进行修复。"
    assert top_key(classify_text(text, catalog=catalog)) == (
        "high-end-equipment/services-remanufacturing"
    )


def test_field_of_application_is_context(catalog):
    text = "功率芯片在光伏逆变器和充电桩领域的应用越来越多。"
    assert top_key(classify_text(text, catalog=catalog)) == "semiconductor/power-compound-devices"


def test_the_machine_whose_parts_these_are_is_the_customer(catalog):
    text = "谐波减速器是协作机器人的核心部件，与力矩电机共同决定关节性能。"
    top = top_key(classify_text(text, catalog=catalog))
    assert top in {"robotics/reducers", "robotics/servo-motors"}


def test_product_glued_in_front_of_its_input_names_the_customer(catalog):
    # 锂电池|负极材料: the head is the anode material; the battery is what it is for.
    text = "锂电池负极材料项目开工，产品供应动力电池企业。"
    assert top_key(classify_text(text, catalog=catalog)) == "nev/battery-materials"


def test_generic_head_keeps_its_modifier(catalog):
    # 光纤|传感器: 传感器 is a category many segments share, so 光纤 says which kind.
    hits = classify_text("公司量产光纤传感器。", catalog=catalog)
    assert top_key(hits) == "electronic-info/optoelectronic-components"


def test_supply_chain_a_supplier_entered_is_its_customer(catalog):
    texts = ["公司生产汽车座椅骨架，已进入多家新能源整车厂供应链。"]
    hits = classify_company("宁波某某部件有限公司", texts=texts, catalog=catalog)
    assert top_key(hits) == "automotive/body-interior"
    assert not any(h.chain_id == "nev" and h.weight > 1.0 for h in hits)


def test_sales_channel_is_context(catalog):
    texts = ["公司生产四件套和羽绒被，在电商平台销售。"]
    hits = classify_company("南通某某家纺有限公司", texts=texts, catalog=catalog)
    assert top_key(hits) == "light-textile/home-textile-furniture"


# ------------------------------------------------------------------ institutions


def test_fallback_prefers_segments_named_like_the_chain_word(catalog):
    result = classify_institution("某某大学", ["学校在量子信息领域积累深厚。"], catalog)
    assert result.segments
    assert result.segments[0].key.startswith("blockchain-quantum/quantum-")


def test_service_institution_naming_only_its_field_sits_on_the_service_segment(catalog):
    # A pilot base or accelerator sells R&D services to the field's firms.
    for name in ("某市生物医药中试基地", "某区生物医药加速器"):
        result = classify_institution(name, ["为生物医药初创团队提供公共实验条件。"], catalog)
        assert result.segments[0].key == "biomedicine/drug-discovery-cro", name
    # A park hosts manufacturers: no such preference.
    park = classify_institution("某市生物医药产业园", ["园区聚焦生物医药产业。"], catalog)
    assert park.segments and park.segments[0].key != "biomedicine/drug-discovery-cro"


@pytest.mark.parametrize(
    ("name", "stage"),
    [
        ("某市机器人创新中心", "tech-breakthrough"),
        ("某省精密测量研究中心", "tech-breakthrough"),
        ("某市计量测试院", "commercialisation"),
        ("某市质量检测服务中心", "commercialisation"),
        ("某区车联网测试示范区", "commercialisation"),
        ("某园区医疗器械研发外包平台", "commercialisation"),
    ],
)
def test_institution_form_in_the_name_gives_the_stage(name, stage):
    hits = innovation_stage(name, [])
    assert hits and hits[0].stage_id == stage


# ------------------------------------------------------------------ vocabulary


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "成都某某物流有限公司",
            "公司拥有200辆冷藏车队，承接生鲜配送。",
            "agri-food/cold-chain-logistics",
        ),
        (
            "绍兴某某纺机有限公司",
            "公司生产剑杆织机和喷水织机。",
            "light-textile/accessories-machinery",
        ),
        ("某某环境有限公司", "公司从事危险废物焚烧和填埋处置。", "safety-environment/solid-waste"),
        (
            "某某仪器有限公司",
            "公司生产液质联用仪和气质联用仪。",
            "precision-instruments/analytical-instruments",
        ),
        (
            "北京某某智能科技有限公司",
            "公司为大模型厂商做对齐评测，评测报告用于模型备案。",
            "artificial-intelligence/governance-security",
        ),
        (
            "洛阳某某轴承有限公司",
            "公司生产风电主轴承和变桨轴承，为风电整机厂配套。",
            "high-end-equipment/basic-components",
        ),
        (
            "苏州某某激光软件有限公司",
            "公司开发激光切割数控系统和套料软件。",
            "laser-additive/software-control",
        ),
        (
            "西安某某装备有限公司",
            "公司制造碳化硅单晶生长炉。",
            "frontier-materials/synthesis-equipment",
        ),
        ("常州某某电气有限公司", "公司生产箱式变电站和环网柜。", "new-energy/grid-equipment"),
        ("杭州某某宠物食品有限公司", "公司生产猫粮和宠物食品。", "agri-food/food-manufacturing"),
        (
            "某某电子材料有限公司",
            "公司生产半导体环氧塑封料和底部填充胶。",
            "semiconductor/semi-materials",
        ),
        (
            "某某照明有限公司",
            "公司生产LED吸顶灯和筒灯等照明灯具。",
            "smart-appliances/audio-video-lighting",
        ),
        # 智能装备 in a name is a descriptor, weaker than the product named in the text.
        ("苏州某某智能装备有限公司", "公司生产锂电池卷绕机和叠片机。", "nev/power-battery"),
    ],
)
def test_everyday_trade_words(catalog, name, text, expected):
    assert top_key(classify_company(name, texts=[text], catalog=catalog)) == expected


def test_smart_manufacturing_alone_is_not_an_ai_application(catalog):
    # 智能制造 is a policy word for any digitalised factory, not an AI segment.
    hits = classify_text("服装产业园配套建设智能制造车间，入驻衬衫加工企业。", catalog=catalog)
    assert top_key(hits) == "light-textile/apparel-footwear"


def test_shared_product_words_sit_in_both_chains(catalog):
    # 高速光模块 is an optoelectronic component as well as AI compute hardware.
    segs = {
        h.key
        for h in classify_text("企业扩产800G高速光模块。", catalog=catalog)
        if any(e.value == "高速光模块" for e in h.evidence)
    }
    assert {
        "electronic-info/optoelectronic-components",
        "artificial-intelligence/ai-chips",
    } <= segs
