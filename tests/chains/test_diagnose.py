"""Region × chain diagnosis on small hand-made records (no store), and the declared-
priority extractor."""

from __future__ import annotations

from datetime import date

import pytest

from chainatlas.chains.declared import extract_priorities, map_term, structure
from chainatlas.chains.diagnose import (
    DeclaredItem,
    EntityRecord,
    KeyPerson,
    Placement,
    ProjectRecord,
    build_baseline,
    diagnose,
    location_quotient,
    verdict,
)
from chainatlas.chains.templates import load_chains
from chainatlas.kb.regions import RegionGazetteer

SZ = frozenset({"440300", "440000"})
HUANGPU = frozenset({"440112", "440100", "440000"})
HEFEI = frozenset({"340100", "340000"})
CHAIN = "medical-devices"


@pytest.fixture(scope="module")
def catalog():
    return load_chains()


@pytest.fixture(scope="module")
def chain(catalog):
    return catalog["高端医疗器械"]


def _company(i, regions, *segments, chain_id=CHAIN, **kw):
    return EntityRecord(
        id=f"e{i}",
        name=f"企业{i}",
        type="company",
        regions=regions,
        placements=tuple(Placement(chain_id, s, 0.9) for s in segments),
        **kw,
    )


def _project(i, regions, segment, day, amount=None):
    return ProjectRecord(
        id=f"p{i}",
        title=f"项目{i}",
        regions=regions,
        placements=(Placement(CHAIN, segment, 0.8),),
        amount=amount,
        date=day,
    )


# ------------------------------------------------------------------ maths and rules


def test_location_quotient_maths():
    # 3 of the region's 4 firms on the segment, 5 of 20 nationally: (3/4)/(5/20) = 3.0
    assert location_quotient(3, 4, 5, 20) == pytest.approx(3.0)
    assert location_quotient(1, 10, 10, 10) == pytest.approx(0.1)
    assert location_quotient(0, 0, 5, 20) is None
    assert location_quotient(1, 1, 0, 20) is None


def test_verdict_rules_are_shown_as_text():
    v, rule = verdict(4, 0, 0, 2.1)
    assert v == "strong" and rule == "强：LQ 2.1 ≥ 1.5 且企业 4 ≥ 3"
    assert verdict(2, 0, 0, 2.1)[0] == "present"  # too few firms to be strong
    assert verdict(3, 0, 0, 1.2)[0] == "present"  # not specialised enough
    v, rule = verdict(1, 0, 0, 0.9)
    assert v == "present" and "0.9 ≥ 0.8" in rule
    v, rule = verdict(1, 0, 0, 0.5)
    assert v == "weak" and "LQ 0.5 < 0.8" in rule
    v, rule = verdict(0, 2, 0, None)
    assert v == "weak" and "无本地企业" in rule
    assert verdict(0, 0, 1, None)[0] == "weak"
    v, rule = verdict(0, 0, 0, None)
    assert v == "missing" and rule.startswith("缺")


def test_strong_present_missing_and_store_lq(chain):
    entities = [
        *(_company(i, SZ, "life-support") for i in range(3)),
        _company(3, SZ, "ivd"),
        *(_company(10 + i, HEFEI, "ivd") for i in range(4)),
        *(_company(20 + i, HEFEI, "medical-imaging") for i in range(2)),
    ]
    d = diagnose("440300", chain, entities=entities, projects=[], declared=[], baseline=None)
    life = d.segment("life-support")
    # (3/4) / (3/10) = 2.5
    assert life.lq_store == pytest.approx(2.5)
    assert life.verdict == "strong" and life.rule == "强：LQ 2.5 ≥ 1.5 且企业 3 ≥ 3"
    ivd = d.segment("ivd")
    assert ivd.lq_store == pytest.approx((1 / 4) / (5 / 10))
    assert ivd.verdict == "weak"
    assert d.segment("medical-imaging").verdict == "missing"
    assert d.by_verdict()["strong"] == ["life-support"]
    assert d.observed["enterprises"] == 4


def test_county_entities_count_for_city_and_province(chain):
    entities = [_company(1, HUANGPU, "ivd"), _company(2, HUANGPU, "ivd"), _company(3, SZ, "ivd")]
    for code, n in (("440112", 2), ("440100", 2), ("440000", 3), ("440300", 1)):
        d = diagnose(code, chain, entities=entities, projects=[], declared=[], baseline=None)
        assert len(d.segment("ivd").enterprises) == n, code
    # The shipped gazetteer produces exactly this rollup for a 黄埔区 code.
    gaz = RegionGazetteer.load()
    assert frozenset(r.code for r in gaz.rollup("440112")) == HUANGPU


def test_since_filters_projects_investment_and_trend(chain):
    projects = [
        _project(1, SZ, "ivd", date(2023, 5, 1), 1e8),
        _project(2, SZ, "ivd", date(2025, 3, 1), 6.5e8),
        _project(3, SZ, "ivd", None, 2e8),  # undated: outside any window
        _project(4, HEFEI, "ivd", date(2025, 3, 1), 9e8),
    ]
    entities = [
        _company(1, SZ, "ivd", first_seen=date(2022, 1, 1)),
        _company(2, SZ, "ivd", first_seen=date(2025, 6, 1)),
    ]
    d = diagnose("440300", chain, entities=entities, projects=projects, declared=[], baseline=None)
    assert len(d.segment("ivd").projects) == 3
    assert d.segment("ivd").investment == pytest.approx(9.5e8)
    d = diagnose(
        "440300",
        chain,
        entities=entities,
        projects=projects,
        declared=[],
        baseline=None,
        since=date(2024, 1, 1),
    )
    seg = d.segment("ivd")
    assert [p["id"] for p in seg.projects] == ["p2"]
    assert seg.investment == pytest.approx(6.5e8)
    assert len(seg.enterprises) == 2  # the stock is not windowed
    assert seg.new_enterprises == 1
    assert seg.trend == {2025: {"projects": 1, "enterprises": 1}}
    assert d.observed == {
        "projects": 1,
        "investment": pytest.approx(6.5e8),
        "enterprises": 2,
        "new_enterprises": 1,
        "institutions": 0,
    }


def test_national_baseline_lq_and_hint_on_missing_segment(chain):
    base = build_baseline(
        [
            (SZ, {"medical-devices/ivd"}),
            (SZ, {"medical-devices/ivd", "medical-devices/life-support"}),
            (HEFEI, {"medical-devices/life-support"}),
            (HEFEI, {"medical-devices/life-support"}),
            (HEFEI, set()),  # not placed anywhere: left out of totals
        ]
    )
    assert base.national_total == 4
    assert base.region_totals["440000"] == 2
    d = diagnose("440300", chain, entities=[], projects=[], declared=[], baseline=base)
    ivd = d.segment("ivd")
    # (2/2) / (2/4) = 2.0
    assert ivd.lq_national == pytest.approx(2.0)
    assert ivd.national_listed == 2
    assert ivd.verdict == "missing" and "上市公司名录中本地有 2 家" in ivd.rule


def test_people_institutions_and_declared_gaps(chain):
    boss = KeyPerson("李四", "董事长", "企业1", "董事长李四表示……")
    entities = [
        _company(1, SZ, "life-support", people=(boss,)),
        EntityRecord(
            "r1", "某医疗器械研究院", "research", SZ, (Placement(CHAIN, "core-components", 0.5),)
        ),
    ]
    declared = [
        DeclaredItem("target", "440300", SZ, CHAIN, "增加值 650亿元（2025年）", "…"),
        DeclaredItem("target", "340100", HEFEI, CHAIN, "营业收入 100亿元", "…"),
        DeclaredItem("priority", "440300", SZ, "nev", "躯干：新能源汽车", "…"),
    ]
    d = diagnose("440300", chain, entities=entities, projects=[], declared=declared, baseline=None)
    assert [x.label for x in d.declared] == ["增加值 650亿元（2025年）"]
    assert d.segment("life-support").people[0]["name"] == "李四"
    assert d.segment("core-components").verdict == "weak"  # an institution only
    assert d.segment("core-components").institutions[0]["name"] == "某医疗器械研究院"
    # A chain-level target declares every segment; those with no evidence are listed.
    assert "ivd" in d.declared_without_evidence
    assert "life-support" not in d.declared_without_evidence
    assert "core-components" not in d.declared_without_evidence
    # Declared by 深圳 shows up for 广东 too, not for 合肥's chain view of 深圳.
    d = diagnose("440000", chain, entities=entities, projects=[], declared=declared, baseline=None)
    assert [x.region_code for x in d.declared] == ["440300"]


def test_as_dict_is_json_ready(chain):
    import json

    d = diagnose(
        "440300",
        chain,
        entities=[_company(1, SZ, "ivd")],
        projects=[_project(1, SZ, "ivd", date(2025, 1, 1), 1e8)],
        declared=[DeclaredItem("target", "440300", SZ, CHAIN, "x", "…")],
        baseline=None,
        since=date(2024, 1, 1),
    )
    out = json.loads(json.dumps(d.as_dict(), ensure_ascii=False))
    assert out["since"] == "2024-01-01"
    assert out["by_verdict"]["present"] == ["ivd"]
    assert out["declared"][0]["regions"] == ["440000", "440300"]


# ------------------------------------------------------------------ declared priorities

POLICY = (
    "以新一代信息技术、汽车制造、新材料、绿色能源、生物技术、高端装备、健康食品等主导产业链群为"
    "“躯干”，做强存量，以新兴产业和未来产业为“两翼”，以生产性、生活性服务业为“尾翼”。"
)


def test_body_wings_tail_sentence(catalog):
    found = extract_priorities(POLICY, catalog)
    groups = structure(found)
    assert [(role, meta) for role, meta, _ in groups] == [
        ("主导产业链群", "躯干"),
        ("新兴产业和未来产业", "两翼"),
        ("生产性、生活性服务业", "尾翼"),
    ]
    assert groups[0][2] == [
        "新一代信息技术",
        "汽车制造",
        "新材料",
        "绿色能源",
        "生物技术",
        "高端装备",
        "健康食品",
    ]
    assert groups[2][2] == ["生产性服务业", "生活性服务业"]
    chains = {p.term: p.chain_id for p in found}
    assert chains["新一代信息技术"] == "electronic-info"
    assert chains["汽车制造"] == "automotive"
    assert chains["绿色能源"] == "new-energy"
    assert chains["未来产业"] is None  # a category, not a chain
    assert all(p.sentence.startswith("以新一代信息技术") for p in found)


def test_metaphor_introduced_then_filled_by_a_list(catalog):
    text = (
        "其产业布局可概括为：主导产业链群是“躯干”，新兴产业和未来产业是“两翼”。"
        "所谓“躯干”，指的是集成电路、生物医药等主导产业链群。"
    )
    groups = structure(extract_priorities(text, catalog))
    assert groups[0] == ("主导产业链群", "躯干", ["集成电路", "生物医药"])
    assert groups[1] == ("新兴产业和未来产业", "两翼", ["新兴产业", "未来产业"])


def test_gap_list_and_plain_text(catalog):
    text = "行动计划支持企业攻关高端影像设备、手术机器人等仍依赖进口的品类。"
    found = extract_priorities(text, catalog)
    assert [p.role for p in found] == ["补链", "补链"]
    robot = next(p for p in found if p.term == "手术机器人")
    assert (robot.chain_id, robot.segment_id) == ("medical-devices", "therapy-surgical-robots")
    assert extract_priorities("今年园区新签约项目12个。", catalog) == []
    assert map_term("生产性服务业", catalog) == (None, None)
