"""Curation operations re-applied on every resolve; a vanished target is reported."""

from __future__ import annotations

import pytest

from chainatlas.kb.curation import CurationError, Decision, validate
from chainatlas.kb.resolve import Gazetteers, resolve
from tests.kb.helpers import arg, fact, mention, money


@pytest.fixture(scope="module")
def gaz():
    return Gazetteers.default()


def key_of(result, m):
    return result.links[m.id].entity


def test_merge_absorbs_and_later_decisions_follow_the_merge():
    a, b = mention("d1", "柏垠生物"), mention("d2", "百垠生物")
    decisions = [
        Decision(1, "merge", {"into": "company:-:柏垠生物", "other": "company:-:百垠生物"}),
        Decision(2, "rename", {"entity": "company:-:百垠生物", "name": "深圳柏垠生物科技有限公司"}),
    ]
    r = resolve([a, b], (), Gazetteers(), decisions)
    assert key_of(r, a) == key_of(r, b) == "company:-:柏垠生物"
    assert r.find("company:-:百垠生物").name == "深圳柏垠生物科技有限公司"
    assert [rep["status"] for rep in r.curation_reports] == ["applied", "applied"]


def test_split_by_document_survives_and_is_addressable():
    ms = [mention("d1", "澜图科技"), mention("d2", "澜图科技"), mention("d3", "澜图科技")]
    split = Decision(
        7, "split", {"entity": "company:-:澜图科技", "documents": ["d3"], "name": "另一家澜图"}
    )
    attr = Decision(
        8, "set-attr", {"entity": "curated:7", "name": "region_code", "value": "340100"}
    )
    r = resolve(ms, (), Gazetteers(), [split, attr])
    assert key_of(r, ms[0]) == key_of(r, ms[1]) != key_of(r, ms[2]) == "curated:7"
    new = r.entities["curated:7"]
    assert new.name == "另一家澜图" and new.region_code == "340100" and new.origin == "curated"


def test_alias_add_links_an_english_name_and_alias_remove_splits_it_off(gaz):
    cn, en = mention("d1", "迈瑞医疗"), mention("d2", "Mindray")
    add = Decision(1, "alias-add", {"entity": "company:code:300760", "alias": "Mindray"})
    r = resolve([cn, en], (), gaz, [add])
    assert key_of(r, en) == "company:code:300760"
    remove = Decision(2, "alias-remove", {"entity": "company:code:300760", "alias": "mindray"})
    r = resolve([cn, en], (), gaz, [add, remove])
    assert key_of(r, en) != "company:code:300760" and key_of(r, cn) == "company:code:300760"
    assert "Mindray" not in r.entities["company:code:300760"].aliases


def test_reject_mention_retype_and_keep_apart(gaz):
    good, bad = mention("d1", "迈瑞医疗"), mention("d2", "科创板", start=5)
    lonely = mention("d3", "澜图科技")
    s, h = mention("d4", "苏州澜图科技有限公司"), mention("d5", "合肥澜图科技有限公司")
    decisions = [
        Decision(
            1, "reject-mention", {"document_id": "d2", "start": 5, "end": 8, "text": "科创板"}
        ),
        Decision(2, "retype", {"entity": "company:code:300760", "type": "research"}),
        Decision(3, "keep-apart", {"a": "company:?:澜图科技", "b": "company:320500:澜图科技"}),
    ]
    r = resolve([good, bad, lonely, s, h], (), gaz, decisions)
    assert bad.id not in r.links
    assert r.entities["company:code:300760"].type == "research"
    status = {frozenset((c.a, c.b)): c.status for c in r.candidates}
    assert status[frozenset(("company:?:澜图科技", "company:320500:澜图科技"))] == "rejected"
    assert status[frozenset(("company:?:澜图科技", "company:340100:澜图科技"))] == "open"


def test_rejecting_the_newest_fact_restores_the_older_value(gaz):
    m1, m2 = mention("d1", "迈瑞医疗"), mention("d2", "迈瑞")
    f1 = fact("d1", "investment_project", {"investor": arg(m1), "project": "基地项目",
              "amount": money(2e9, "20亿元")}, day=1)  # fmt: skip
    f2 = fact("d2", "investment_project", {"investor": arg(m2), "project": "基地项目",
              "amount": money(3e9, "30亿元")}, day=9)  # fmt: skip
    r = resolve([m1, m2], [f1, f2], gaz)
    ev = next(iter(r.events.values()))
    fp = next(ef.fingerprint for ef in ev.facts if ef.fact_id == f2.id)
    r = resolve([m1, m2], [f1, f2], gaz, [Decision(1, "reject-fact", {"fingerprint": fp})])
    ev = next(iter(r.events.values()))
    assert ev.current["amount"] == 2e9
    assert {ef.fact_id: ef.status for ef in ev.facts}[f2.id] == "rejected"
    assert len(ev.facts) == 2  # kept, not erased


def test_a_decision_whose_target_vanished_is_reported_not_raised():
    m = mention("d1", "柏垠生物")
    decisions = [
        Decision(1, "merge", {"into": "company:-:柏垠生物", "other": "company:-:不存在"}),
        Decision(
            2, "rename", {"entity": "company:-:旧名", "entity_name": "柏垠生物", "name": "新名"}
        ),
        Decision(3, "reject-fact", {"fingerprint": "nope"}),
        Decision(4, "rename", {"entity": "company:-:柏垠生物"}),  # malformed payload
        Decision(5, "rename", {"entity": "company:-:柏垠生物", "name": "停用"}, active=False),
    ]
    r = resolve([m], (), Gazetteers(), decisions)
    status = {rep["curation"]: rep["status"] for rep in r.curation_reports}
    assert status == {1: "missing", 2: "applied", 3: "missing", 4: "missing"}
    assert r.entities["company:-:柏垠生物"].name == "新名"  # found again by its name


def test_validation_rejects_unknown_ops_and_missing_fields():
    with pytest.raises(CurationError):
        validate("explode", {})
    with pytest.raises(CurationError):
        validate("merge", {"into": "a"})
    with pytest.raises(CurationError):
        validate("split", {"entity": "a"})
    validate("merge", {"into": "a", "other": "b"})
