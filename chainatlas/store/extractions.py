"""Persisting extraction results: one transaction per document replaces what an older
extractor version stored for it."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from chainatlas.extract.pipeline import DocInput
from chainatlas.extract.records import Extraction
from chainatlas.extract.serialize import args_to_json
from chainatlas.store.schema import DocumentExtractionRow, DocumentRow, FactRow, MentionRow
from chainatlas.text.sentences import sentence_spans


def pending_batch(
    session: Session, version: str, *, after_pk: int, limit: int = 200, rebuild: bool = False
) -> list[tuple[int, DocInput]]:
    """The next documents (by primary key) never extracted or extracted by another
    version — or all of them with `rebuild`. Callers page with `after_pk`."""
    stmt = (
        select(
            DocumentRow.pk,
            DocumentRow.id,
            DocumentRow.text,
            DocumentRow.title,
            DocumentRow.published_at,
        )
        .outerjoin(DocumentExtractionRow, DocumentExtractionRow.document_id == DocumentRow.id)
        .where(DocumentRow.pk > after_pk)
        .order_by(DocumentRow.pk)
        .limit(limit)
    )
    if not rebuild:
        stmt = stmt.where(
            (DocumentExtractionRow.document_id.is_(None))
            | (DocumentExtractionRow.extractor_version != version)
        )
    return [
        (pk, DocInput(doc_id, text, title, published.date() if published else None))
        for pk, doc_id, text, title, published in session.execute(stmt).all()
    ]


def count_pending(session: Session, version: str, *, rebuild: bool = False) -> int:
    from sqlalchemy import func

    stmt = select(func.count()).select_from(DocumentRow)
    if not rebuild:
        stmt = stmt.outerjoin(
            DocumentExtractionRow, DocumentExtractionRow.document_id == DocumentRow.id
        ).where(
            (DocumentExtractionRow.document_id.is_(None))
            | (DocumentExtractionRow.extractor_version != version)
        )
    return session.scalar(stmt) or 0


def _status_row(doc_id: str, version: str, **values) -> dict:
    return {
        "document_id": doc_id,
        "extractor_version": version,
        "extracted_at": datetime.now(UTC),
        **values,
    }


def save_extraction(
    session: Session, doc: DocInput, extraction: Extraction, seconds: float
) -> None:
    """Replace the document's mentions and facts with this extraction's."""
    session.execute(delete(MentionRow).where(MentionRow.document_id == doc.id))
    session.execute(delete(FactRow).where(FactRow.document_id == doc.id))
    session.execute(
        delete(DocumentExtractionRow).where(DocumentExtractionRow.document_id == doc.id)
    )
    spans = sentence_spans(doc.text)
    starts = [s for s, _ in spans]
    if extraction.mentions:
        rows = []
        for m in extraction.mentions:
            i = max(0, bisect.bisect_right(starts, m.start) - 1)
            s_start, s_end = spans[i] if spans else (0, len(doc.text))
            rows.append(
                {
                    "document_id": doc.id,
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    "type": str(m.type),
                    "confidence": m.confidence,
                    "extractor": m.extractor,
                    "attrs": m.attrs,
                    "sentence_start": s_start,
                    "sentence_end": max(s_end, m.end),
                }
            )
        session.execute(insert(MentionRow), rows)
    if extraction.facts:
        published = session.scalar(select(DocumentRow.published_at).where(DocumentRow.id == doc.id))
        session.execute(
            insert(FactRow),
            [
                {
                    "document_id": doc.id,
                    "kind": str(f.kind),
                    "args": args_to_json(f.args),
                    "sentence_start": f.sentence_start,
                    "sentence_end": f.sentence_end,
                    "sentence": f.sentence,
                    "confidence": f.confidence,
                    "extractor": f.extractor,
                    "as_of": published,
                }
                for f in extraction.facts
            ],
        )
    session.execute(
        insert(DocumentExtractionRow),
        _status_row(
            doc.id,
            extraction.extractor_version,
            status="ok",
            error=None,
            mentions=len(extraction.mentions),
            facts=len(extraction.facts),
            seconds=seconds,
        ),
    )


def save_failure(session: Session, doc_id: str, version: str, error: str, seconds: float) -> None:
    """Record a failed document: its old results stay until a run succeeds on it."""
    session.execute(
        delete(DocumentExtractionRow).where(DocumentExtractionRow.document_id == doc_id)
    )
    session.execute(
        insert(DocumentExtractionRow),
        _status_row(
            doc_id,
            version,
            status="failed",
            error=error[:2000],
            mentions=0,
            facts=0,
            seconds=seconds,
        ),
    )


def iter_mentions(session: Session, batch: int = 2000) -> Iterator[tuple[MentionRow, str]]:
    """Mentions with their evidence sentence text, in id order."""
    last = 0
    while True:
        rows = session.execute(
            select(MentionRow, DocumentRow.text)
            .join(DocumentRow, DocumentRow.id == MentionRow.document_id)
            .where(MentionRow.id > last)
            .order_by(MentionRow.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        for mention, text in rows:
            yield mention, text[mention.sentence_start : mention.sentence_end]
        last = rows[-1][0].id
        session.expunge_all()


def iter_facts(session: Session, batch: int = 2000) -> Iterator[FactRow]:
    last = 0
    while True:
        rows = list(
            session.scalars(
                select(FactRow).where(FactRow.id > last).order_by(FactRow.id).limit(batch)
            )
        )
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        session.expunge_all()


def extractor_versions(session: Session) -> dict[str, str]:
    return dict(
        session.execute(
            select(DocumentExtractionRow.document_id, DocumentExtractionRow.extractor_version)
        ).all()
    )


def mentions_of(session: Session, document_id: str) -> list[MentionRow]:
    return list(
        session.scalars(
            select(MentionRow)
            .where(MentionRow.document_id == document_id)
            .order_by(MentionRow.start)
        )
    )


def facts_of(session: Session, document_id: str) -> list[FactRow]:
    return list(
        session.scalars(
            select(FactRow)
            .where(FactRow.document_id == document_id)
            .order_by(FactRow.sentence_start, FactRow.id)
        )
    )


def counts(session: Session) -> dict[str, int]:
    from sqlalchemy import func

    return {
        "mentions": session.scalar(select(func.count()).select_from(MentionRow)) or 0,
        "facts": session.scalar(select(func.count()).select_from(FactRow)) or 0,
    }


def latest_events(
    session: Session, kinds: tuple[str, ...], limit: int = 12
) -> list[tuple[FactRow, str | None]]:
    """Newest facts of the given kinds (by the publishing date of their document), with
    the document title."""
    return list(
        session.execute(
            select(FactRow, DocumentRow.title)
            .join(DocumentRow, DocumentRow.id == FactRow.document_id)
            .where(FactRow.kind.in_(kinds), DocumentRow.dup_of.is_(None))
            .order_by(FactRow.as_of.desc().nulls_last(), FactRow.id.desc())
            .limit(limit)
        ).all()
    )
