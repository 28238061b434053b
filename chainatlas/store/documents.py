"""Persisting and reading documents. Each `save` call is meant to run in its own transaction."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from chainatlas.ingest import dedup
from chainatlas.ingest.pipeline import PreparedDocument
from chainatlas.store.schema import (
    DocumentRow,
    DocumentSourceRow,
    MinHashBandRow,
    MinHashRow,
)


class Status(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"
    NEAR_DUPLICATE = "near_duplicate"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Outcome:
    source: str
    status: Status
    document_id: str | None = None
    detail: str | None = None


def document_for_raw(session: Session, raw_sha256: str) -> str | None:
    """The document these exact bytes already produced, if any (re-ingest fast path)."""
    return session.scalar(
        select(DocumentSourceRow.document_id).where(DocumentSourceRow.raw_sha256 == raw_sha256)
    )


def _near_duplicate(
    session: Session, prepared: PreparedDocument, threshold: float
) -> tuple[str, float] | None:
    if prepared.signature is None:
        return None
    candidates = session.scalars(
        select(MinHashBandRow.document_id)
        .where(MinHashBandRow.key.in_(prepared.band_keys))
        .distinct()
        .limit(200)
    ).all()
    if not candidates:
        return None
    mine = dedup.from_bytes(prepared.signature)
    best: tuple[str, float] | None = None
    for doc_id, sig in session.execute(
        select(MinHashRow.document_id, MinHashRow.signature).where(
            MinHashRow.document_id.in_(candidates)
        )
    ):
        score = dedup.similarity(mine, dedup.from_bytes(sig))
        if score >= threshold and (best is None or score > best[1]):
            best = (doc_id, score)
    if best is None:
        return None
    # Point at the cluster's canonical document, not at another repost.
    root = session.scalar(select(DocumentRow.dup_of).where(DocumentRow.id == best[0]))
    return (root or best[0], best[1])


def _source_values(prepared: PreparedDocument, document_id: str) -> dict:
    return {
        "document_id": document_id,
        "source": prepared.source,
        "kind": prepared.kind,
        "url": prepared.url,
        "raw_sha256": prepared.raw_sha256,
        "fetched_at": prepared.fetched_at,
    }


def save(
    session: Session,
    prepared: PreparedDocument,
    *,
    near_dup_threshold: float,
    bytes_checked: bool = False,
) -> Outcome:
    """Store one prepared document with its source, signature and search index rows.

    Core inserts (executemany for the 32 LSH rows) rather than ORM units of work: the store
    write is on the ingest hot path (see `chainatlas bench ingest`). `bytes_checked` skips
    the same-bytes lookup a caller has just done; the unique index on `raw_sha256` still
    refuses a race, and the caller retries with the check.
    """
    if not bytes_checked:
        existing = document_for_raw(session, prepared.raw_sha256)
        if existing:
            return Outcome(
                prepared.source, Status.DUPLICATE, existing, "already ingested (same bytes)"
            )
    same = session.scalar(
        select(DocumentRow.id).where(DocumentRow.content_hash == prepared.content_hash)
    )
    if same:
        session.execute(insert(DocumentSourceRow), _source_values(prepared, same))
        return Outcome(prepared.source, Status.DUPLICATE, same, f"same content as {same}")

    near = _near_duplicate(session, prepared, near_dup_threshold)
    pk = session.scalar(
        insert(DocumentRow)
        .values(
            id=prepared.id,
            content_hash=prepared.content_hash,
            url=prepared.url,
            site=prepared.site,
            title=prepared.title,
            published_at=prepared.published_at,
            published_raw=prepared.published_raw,
            fetched_at=prepared.fetched_at,
            ingested_at=datetime.now(UTC),
            category=prepared.category,
            breadcrumb=prepared.breadcrumb,
            tags=prepared.tags,
            author=prepared.author,
            text=prepared.text,
            norm_title=prepared.norm_title,
            norm_text=prepared.norm_text,
            script=prepared.script,
            encoding=prepared.encoding,
            links=prepared.links,
            boilerplate=prepared.boilerplate,
            warnings=prepared.warnings,
            dup_of=near[0] if near else None,
            dup_similarity=round(near[1], 4) if near else None,
            parser_version=prepared.parser_version,
        )
        .returning(DocumentRow.pk)
    )
    session.execute(insert(DocumentSourceRow), _source_values(prepared, prepared.id))
    if prepared.signature is not None:
        session.execute(
            insert(MinHashRow), {"document_id": prepared.id, "signature": prepared.signature}
        )
        session.execute(
            insert(MinHashBandRow),
            [{"document_id": prepared.id, "key": key} for key in prepared.band_keys],
        )
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            text(
                "INSERT INTO documents_fts(rowid, norm_title, norm_text) "
                "VALUES (:pk, :title, :body)"
            ),
            {"pk": pk, "title": prepared.norm_title or "", "body": prepared.norm_text},
        )
    if near:
        return Outcome(
            prepared.source,
            Status.NEAR_DUPLICATE,
            prepared.id,
            f"near-duplicate of {near[0]} (similarity {near[1]:.2f})",
        )
    return Outcome(prepared.source, Status.NEW, prepared.id)


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DocumentRow)) or 0


def get(session: Session, document_id: str) -> DocumentRow | None:
    return session.scalar(select(DocumentRow).where(DocumentRow.id == document_id))


def sources_of(session: Session, document_id: str) -> list[DocumentSourceRow]:
    return list(
        session.scalars(
            select(DocumentSourceRow)
            .where(DocumentSourceRow.document_id == document_id)
            .order_by(DocumentSourceRow.id)
        )
    )


def near_duplicates(session: Session, document_id: str) -> list[DocumentRow]:
    """Other members of this document's repost cluster."""
    root = session.scalar(select(DocumentRow.dup_of).where(DocumentRow.id == document_id))
    root = root or document_id
    return list(
        session.scalars(
            select(DocumentRow)
            .where((DocumentRow.dup_of == root) | (DocumentRow.id == root))
            .where(DocumentRow.id != document_id)
            .order_by(DocumentRow.pk)
        )
    )


def latest(session: Session, limit: int = 50, offset: int = 0) -> list[DocumentRow]:
    return list(
        session.scalars(
            select(DocumentRow)
            .order_by(DocumentRow.published_at.desc().nulls_last(), DocumentRow.pk.desc())
            .limit(limit)
            .offset(offset)
        )
    )


def iter_all(session: Session, batch: int = 500) -> Iterator[DocumentRow]:
    """Every document in ingestion order, streamed by primary-key pages (flat memory)."""
    last = 0
    while True:
        rows = list(
            session.scalars(
                select(DocumentRow)
                .where(DocumentRow.pk > last)
                .order_by(DocumentRow.pk)
                .limit(batch)
            )
        )
        if not rows:
            return
        yield from rows
        last = rows[-1].pk
        session.expunge_all()
