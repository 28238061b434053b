"""The resolve job against a real store (SQLite and PostgreSQL): tables replaced whole,
profiles assembled, and curations still in force after documents are re-extracted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from chainatlas.extract.records import Arg, EntityType, Extraction, Fact, FactKind, Mention, Money
from chainatlas.jobs import extract as extract_job
from chainatlas.jobs.resolve import run_resolve
from chainatlas.store import documents, kb
from chainatlas.store.kb_schema import CurationRow, EntityRow, MentionLinkRow
from tests.factories import prepared

DOC_A = "深圳迈瑞生物医疗电子股份有限公司在光明区签约新基地。迈瑞表示项目总投资20亿元。总经理张伟出席。苏州澜图科技有限公司也到场。"
DOC_B = "迈瑞医疗光明基地开工，总投资增至30亿元。合肥澜图科技有限公司总经理张伟介绍了隔膜涂层项目。"


def _span(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(word, i + 1)
    return i, i + len(word)


def fake_extract(doc, resources=None):
    """Deterministic stand-in for the model: finds a fixed word list."""
    mentions, facts = [], []
    words = [("深圳迈瑞生物医疗电子股份有限公司", EntityType.COMPANY), ("迈瑞医疗", EntityType.COMPANY),
             ("迈瑞", EntityType.COMPANY), ("苏州澜图科技有限公司", EntityType.COMPANY),
             ("合肥澜图科技有限公司", EntityType.COMPANY), ("张伟", EntityType.PERSON)]  # fmt: skip
    taken: list[tuple[int, int]] = []
    for word, etype in words:
        start = doc.text.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                mentions.append(Mention(start, end, word, etype, 0.9, "fake.v1"))
            start = doc.text.find(word, end)
    by_text = {m.text: m for m in mentions}
    investor = by_text.get("迈瑞") or by_text.get("迈瑞医疗")
    amount = "20亿元" if "20亿元" in doc.text else "30亿元"
    if investor:
        facts.append(Fact(FactKind.INVESTMENT_PROJECT, {
            "investor": Arg(investor.text, investor.start, investor.end, EntityType.COMPANY),
            "project": "光明基地", "amount": Money(amount, float(amount[:2]) * 1e8),
        }, 0, 10, doc.text[:10], 0.8, "fake.v1"))  # fmt: skip
    person = by_text.get("张伟")
    org = by_text.get("苏州澜图科技有限公司") or by_text.get("合肥澜图科技有限公司")
    if person and org:
        facts.append(Fact(FactKind.HOLDS_POSITION, {
            "person": Arg(person.text, person.start, person.end, EntityType.PERSON),
            "position": "总经理", "org": Arg(org.text, org.start, org.end, EntityType.COMPANY),
        }, 0, 10, doc.text[:10], 0.8, "fake.v1"))  # fmt: skip
    return Extraction(doc.id, extract_job.EXTRACTOR_VERSION, mentions, facts)


@pytest.fixture
def filled(store, monkeypatch):
    monkeypatch.setattr(extract_job, "extract", fake_extract)
    with store.session() as session:
        for i, (title, text, day) in enumerate([("甲", DOC_A, 1), ("乙", DOC_B, 20)]):
            documents.save(
                session,
                prepared(title, text, source=f"{i}.html",
                         published=datetime(2024, 6, day, tzinfo=UTC)),
                near_dup_threshold=0.99,
            )  # fmt: skip
    extract_job.run_extract(store)
    return store


def mindray_id(store) -> str:
    with store.session() as session:
        hits = kb.find_entities(session, "迈瑞")
    assert len(hits) == 1
    return hits[0].id


def test_resolution_is_stored_and_profiled(filled):
    report = run_resolve(filled)
    assert report.mentions > 0 and report.counts["entities"] > 0
    with filled.session() as session:
        assert session.scalar(select(func.count()).select_from(MentionLinkRow)) == report.mentions
        people = session.scalars(select(EntityRow).where(EntityRow.type == "person")).all()
        assert len(people) == 2  # two 张伟 in two companies
        profile = kb.entity_profile(session, mindray_id(filled))
    assert profile["codes"]["stock_code"] == "300760"
    assert {a["alias"] for a in profile["aliases"]} >= {"迈瑞", "迈瑞医疗"}
    assert profile["document_count"] == 2
    [fact_a, fact_b] = profile["facts"]["investment_project"]
    assert fact_a["superseded"] and not fact_b["superseded"]  # newer report wins, older kept
    assert all(d["evidence"][0]["sentence"] for d in profile["documents"])
    assert len(profile["timeline"]) == 2
    # A second run replaces, not duplicates, and keeps entity ids and first-seen times.
    again = run_resolve(filled)
    assert again.counts == report.counts
    with filled.session() as session:
        assert kb.entity_profile(session, mindray_id(filled))["created_at"] == profile["created_at"]


def test_curations_stay_in_force_after_re_extraction(filled):
    run_resolve(filled)
    with filled.session() as session:
        people = session.scalars(select(EntityRow).where(EntityRow.type == "person")).all()
        a, b = sorted(people, key=lambda e: e.key)
        kb.add_curation(session, "merge", {"into": a.key, "other": b.key}, author="分析员甲",
                        reason="同一人，已电话核实")  # fmt: skip
        kb.add_curation(session, "rename", {"entity": "company:code:300760", "name": "迈瑞医疗"},
                        author="分析员甲")  # fmt: skip
        kb.add_curation(session, "merge", {"into": "company:-:无", "other": "company:-:也无"},
                        author="分析员乙")  # fmt: skip
    run_resolve(filled)
    # `extract --rebuild`: every document re-extracted (new mention and fact ids), then
    # resolve again.
    assert extract_job.run_extract(filled, rebuild=True).ok == 2
    report = run_resolve(filled)
    assert [c["status"] for c in report.curations] == ["applied", "applied", "missing"]
    with filled.session() as session:
        people = session.scalars(select(EntityRow).where(EntityRow.type == "person")).all()
        assert len(people) == 1
        assert session.get(EntityRow, mindray_id(filled)).name == "迈瑞医疗"
        rows = session.scalars(select(CurationRow).order_by(CurationRow.id)).all()
        assert [r.last_status for r in rows] == ["applied", "applied", "missing"]
        assert rows[0].author == "分析员甲" and rows[0].reason == "同一人，已电话核实"


def test_invalid_curations_are_not_stored(store):
    from chainatlas.kb.curation import CurationError

    with pytest.raises(CurationError), store.session() as session:
        kb.add_curation(session, "merge", {"into": "x"}, author="甲")
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(CurationRow)) == 0
