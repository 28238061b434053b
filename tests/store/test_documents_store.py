"""Storing documents on both engines: idempotence, duplicates, reposts, atomicity."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from chainatlas.store import documents
from chainatlas.store.db import Store, alembic_config, upgrade
from chainatlas.store.documents import Status
from chainatlas.store.schema import DocumentRow, DocumentSourceRow, MinHashBandRow
from tests.factories import OTHER_STORY, STORY, prepared

THRESHOLD = 0.5


def save(store: Store, doc):
    with store.session() as session:
        return documents.save(session, doc, near_dup_threshold=THRESHOLD)


def test_new_document_is_stored_with_its_source_and_signature(store):
    outcome = save(store, prepared("光明区签约医疗器械项目", STORY))
    assert outcome.status is Status.NEW
    with store.session() as session:
        row = documents.get(session, outcome.document_id)
        assert row.title == "光明区签约医疗器械项目"
        assert row.text == STORY
        assert row.published_at.tzinfo is not None
        assert [s.source for s in documents.sources_of(session, row.id)] == ["test.html"]
        bands = session.scalar(
            select(func.count())
            .select_from(MinHashBandRow)
            .where(MinHashBandRow.document_id == row.id)
        )
        assert bands == 32


def test_same_bytes_again_adds_nothing(store):
    doc = prepared("光明区签约医疗器械项目", STORY)
    save(store, doc)
    again = save(store, doc)
    assert again.status is Status.DUPLICATE
    assert "already ingested" in again.detail
    with store.session() as session:
        assert documents.count(session) == 1
        assert session.scalar(select(func.count()).select_from(DocumentSourceRow)) == 1


def test_same_content_from_another_source_is_a_duplicate_with_both_sources_kept(store):
    first = save(store, prepared("光明区签约医疗器械项目", STORY, source="a.html"))
    second = save(store, prepared("光明区签约医疗器械项目", STORY, source="b.html"))
    assert second.status is Status.DUPLICATE
    assert second.document_id == first.document_id
    with store.session() as session:
        assert documents.count(session) == 1
        assert {s.source for s in documents.sources_of(session, first.document_id)} == {
            "a.html",
            "b.html",
        }


def test_repost_with_edits_is_clustered_under_the_first(store):
    original = save(store, prepared("光明区签约医疗器械项目", STORY, source="a.html"))
    edited = (
        "（本文转自园区招商示例网）" + STORY.replace("力争三年内", "争取在三年内") + "编辑：小李"
    )
    repost = save(store, prepared("深圳光明区：医疗器械项目签约", edited, source="b.html"))
    third = save(store, prepared("医疗器械项目落地光明", STORY[:-20] + "（完）", source="c.html"))
    assert repost.status is Status.NEAR_DUPLICATE
    assert third.status is Status.NEAR_DUPLICATE
    with store.session() as session:
        rows = {r.id: r for r in session.scalars(select(DocumentRow))}
        assert rows[repost.document_id].dup_of == original.document_id
        assert rows[third.document_id].dup_of == original.document_id  # canonical, not chained
        assert rows[original.document_id].dup_of is None
        cluster = {d.id for d in documents.near_duplicates(session, original.document_id)}
        assert cluster == {repost.document_id, third.document_id}


def test_different_story_is_not_a_near_duplicate(store):
    save(store, prepared("光明区签约医疗器械项目", STORY))
    other = save(store, prepared("合肥动力电池产线投产", OTHER_STORY))
    assert other.status is Status.NEW


def test_failed_transaction_leaves_nothing_behind(store):
    doc = prepared("光明区签约医疗器械项目", STORY)
    with pytest.raises(RuntimeError), store.session() as session:
        documents.save(session, doc, near_dup_threshold=THRESHOLD)
        raise RuntimeError("killed mid-write")
    with store.session() as session:
        assert documents.count(session) == 0
        assert session.scalar(select(func.count()).select_from(DocumentSourceRow)) == 0
        assert session.scalar(select(func.count()).select_from(MinHashBandRow)) == 0
        if store.dialect == "sqlite":
            assert session.scalar(text("SELECT count(*) FROM documents_fts")) == 0
    assert save(store, doc).status is Status.NEW


def test_migrating_twice_is_a_no_op(store):
    head = ScriptDirectory.from_config(alembic_config(store.engine)).get_current_head()
    upgrade(store.engine)
    with store.session() as session:
        assert session.scalar(text("SELECT version_num FROM alembic_version")) == head


def test_iter_all_streams_every_document_in_order(store):
    ids = [
        save(
            store, prepared(f"标题{i}", OTHER_STORY * (i + 1) + f"第{i}篇", source=f"{i}.html")
        ).document_id
        for i in range(7)
    ]
    with store.session() as session:
        assert [r.id for r in documents.iter_all(session, batch=3)] == ids
