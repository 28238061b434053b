"""Two writers storing the same bytes: the store's unique index refuses the second insert
and the job retries it as a duplicate — nothing is stored twice, nothing is lost."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from chainatlas.jobs.ingest import _store_one
from chainatlas.settings import IngestSettings
from chainatlas.store import documents
from chainatlas.store.schema import DocumentSourceRow, IngestRunRow
from tests.factories import STORY, prepared


def test_same_bytes_from_a_concurrent_writer_become_a_duplicate(store):
    with store.session() as session:
        run = IngestRunRow(started_at=datetime.now(UTC), arguments=[], counts={})
        session.add(run)
        session.flush()
        run_id = run.id
    doc = prepared("光明区签约医疗器械项目", STORY)
    # Both writers passed triage before either stored: each skips the same-bytes lookup.
    first = _store_one(store, doc, IngestSettings(), run_id)
    second = _store_one(store, doc, IngestSettings(), run_id)
    assert first.status == "new"
    assert second.status == "duplicate" and second.document_id == first.document_id
    with store.session() as session:
        assert documents.count(session) == 1
        assert session.scalar(select(func.count()).select_from(DocumentSourceRow)) == 1
