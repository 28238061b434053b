"""The synthetic store generator at a tiny size, on both engines."""

from __future__ import annotations

from sqlalchemy import func, select

from chainatlas.bench.synthetic import build_synthetic_store
from chainatlas.store.kb_schema import EntityRow, FactEntityRow, MentionLinkRow
from chainatlas.store.placements import PlacementRecordRow
from chainatlas.store.schema import DocumentRow, FactRow, MentionRow
from chainatlas.store.search import search_documents


def _count(session, row) -> int:
    return session.scalar(select(func.count()).select_from(row))


def test_tiny_store_has_every_kind_of_row(store):
    summary = build_synthetic_store(store, documents=200, entities=100, seed=3)
    assert summary.documents == 200
    with store.session() as s:
        assert _count(s, DocumentRow) == 200
        assert _count(s, MentionRow) == summary.mentions > 200 * 5
        assert _count(s, MentionLinkRow) == summary.mentions
        assert _count(s, FactRow) == summary.facts
        assert _count(s, FactEntityRow) > summary.facts
        kinds = set(s.scalars(select(FactRow.kind).distinct()))
        assert {"investment_project", "holds_position"} <= kinds
        types = set(s.scalars(select(EntityRow.type).distinct()))
        assert {"company", "research", "park", "person", "region"} <= types
        # Every mention span points at its own surface text.
        for doc_text, start, end, surface in s.execute(
            select(DocumentRow.text, MentionRow.start, MentionRow.end, MentionRow.text)
            .join(DocumentRow, DocumentRow.id == MentionRow.document_id)
            .limit(300)
        ):
            assert doc_text[start:end] == surface
        # Counts the resolver would keep are filled in.
        assert s.scalar(select(func.max(EntityRow.mention_count))) > 1
        word = s.scalar(select(DocumentRow.title).limit(1)).split("：")[0][-4:]
        assert search_documents(s, word), word  # FTS rows (SQLite) / trigram index (PG)


def test_same_seed_same_store(tmp_path):
    from chainatlas.store.db import Store

    ids = []
    for name in ("a", "b"):
        st = Store(f"sqlite:///{tmp_path / name}.sqlite")
        build_synthetic_store(st, documents=60, entities=40, seed=7)
        with st.session() as s:
            ids.append(list(s.scalars(select(DocumentRow.id).order_by(DocumentRow.pk))))
        st.close()
    assert ids[0] == ids[1] and len(ids[0]) == 60


def test_classifier_places_synthetic_companies(sqlite_store):
    from chainatlas.jobs.place import run_place

    build_synthetic_store(sqlite_store, documents=200, entities=100, seed=1)
    report = run_place(sqlite_store)
    with sqlite_store.session() as s:
        companies = s.scalar(
            select(func.count())
            .select_from(PlacementRecordRow)
            .where(PlacementRecordRow.record_type == "company")
        )
    # Names carry chain keywords, so most companies land somewhere.
    assert report.placed >= 0.6 * report.records
    assert companies >= 50
