"""Issue 6: the leaders file (standing), debris names and co-occurrence-only placements."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chainatlas.chains.diagnose import Diagnosis, Placement, SegmentDiagnosis
from chainatlas.match.firm_names import is_plausible_firm_name
from chainatlas.match.invest import Candidate, EvidenceSentence, match_invest
from chainatlas.match.leaders import (
    LEADERS_SOURCE,
    STANDING_ELSEWHERE,
    Leader,
    LeaderTable,
    load_leaders,
)
from chainatlas.match.own_activity import own_activity

CHAIN = "robotics"


def _diagnosis(*segments: str) -> Diagnosis:
    segs = [SegmentDiagnosis(s, s, "midstream", "中游", verdict="missing") for s in segments]
    return Diagnosis("330100", CHAIN, "智能机器人", None, segs, [], {}, [], {}, "杭州市")


def _listed(code: str, name: str, *segs: str, sw: str = "640701") -> Candidate:
    return Candidate(
        id=f"listed:{code}",
        name=name,
        regions=frozenset({"320000", "320500"}),
        placements=tuple(Placement(CHAIN, s, 0.98, f"{sw} 机器人") for s in segs),
        source="listed",
        listed=True,
        stock_code=code,
        listed_on="2010-01-01",
    )


def _store(name: str, seg: str, evidence: str, conf: float = 0.8) -> Candidate:
    return Candidate(
        id=name,
        name=name,
        regions=frozenset({"440000", "440300"}),
        placements=(Placement(CHAIN, seg, conf, evidence),),
        sentences=(EvidenceSentence(evidence.split("：", 1)[-1], "doc1"),),
        documents=1,
    )


TABLE = LeaderTable(
    [
        Leader("600002", "乙机器人", "640701", "", "行业龙头"),
        Leader("600003", "丙传动", "280203", "robotics/reducers", "RV减速器龙头"),
        Leader("600004", "丁电驱", "630101", "", "行业龙头"),
    ]
)


def test_a_leader_breaks_a_tie_that_listing_age_used_to_break():
    older = _listed("600001", "甲自动化", "industrial-robots")  # listed earlier, same code
    older = replace(older, listed_on="1999-01-01")
    leader = _listed("600002", "乙机器人", "industrial-robots")
    ranked = match_invest(_diagnosis("industrial-robots"), [older, leader], leaders=TABLE)
    assert [m.name for m in ranked] == ["乙机器人", "甲自动化"]
    assert ranked[0].parts["standing"] == 1.0 and ranked[1].parts["standing"] == 0.0
    assert {"sentence": "乙机器人：行业龙头（申万 640701）", "document_id": LEADERS_SOURCE} in (
        ranked[0].evidence
    )
    # Without the file the old order (longer listing) comes back: the part does the work.
    plain = match_invest(_diagnosis("industrial-robots"), [older, leader], leaders=LeaderTable([]))
    assert [m.name for m in plain] == ["甲自动化", "乙机器人"]


def test_curated_segment_adds_a_segment_the_code_does_not_reach():
    # Filed under 底盘与发动机系统, on the chain's drive segment by its code; the file says
    # it leads reducers too, so a whole-chain need shows both segments.
    gear = Candidate(
        id="listed:600003",
        name="丙传动",
        regions=frozenset({"320000"}),
        placements=(Placement(CHAIN, "servo-motors", 0.6, "280203 底盘与发动机系统"),),
        source="listed",
        listed=True,
        stock_code="600003",
    )
    other = _listed("600009", "戊通用", "reducers", sw="640106")
    ranked = match_invest(_diagnosis("reducers", "servo-motors"), [other, gear], leaders=TABLE)
    assert ranked[0].name == "丙传动"
    on = {s["segment_id"]: s["confidence"] for s in ranked[0].segments}
    assert on == {"reducers": pytest.approx(0.95), "servo-motors": pytest.approx(0.6)}
    assert ranked[0].parts["standing"] == 1.0
    # On a segment it is already on, the surer placement counts (round 2: the file names
    # the firm for exactly this segment, a weak text hit must not hide that) …
    again = replace(gear, placements=(Placement(CHAIN, "reducers", 0.3, "传动：丙传动"),))
    only = match_invest(_diagnosis("reducers"), [again], leaders=TABLE)
    assert only[0].segments[0]["confidence"] == pytest.approx(0.95)
    # … and a surer placement of its own stands.
    sure = replace(gear, placements=(Placement(CHAIN, "reducers", 0.99, "280203 减速器"),))
    only = match_invest(_diagnosis("reducers"), [sure], leaders=TABLE)
    assert only[0].segments[0]["confidence"] == pytest.approx(0.99)


def test_file_order_ranks_leaders_within_a_group():
    table = LeaderTable(
        [
            Leader("600011", "一号", "640701", "", "行业龙头"),
            Leader("600012", "二号", "640701", "", "行业龙头"),
            Leader("600013", "三号", "640701", "", "行业龙头"),
            Leader("600014", "减速甲", "640106", "robotics/reducers", "减速器龙头"),
        ]
    )
    values = [
        table.standing(code, "robotics/industrial-robots", [], code_only=True).value
        for code in ("600011", "600012", "600013")
    ]
    assert values == pytest.approx([1.0, 0.9, 0.8])
    # A segment row starts its own group.
    assert table.standing("600014", "robotics/reducers", [], code_only=True).value == 1.0
    ranked = match_invest(
        _diagnosis("industrial-robots"),
        [_listed(c, n, "industrial-robots") for c, n in (("600013", "三号"), ("600011", "一号"))],
        leaders=table,
    )
    assert [m.name for m in ranked] == ["一号", "三号"]


def test_a_leader_of_another_industry_keeps_a_smaller_standing():
    found = TABLE.standing(
        "600004",
        "robotics/servo-motors",
        [Placement(CHAIN, "servo-motors", 0.6, "伺服电机：丁电驱推出伺服电机")],
        code_only=False,
    )
    assert found.value == STANDING_ELSEWHERE
    by_code = TABLE.standing(
        "600004",
        "robotics/servo-motors",
        [Placement(CHAIN, "servo-motors", 0.9, "630101 电机Ⅲ")],
        code_only=False,
    )
    assert by_code.value == 1.0


def test_debris_typed_as_company_is_dropped_but_listed_short_names_are_kept():
    debris = _store(
        "深圳凭借电子", "industrial-robots", "工业机器人：深圳凭借电子制造优势发展工业机器人"
    )
    generic = _store("机器人", "industrial-robots", "工业机器人：机器人产业规模扩大")
    real = _store("宇树科技", "industrial-robots", "工业机器人：宇树科技发布工业机器人新品")
    listed_generic = _listed("300024", "机器人", "industrial-robots")  # 新松's real short name
    names = [
        m.name
        for m in match_invest(
            _diagnosis("industrial-robots"),
            [debris, generic, real, listed_generic],
            leaders=LeaderTable([]),
        )
    ]
    assert names == ["宇树科技", "机器人"]


@pytest.mark.parametrize(
    "name, ok",
    [
        ("机器人", False),
        ("合肥新能源汽车", False),
        ("西安已形成半导体", False),
        ("工业视觉公司", False),
        ("深圳拥有迈瑞医疗", False),
        ("宇树科技", True),
        ("绿的谐波", True),
        ("华润", True),
        ("苏州澜图科技有限公司", True),
        ("中芯国际(688981)", True),
    ],
)
def test_plausible_firm_names(name, ok):
    assert is_plausible_firm_name(name) is ok


@pytest.mark.parametrize(
    "name, evidence, own",
    [
        # same clause, the firm doing it
        ("长岭存储", "存储器：长岭存储主营动态随机存储器的设计与制造。", True),
        # subject carried into the next clause
        ("河西精机", "减速器：河西精机与某区签约，拟建精密减速器产线。", True),
        # a short topic clause before a clause the firm opens
        ("北岸芯测", "芯片测试：芯片测试领域，北岸芯测完成新一轮融资。", True),
        # listed after another firm's keyword, across an enumeration comma
        ("南星显示", "存储芯片：东湖存储的存储芯片基地、南星显示的面板产线相邻。", False),
        # another firm's long clause before
        ("西岭微", "存储芯片：海外厂商在本市建有存储芯片工厂，西岭微在高新区建设晶圆线。", False),
        # the firm is an object, the keyword is someone else's plan
        ("东岳汽车", "线束：各地引进东岳汽车项目后，规划承接线束等配套。", False),
        # no judgement: a code placement, or the firm not in the sentence
        ("东岳汽车", "280501 电动乘用车", None),
        ("东岳汽车", "线束：线束企业加快布局。", None),
    ],
)
def test_own_activity(name, evidence, own):
    assert own_activity(name, evidence) is own


def test_cooccurrence_only_placement_counts_at_half_confidence():
    about_it = _store("长岭存储", "industrial-robots", "工业机器人：长岭存储量产工业机器人。", 0.8)
    nearby = _store(
        "南星显示", "industrial-robots", "工业机器人：东湖的工业机器人基地、南星显示的产线。", 0.8
    )
    ranked = match_invest(
        _diagnosis("industrial-robots"), [nearby, about_it], leaders=LeaderTable([])
    )
    assert [m.name for m in ranked] == ["长岭存储", "南星显示"]
    assert ranked[1].segments[0]["confidence"] == pytest.approx(0.4)


def test_shipped_leaders_file_is_consistent_with_gazetteer_and_templates():
    from chainatlas.chains.templates import load_chains
    from chainatlas.jobs.invest import _listed_rows

    table, listed, catalog = load_leaders(), _listed_rows(), load_chains()
    segments = {s.key for chain in catalog for s in chain.segments}
    assert len(table) > 500
    for r in table.rows:
        assert r.code in listed, r
        assert listed[r.code].shenwan_code == r.shenwan_code, r
        assert r.basis, r
        assert not r.segment or r.segment in segments, r
    # Coverage: nearly every template code with listed firms names some leaders (catch-all
    # codes such as 其他通用设备 are left to segment-named rows on purpose).
    used = {sw.code for chain in catalog for s in chain.segments for sw in s.shenwan}
    with_firms = {c.shenwan_code for c in listed.values()} & used
    covered = {r.shenwan_code for r in table.rows if not r.segment}
    assert len(covered & with_firms) >= 0.9 * len(with_firms)


def test_per_need_lists_each_ranking_with_its_scores():
    from chainatlas.match.evaluate_invest import GoldNeed, per_need

    gold = [
        GoldNeed("n1", "杭州", CHAIN, None, ("甲", "乙")),
        GoldNeed("n2", "杭州", CHAIN, None, ("丙",)),
    ]
    rows = per_need(gold, lambda need: ["x", "甲"] if need.id == "n1" else ["丙"])
    assert [r["id"] for r in rows] == ["n1", "n2"]
    assert rows[0]["top10"] == ["x", "甲"] and rows[0]["mrr"] == 0.5 and rows[0]["recall@5"] == 0.5
    assert rows[1]["mrr"] == 1.0


def test_home_from_the_file_keeps_a_leader_out_of_its_own_region():
    table = LeaderTable([Leader("600021", "杭电机", "640701", "", "行业龙头", home_code="330100")])
    firm = replace(_listed("600021", "杭电机", "industrial-robots"), regions=frozenset())
    assert match_invest(_diagnosis("industrial-robots"), [firm], leaders=table) == []
    # Elsewhere it ranks with its home known: no unknown-place discount, no note.
    elsewhere = replace(_diagnosis("industrial-robots"), region_code="320500")
    ranked = match_invest(elsewhere, [firm], leaders=table)
    assert ranked and not ranked[0].notes
    unknown = match_invest(elsewhere, [firm], leaders=LeaderTable([]))
    assert unknown[0].score < ranked[0].score and unknown[0].notes


def test_shipped_homes_roll_up_like_the_region_gazetteer():
    from chainatlas.kb.regions import RegionGazetteer

    gaz = RegionGazetteer.load()
    homes = {r.home_code for r in load_leaders().rows if r.home_code}
    assert len(homes) > 100
    for code in homes:
        region = gaz.get(code)
        assert region is not None, code
        rolled = {r.code for r in gaz.rollup(code)}
        regions, name = load_leaders().home(
            next(r.code for r in load_leaders().rows if r.home_code == code)
        )
        assert rolled <= regions, code
        assert name == region.full_name
