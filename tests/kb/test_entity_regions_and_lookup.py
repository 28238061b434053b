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


def test_common_and_rare_partial_names_give_the_same_order(store):
    """A pattern matching more aliases than the common-pattern threshold takes the other
    query plan (walk by mention count); both plans must rank exactly alike."""
    from datetime import UTC, datetime

    from chainatlas.store.kb_schema import EntityAliasRow, EntityRow

    now = datetime.now(UTC)
    with store.session() as s:
        for i in range(kb._COMMON_PATTERN + 40):
            name = f"澄{i:03d}精密器械有限公司" if i % 3 else f"澄{i:03d}光电有限公司"
            s.add(
                EntityRow(
                    id=f"t{i:05d}", key=f"company:{name}", type="company", name=name, attrs={},
                    region_code=None, origin="extracted", mention_count=(i * 37) % 101,
                    document_count=1, merged_keys=[], created_at=now, updated_at=now,
                )
            )  # fmt: skip
            s.flush()  # the alias's foreign key needs the entity row first
            s.add(EntityAliasRow(entity_id=f"t{i:05d}", alias=name, norm=name, mentions=1))
        # Rarely mentioned, but its name starts with the fragment: ranked first.
        s.add(
            EntityRow(
                id="p00001", key="company:精密器械研究所", type="research", name="精密器械研究所",
                attrs={}, region_code=None, origin="extracted", mention_count=0,
                document_count=1, merged_keys=[], created_at=now, updated_at=now,
            )
        )  # fmt: skip
        s.flush()
        s.add(
            EntityAliasRow(
                entity_id="p00001", alias="精密器械研究所", norm="精密器械研究所", mentions=1
            )
        )
    with store.session() as s:
        common = kb.find_entities(s, "有限公司", limit=12)  # every alias: walk plan
        rare = kb.find_entities(s, "光电有限", limit=12)  # a third of them: sort plan
        starts = kb.find_entities(s, "精密器械", limit=5)  # 227 contain it; one starts with it
        rows = s.query(EntityRow).filter(EntityRow.id.like("t%")).all()
    ranked = sorted(rows, key=lambda e: (-e.mention_count, e.id))
    assert [e.id for e in common] == [e.id for e in ranked[:12]]
    assert [e.id for e in rare] == [e.id for e in ranked if "光电" in e.name][:12]
    assert [e.id for e in starts] == ["p00001", *[e.id for e in ranked if "精密" in e.name][:4]]


def test_an_academy_in_a_persons_title_gives_it_no_evidence(demo_store):
    """中国科学院院士俞大鹏: the sentence is about 深圳国际量子研究院, not the academy."""
    with demo_store.session() as s:
        academy = kb.find_entities(s, "中国科学院")[0]
        institute = kb.find_entities(s, "深圳国际量子研究院")[0]
        sentences = {
            eid: [
                t
                for e, t, _doc, _at in kb.entity_sentences(s, [academy.id, institute.id])
                if e == eid
            ]
            for eid in (academy.id, institute.id)
        }
    assert not any("俞大鹏" in t for t in sentences[academy.id])
    assert any("俞大鹏" in t for t in sentences[institute.id])
