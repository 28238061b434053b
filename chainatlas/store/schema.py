"""The relational schema, shared by SQLite and PostgreSQL (SQLAlchemy 2 declarative).

Full-text search structures differ per engine and live in the migrations
(SQLite: FTS5 trigram table; PostgreSQL: pg_trgm GIN indexes).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC out, on both engines (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; attach a time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict] = {datetime: UTCDateTime(), dict: JSON, list: JSON}


class DocumentRow(Base):
    __tablename__ = "documents"

    # Integer surrogate so the SQLite FTS table can use it as rowid; `id` is the public key.
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32), unique=True)  # content hash prefix
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    site: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None]
    published_raw: Mapped[str | None] = mapped_column(String(100))
    fetched_at: Mapped[datetime]
    ingested_at: Mapped[datetime]
    category: Mapped[str | None] = mapped_column(String(200))
    breadcrumb: Mapped[list] = mapped_column(JSON, default=list)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    author: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)  # clean body as found (original script)
    norm_title: Mapped[str | None] = mapped_column(Text)
    norm_text: Mapped[str] = mapped_column(Text)  # index copy, same length as `text`
    script: Mapped[str] = mapped_column(String(8))  # "hans" or "hant" (original script)
    encoding: Mapped[str | None] = mapped_column(String(32))
    links: Mapped[list] = mapped_column(JSON, default=list)
    boilerplate: Mapped[list] = mapped_column(JSON, default=list)
    warnings: Mapped[list] = mapped_column(JSON, default=list)
    dup_of: Mapped[str | None] = mapped_column(String(32), index=True)
    dup_similarity: Mapped[float | None] = mapped_column(Float)
    parser_version: Mapped[str] = mapped_column(String(40))

    __table_args__ = (Index("ix_documents_published_at", "published_at"),)


class DocumentSourceRow(Base):
    """Every place a document's content was seen: re-ingesting adds nothing else."""

    __tablename__ = "document_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str | None] = mapped_column(Text)
    raw_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    fetched_at: Mapped[datetime]

    __table_args__ = (Index("ix_document_sources_document_id", "document_id"),)


class MinHashRow(Base):
    __tablename__ = "document_minhash"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class MinHashBandRow(Base):
    """LSH buckets: one row per (document, band); `key` packs band number and bucket hash."""

    __tablename__ = "document_minhash_bands"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    key: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_minhash_bands_key", "key"),)


class IngestRunRow(Base):
    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    arguments: Mapped[list] = mapped_column(JSON, default=list)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)


class IngestEventRow(Base):
    __tablename__ = "ingest_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]

    __table_args__ = (Index("ix_ingest_events_run_id", "run_id"),)


class DocumentExtractionRow(Base):
    """Which extractor version last processed a document, and how it went."""

    __tablename__ = "document_extractions"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    extractor_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10))  # ok | failed
    error: Mapped[str | None] = mapped_column(Text)
    mentions: Mapped[int] = mapped_column(Integer)
    facts: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    extracted_at: Mapped[datetime]


class MentionRow(Base):
    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(20))
    confidence: Mapped[float] = mapped_column(Float)
    extractor: Mapped[str] = mapped_column(String(60))
    attrs: Mapped[dict] = mapped_column(JSON, default=dict)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_mentions_document_id", "document_id"),
        Index("ix_mentions_type_text", "type", "text"),
    )


class FactRow(Base):
    __tablename__ = "facts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    args: Mapped[dict] = mapped_column(JSON, default=dict)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    extractor: Mapped[str] = mapped_column(String(60))
    as_of: Mapped[datetime | None]  # the document's publish date: newer figures supersede

    __table_args__ = (
        Index("ix_facts_document_id", "document_id"),
        Index("ix_facts_kind", "kind"),
    )
