"""Two things a user of the demo store sees: an organisation's region comes from what the
text says about where it is, and a partial name finds the entity."""

from __future__ import annotations

from chainatlas.store import kb


def test_located_in_facts_give_an_organisation_its_region(demo_store):
    with demo_store.session() as s:
        longi = kb.find_entities(s, "隆基绿能科技股份有限公司")[0]
        byd = kb.find_entities(s, "比亚迪")[0]
        dongfeng = kb.find_entities(s, "东风汽车集团")[0]
    assert longi.region_code == "610100"  # 总部位于西安的隆基绿能…
    assert byd.region_code == "440300"  # 比亚迪总部位于深圳…
    assert dongfeng.region_code == "420100"  # …总部位于武汉经济技术开发区 (a park in 武汉)


def test_a_region_in_the_name_is_not_overridden(demo_store):
    with demo_store.session() as s:
        rows = [e for e in kb.find_entities(s, "深圳迈瑞") if e.type == "company"]
    assert rows and all(e.region_code and e.region_code.startswith("4403") for e in rows)


def test_partial_names_find_entities_exact_names_first(demo_store):
    with demo_store.session() as s:
        assert [e.name for e in kb.find_entities(s, "隆基绿能")] == ["隆基绿能科技股份有限公司"]
        exact = kb.find_entities(s, "比亚迪")
        assert len(exact) == 1  # an exact alias wins; no partial noise added
        assert kb.find_entities(s, "比") == []  # one character is too little to guess from


def test_like_wildcards_in_a_query_are_literal(demo_store):
    with demo_store.session() as s:
        assert kb.find_entities(s, "%%") == []
        assert kb.find_entities(s, "__") == []
        assert kb.find_entities(s, "' OR 1=1 --") == []
