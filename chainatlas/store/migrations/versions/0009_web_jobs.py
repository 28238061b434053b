"""Web jobs: background ingest/import jobs of the web app, kept in the store.

With several worker processes (`chainatlas serve --workers N`) a job accepted by one worker
must be readable through every other, and a job whose process died must show as failed
rather than vanish; see chainatlas.store.web_jobs.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("phases", sa.JSON, nullable=False),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("run_id", sa.Integer),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("started_at", sa.DateTime),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_web_jobs_status", "web_jobs", ["status"])


def downgrade() -> None:
    op.drop_index("ix_web_jobs_status", "web_jobs")
    op.drop_table("web_jobs")
