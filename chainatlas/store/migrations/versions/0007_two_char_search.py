"""Two-character searches without a full scan (SQLite).

The FTS5 trigram index cannot match a term shorter than three characters, and two-character
Chinese words (医疗, 芯片, 深圳) are common queries. A document contains such a term AB
exactly when the index holds a trigram starting with AB, or when a column ends with AB.
`documents_fts_vocab` lists the index's trigrams (a range scan finds those starting with
AB) and two expression indexes answer "ends with AB". PostgreSQL (pg_trgm) is unchanged.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts_vocab "
        "USING fts5vocab('documents_fts', 'row')"
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_documents_title_tail "
        "ON documents (lower(substr(norm_title, -2)))"
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_documents_text_tail "
        "ON documents (lower(substr(norm_text, -2)))"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP INDEX IF EXISTS ix_documents_text_tail")
    op.execute("DROP INDEX IF EXISTS ix_documents_title_tail")
    op.execute("DROP TABLE IF EXISTS documents_fts_vocab")
