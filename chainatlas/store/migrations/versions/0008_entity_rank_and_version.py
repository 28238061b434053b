"""Entity lookup by partial name without sorting every match; the data-version counter.

`ix_entities_mention_rank` lets a partial-name lookup that matches thousands of aliases
(有限公司) walk entities from the most mentioned down and stop at the page size, instead
of sorting every match; `ix_entities_name` answers the exact-name half of a lookup,
which the (type, name) index cannot. The `store_version` counter row, until now created on first open
by `chainatlas.store.version`, becomes part of the schema (that module still creates it
for stores opened without migrating).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_entities_mention_rank ON entities (mention_count DESC, id)"
    )
    op.execute(
        "CREATE TABLE IF NOT EXISTS store_version (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)"
    )
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM store_version WHERE id = 1")).first() is None:
        op.execute("INSERT INTO store_version (id, n) VALUES (1, 0)")


def downgrade() -> None:
    # The counter table stays: the store module recreates it on open anyway.
    op.execute("DROP INDEX IF EXISTS ix_entities_name")
    op.execute("DROP INDEX IF EXISTS ix_entities_mention_rank")
