"""Documents, their sources, near-duplicate signatures, ingest runs, full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(32), nullable=False, unique=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("url", sa.Text),
        sa.Column("site", sa.String(200)),
        sa.Column("title", sa.Text),
        sa.Column("published_at", sa.DateTime),
        sa.Column("published_raw", sa.String(100)),
        sa.Column("fetched_at", sa.DateTime, nullable=False),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
        sa.Column("category", sa.String(200)),
        sa.Column("breadcrumb", sa.JSON, nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("author", sa.String(200)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("norm_title", sa.Text),
        sa.Column("norm_text", sa.Text, nullable=False),
        sa.Column("script", sa.String(8), nullable=False),
        sa.Column("encoding", sa.String(32)),
        sa.Column("links", sa.JSON, nullable=False),
        sa.Column("boilerplate", sa.JSON, nullable=False),
        sa.Column("warnings", sa.JSON, nullable=False),
        sa.Column("dup_of", sa.String(32)),
        sa.Column("dup_similarity", sa.Float),
        sa.Column("parser_version", sa.String(40), nullable=False),
    )
    op.create_index("ix_documents_published_at", "documents", ["published_at"])
    op.create_index("ix_documents_dup_of", "documents", ["dup_of"])

    op.create_table(
        "document_sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "document_id",
            sa.String(32),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("raw_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("fetched_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_document_sources_document_id", "document_sources", ["document_id"])

    op.create_table(
        "document_minhash",
        sa.Column(
            "document_id",
            sa.String(32),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("signature", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "document_minhash_bands",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "document_id",
            sa.String(32),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("key", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_minhash_bands_key", "document_minhash_bands", ["key"])

    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("arguments", sa.JSON, nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
    )
    op.create_table(
        "ingest_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "run_id",
            sa.Integer,
            sa.ForeignKey("ingest_runs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("document_id", sa.String(32)),
        sa.Column("detail", sa.Text),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_ingest_events_run_id", "ingest_events", ["run_id"])

    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # Trigram tokens find any Chinese substring of ≥ 3 characters without a segmenter;
        # shorter queries fall back to LIKE (see chainatlas.store.search).
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "norm_title, norm_text, content='documents', content_rowid='pk', "
            "tokenize='trigram')"
        )
    elif bind.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_documents_norm_text_trgm ON documents "
            "USING gin (norm_text gin_trgm_ops)"
        )
        op.execute(
            "CREATE INDEX ix_documents_norm_title_trgm ON documents "
            "USING gin (norm_title gin_trgm_ops)"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS documents_fts")
    for table in (
        "ingest_events",
        "ingest_runs",
        "document_minhash_bands",
        "document_minhash",
        "document_sources",
        "documents",
    ):
        op.drop_table(table)
