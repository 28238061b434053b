"""Segment classification of companies, texts and institutions; innovation stages."""

from __future__ import annotations

import json

import pytest

from chainatlas.chains.classify import (
    Evidence,
    classify_company,
    classify_institution,
    classify_text,
    innovation_stage,
    top_chain,
)
from chainatlas.chains.evaluate import evaluate, format_report, run_cli
from chainatlas.chains.templates import Stage, load_chains


@pytest.fixture(scope="module")
def catalog():
    return load_chains()


def _keys(hits):
    return [h.key for h in hits]


# ------------------------------------------------------------------ listed companies


def test_byd_electric_passenger_cars_sit_on_nev_vehicle_segment(catalog):
    hits = classify_company("比亚迪", shenwan_code="280501", catalog=catalog)
    assert hits[0].key == "nev/vehicle-manufacturing"
    assert hits[0].stage is Stage.MIDSTREAM
    assert Evidence("shenwan", "280501 电动乘用车", None) in hits[0].evidence
    assert top_chain(hits) == "nev"


def test_catl_lithium_batteries_map_to_power_and_storage_batteries(catalog):
    hits = classify_company("宁德时代", shenwan_code="630701", catalog=catalog)
    keys = _keys(hits)
    assert keys[0] == "nev/power-battery"
    assert "new-energy/storage-materials" in keys
    assert 0 < hits[1].confidence <= hits[0].confidence <= 1


def test_mindray_code_alone_spans_device_segments_and_aed_picks_life_support(catalog):
    plain = classify_company("迈瑞医疗", shenwan_code="370502", catalog=catalog)
    device_segments = {"life-support", "medical-imaging", "therapy-surgical-robots"}
    assert {h.segment_id for h in plain[:3]} == device_segments
    assert {h.chain_id for h in plain[:3]} == {"medical-devices"}
    # The code alone picks only the template's primary segment for 370502 (the typical
    # 医疗设备 firm makes monitors and life support); the other two stay tied.
    assert plain[0].segment_id == "life-support" and plain[0].weight > plain[1].weight
    assert plain[1].weight == plain[2].weight

    sentence = "这一年，深圳迈瑞生物医疗电子股份有限公司推出国内首款双相波AED，国产厂商由此具备了整机自主研发能力。"
    hits = classify_company("迈瑞医疗", shenwan_code="370502", texts=[sentence], catalog=catalog)
    assert hits[0].key == "medical-devices/life-support"
    assert hits[0].weight > hits[1].weight
    assert Evidence("keyword", "AED", sentence) in hits[0].evidence


def test_legacy_listed_code_is_translated(catalog):
    # 640301 is the pre-2021 code of 仪器仪表 still carried by some listed companies.
    hits = classify_company("川仪股份", shenwan_code="640301", catalog=catalog)
    assert hits and hits[0].chain_id == "precision-instruments"


def test_home_chain_beats_a_chain_that_borrows_the_code(catalog):
    # 270103 半导体材料 is mapped by semiconductor (which maps its whole family) and by
    # frontier materials and lasers (one code each); the family decides.
    hits = classify_company("沪硅产业", shenwan_code="270103", catalog=catalog)
    assert hits[0].key == "semiconductor/semi-materials"


def test_strong_text_overrides_an_odd_code(catalog):
    sentence = "主要提供量子保密通信设备和解决方案，参与了京沪干线等量子通信网络的建设。"
    hits = classify_company(
        "科大国盾量子技术股份有限公司", shenwan_code="730206", texts=[sentence], catalog=catalog
    )
    assert hits[0].key == "blockchain-quantum/quantum-communication"


def test_customer_context_counts_less_than_the_product(catalog):
    text = "公司研发面向功率半导体的晶圆级测试设备，资金将用于产品验证和产能建设。"
    hits = classify_company("示例芯测科技有限公司", texts=[text], catalog=catalog)
    assert hits[0].key == "semiconductor/semi-equipment"


# ------------------------------------------------------------------ texts


def test_longest_term_wins_over_the_term_inside_it(catalog):
    hits = classify_text("长鑫存储专注于存储芯片的研发和制造。", catalog=catalog)
    assert hits[0].key == "semiconductor/digital-ic-design"
    assert "electronic-info/chips-devices" not in _keys(hits)  # 芯片 is inside 存储芯片


def test_ascii_terms_need_word_boundaries(catalog):
    # DR (digital radiography) must not fire inside DRAM, nor PE inside PET.
    hits = classify_text("公司量产DRAM颗粒并扩建PET薄膜产线。", catalog=catalog)
    assert "medical-devices/medical-imaging" not in _keys(hits)
    assert "green-petrochem/synthetic-resins" not in _keys(hits)


def test_traditional_script_is_matched(catalog):
    hits = classify_text("動力電池是常州最突出的優勢領域，刀片電池已量產。", catalog=catalog)
    assert hits[0].key == "nev/power-battery"
    assert hits[0].evidence[0].sentence.startswith("動力電池")


def test_repeated_terms_add_sublinearly(catalog):
    once = classify_text("减速器", catalog=catalog)
    four = classify_text("精密减速器、RV减速器和谐波减速器都是减速器。", catalog=catalog)
    assert four[0].key == "robotics/reducers"
    assert four[0].weight > once[0].weight
    assert four[0].weight < 4 * 2.0 * once[0].weight  # log-scaled, not linear


def test_specific_terms_beat_generic_ones(catalog):
    hits = classify_text("项目生产芯片和超声诊断仪。", catalog=catalog)
    # 超声诊断仪 (five characters, one segment) outweighs 芯片 (two, generic).
    assert hits[0].key == "medical-devices/medical-imaging"


def test_hits_are_sorted_and_bounded(catalog):
    hits = classify_text(
        "临港提出打造新能源汽车产业集群，引进了智能驾驶、车规级芯片、氢燃料电池等方向的企业。",
        catalog=catalog,
    )
    assert hits[0].chain_id == "nev"
    weights = [h.weight for h in hits]
    assert weights == sorted(weights, reverse=True)
    assert all(0 < h.confidence <= 1 for h in hits)
    assert all(h.evidence for h in hits)


def test_empty_inputs_give_no_hits(catalog):
    assert classify_text("", catalog=catalog) == []
    assert classify_text("今天天气很好。", catalog=catalog) == []
    assert classify_company("", catalog=catalog) == []
    assert classify_company("某某有限公司", texts=["", "  "], catalog=catalog) == []
    assert classify_company("某某", shenwan_code="480301", catalog=catalog) == []  # a bank
    assert innovation_stage("", []) == []
    empty = classify_institution("", [], catalog)
    assert empty.segments == [] and empty.stages == []
    assert top_chain([]) is None


# ------------------------------------------------------------------ institutions


def test_research_institute_is_basic_research_on_quantum_segments(catalog):
    texts = [
        "研究院位于河套深港科技创新合作区，面向量子计算、量子精密测量和量子材料等方向开展研究。",
        "研究团队既承担基础研究任务，也与企业合作开发稀释制冷机、微波测控系统等量子计算所需的关键设备。",
    ]
    result = classify_institution("深圳国际量子研究院", texts, catalog)
    assert result.stages[0].stage_id == "basic-research"
    assert result.stages[0].name == "基础研究"
    assert Evidence("name", "研究院", None) in result.stages[0].evidence
    assert result.segments[0].key == "blockchain-quantum/quantum-computing"


def test_key_lab_and_facility_are_basic_research():
    assert innovation_stage("某某全国重点实验室")[0].stage_id == "basic-research"
    # 加速器 in a facility's name is not a business accelerator.
    hits = innovation_stage("强流重离子加速器装置", ["关键部件已完成样机研制。"])
    assert hits[0].stage_id == "basic-research"


def test_fund_is_tech_finance():
    hits = innovation_stage("湾区示例产业基金", ["由湾区示例产业基金领投天使轮融资。"])
    assert hits[0].stage_id == "tech-finance"
    assert hits[0].confidence > 0.5


def test_incubator_and_pilot_base_are_commercialisation():
    assert innovation_stage("示例生物医药孵化器")[0].stage_id == "commercialisation"
    assert innovation_stage("示例新材料中试基地")[0].stage_id == "commercialisation"


def test_text_decides_when_the_name_says_nothing():
    hits = innovation_stage("示例平台", ["平台聚焦关键核心技术攻关，已研制首台套样机。"])
    assert hits[0].stage_id == "tech-breakthrough"


def test_lab_naming_only_a_field_lands_on_that_chains_research_segments(catalog):
    result = classify_institution(
        "深圳湾实验室", ["深圳湾实验室是广东省实验室之一，主攻生命信息与生物医药方向。"], catalog
    )
    assert result.segments[0].key == "biomedicine/drug-discovery-cro"
    assert result.stages[0].stage_id == "basic-research"


# ------------------------------------------------------------------ evaluation


def _write_gold(tmp_path, records):
    path = tmp_path / "gold.jsonl"
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
    )
    return path


def test_evaluate_scores_segments_and_chains_per_kind(tmp_path, catalog):
    path = _write_gold(
        tmp_path,
        [
            {
                "id": "t1",
                "kind": "listed",
                "name": "比亚迪",
                "shenwan_code": "280501",
                "texts": [],
                "gold": [{"chain_id": "nev", "segment_id": "vehicle-manufacturing"}],
                "top_chain": "nev",
            },
            {
                "id": "t2",
                "kind": "project",
                "name": "示例项目",
                "texts": ["建设动力电池生产线。"],
                # Deliberately wrong gold segment but right chain.
                "gold": [{"chain_id": "nev", "segment_id": "battery-recycling"}],
                "top_chain": "nev",
            },
        ],
    )
    report = evaluate(path, catalog)
    assert report.score("all", "listed").segment_accuracy == 1.0
    assert report.score("all", "project").segment_accuracy == 0.0
    assert report.score("all", "project").chain_accuracy == 1.0
    assert report.score("dev").n == 1 and report.score("heldout").n == 1
    assert [r.item.id for r in report.failures] == ["t2"]
    assert "heldout  project" in format_report(report)


def test_run_cli_reports_bad_files(tmp_path, catalog):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    code, message = run_cli(bad, catalog=catalog)
    assert code == 2 and "bad.jsonl:1" in message
