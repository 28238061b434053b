"""Resolution rules on small hand-made corpora, including the demo corpus's traps."""

from __future__ import annotations

import time

import pytest

from chainatlas.kb.resolve import MERGE_THRESHOLD, Gazetteers, MentionIn, resolve
from tests.kb.helpers import arg, fact, mention, money


@pytest.fixture(scope="module")
def gaz():
    return Gazetteers.default()


def entity_of(result, m):
    return result.entities[result.links[m.id].entity]


def test_short_forms_suffixes_and_script_variants_become_one_listed_company(gaz):
    ms = [
        mention("d1", "深圳迈瑞生物医疗电子股份有限公司"),
        mention("d1", "迈瑞"),
        mention("d2", "迈瑞医疗"),
        mention("d3", "迈瑞"),
        mention("d4", "比亞迪"),
        mention("d5", "比亚迪股份有限公司"),
    ]
    r = resolve(ms, (), gaz)
    mindray = {entity_of(r, m).key for m in ms[:4]}
    assert mindray == {"company:code:300760"}
    e = r.entities["company:code:300760"]
    assert e.name == "深圳迈瑞生物医疗电子股份有限公司"
    assert e.attrs["stock_code"] == "300760" and e.attrs["shenwan_name"] == "医疗设备"
    assert e.region_code == "440300" and e.origin == "gazetteer"
    assert entity_of(r, ms[4]) is entity_of(r, ms[5])
    assert all(r.links[m.id].score >= MERGE_THRESHOLD and r.links[m.id].reason for m in ms)


def test_a_stock_code_links_a_renamed_company(gaz):
    # The reference data still calls 002648 by its former name 卫星石化.
    a = mention("d1", "卫星化学(002648)")
    b = mention("d2", "浙江卫星石化股份有限公司")
    r = resolve([a, b], (), gaz)
    e = entity_of(r, a)
    assert e is entity_of(r, b) and e.key == "company:code:002648"
    assert r.links[a.id].reason == "code" and r.links[a.id].score == 1.0
    assert "卫星化学(002648)" in e.aliases and e.attrs["listed_name"] == "卫星石化"


def test_region_prefix_variants_merge_without_a_gazetteer():
    ms = [
        mention("d1", "深圳柏垠生物"),
        mention("d2", "柏垠生物"),
        mention("d3", "深圳市柏垠生物科技有限公司"),
    ]
    r = resolve(ms, (), Gazetteers())
    assert len({entity_of(r, m).key for m in ms}) == 1
    assert entity_of(r, ms[0]).name == "深圳市柏垠生物科技有限公司"


def test_same_short_name_in_two_cities_stays_two_and_context_decides(gaz):
    suzhou = mention("d7", "苏州澜图科技有限公司")
    hefei = mention("d34", "合肥澜图科技有限公司")
    short_same_doc = mention("d7", "澜图科技")
    short_region = mention("d40", "澜图科技")
    hefei_region = mention("d40", "合肥", "region", code="340100")
    short_nowhere = mention("d50", "澜图科技")
    r = resolve([suzhou, hefei, short_same_doc, short_region, hefei_region, short_nowhere], (), gaz)
    assert entity_of(r, suzhou) is not entity_of(r, hefei)
    assert entity_of(r, short_same_doc) is entity_of(r, suzhou)
    assert r.links[short_same_doc.id].reason.startswith("context")
    assert entity_of(r, short_region) is entity_of(r, hefei)
    lonely = entity_of(r, short_nowhere)
    assert lonely not in (entity_of(r, suzhou), entity_of(r, hefei))
    pairs = {frozenset((c.a, c.b)) for c in r.candidates if c.b != c.a}
    assert frozenset((lonely.key, entity_of(r, suzhou).key)) in pairs
    assert frozenset((lonely.key, entity_of(r, hefei).key)) in pairs
    assert all(c.score < MERGE_THRESHOLD for c in r.candidates)


def test_two_people_with_one_name_in_different_companies_stay_two(gaz):
    org1, p1 = mention("d7", "苏州澜图科技有限公司"), mention("d7", "张伟", "person")
    org2, p2 = mention("d27", "成都锦算智能科技有限公司"), mention("d27", "张伟", "person")
    p1b = mention("d7", "张伟", "person")  # same article: same person
    org3, p3 = mention("d8", "苏州澜图科技有限公司"), mention("d8", "张伟", "person")
    p4 = mention("d9", "张伟", "person")  # no organisation known
    facts = [
        fact("d7", "holds_position", {"person": arg(p1), "position": "总经理", "org": arg(org1)}),
        fact("d27", "holds_position", {"person": arg(p2), "position": "创始人", "org": arg(org2)}),
        fact("d8", "holds_position", {"person": arg(p3), "position": "总经理", "org": arg(org3)}),
    ]
    r = resolve([org1, p1, org2, p2, p1b, org3, p3, p4], facts, gaz)
    assert entity_of(r, p1) is not entity_of(r, p2)
    assert entity_of(r, p1) is entity_of(r, p1b) is entity_of(r, p3)
    assert r.links[p3.id].reason == "context: same organisation"
    assert entity_of(r, p4) not in (entity_of(r, p1), entity_of(r, p2))
    weak = [c for c in r.candidates if entity_of(r, p4).key in (c.a, c.b)]
    assert len(weak) == 2 and all(c.score < MERGE_THRESHOLD for c in weak)


def test_government_bodies_are_keyed_by_region_and_expanded_name(gaz):
    a = mention("d1", "广东省科技厅", "government")
    b = mention("d2", "广东省科学技术厅", "government")
    c = mention("d3", "深圳市发改委", "government")
    d = mention("d4", "市发改委", "government")
    sz = mention("d4", "深圳", "region", code="440300")
    e = mention("d5", "市发改委", "government")  # no city named: stays local
    f = mention("d6", "招商部门", "government")
    g = mention("d7", "招商部门", "government")
    r = resolve([a, b, c, d, sz, e, f, g], (), gaz)
    assert entity_of(r, a) is entity_of(r, b)
    assert entity_of(r, a).key == "government:440000:科学技术厅"
    assert entity_of(r, c) is entity_of(r, d)
    assert r.links[d.id].reason == "context: article region"
    assert entity_of(r, e) is not entity_of(r, c)
    assert entity_of(r, f) is not entity_of(r, g)  # generic nouns never merge across articles


def test_generic_listed_short_names_are_candidates_not_links(gaz):
    robot = mention("d1", "机器人", stock_code="300024", exchange="SZ", listed_name="机器人")
    r = resolve([robot], (), gaz)
    assert entity_of(r, robot).key != "company:code:300024"


def test_generic_org_names_keep_their_region():
    a = mention("d1", "广州实验室", "research")
    b = mention("d2", "广东省实验室", "research")
    c = mention("d3", "光明科学城", "park")
    d = mention("d4", "深圳光明科学城", "park")
    r = resolve([a, b, c, d], (), Gazetteers())
    assert entity_of(r, a) is not entity_of(r, b)
    assert entity_of(r, c) is entity_of(r, d)


def test_one_event_from_several_outlets_keeps_every_value_and_source(gaz):
    m1, m2 = mention("d1", "迈瑞医疗"), mention("d2", "迈瑞")
    f_old = fact("d1", "investment_project", {"investor": arg(m1), "project": "光明研发基地项目",
                 "amount": money(2e9, "20亿元"), "stage": "签约"}, day=1)  # fmt: skip
    f_new = fact("d2", "investment_project", {"investor": arg(m2), "project": "光明研发基地项目",
                 "amount": money(3e9, "30亿元"), "stage": "开工"}, day=20)  # fmt: skip
    r = resolve([m1, m2], [f_new, f_old], gaz)
    assert len(r.events) == 1
    ev = next(iter(r.events.values()))
    assert ev.subject == "company:code:300760"
    assert {ef.document_id for ef in ev.facts} == {"d1", "d2"}
    assert ev.current["amount"] == 3e9 and ev.current["stage"] == "开工"
    assert "amount" in ev.conflicts and len(ev.values["amount"]) == 2
    old = next(ef for ef in ev.facts if ef.fact_id == f_old.id)
    assert old.superseded and not next(ef for ef in ev.facts if ef.fact_id == f_new.id).superseded
    assert (f_old.id, "investor", "company:code:300760") in r.fact_args


def test_many_mentions_resolve_quickly(gaz):
    ms: list[MentionIn] = []
    for i in range(4000):
        doc = f"d{i}"
        ms.append(mention(doc, f"深圳市测{i % 500:03d}科技有限公司"))
        ms.append(mention(doc, f"测{i % 500:03d}科技"))
        ms.append(mention(doc, "张三", "person"))
        ms.append(mention(doc, "深圳", "region", code="440300"))
    started = time.perf_counter()
    r = resolve(ms, (), gaz)
    assert time.perf_counter() - started < 5
    assert sum(1 for e in r.entities.values() if e.type == "company") == 500
