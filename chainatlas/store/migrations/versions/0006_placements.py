"""Persisted chain placements: each placed entity's and investment project's segments,
the regions it rolls up to (one column per level, indexed), the per-record content hash
that makes `chains place` incremental, declared targets/priorities, and the place state
that tells the diagnosis whether the placements are current.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_LEVELS = ("province_code", "city_code", "county_code")


def _region_columns() -> list[sa.Column]:
    return [sa.Column("region_code", sa.String(12))] + [
        sa.Column(name, sa.String(12)) for name in _LEVELS
    ]


def upgrade() -> None:
    op.create_table(
        "placement_records",
        sa.Column("record_kind", sa.String(8), primary_key=True),  # entity | project
        sa.Column("record_id", sa.String(32), primary_key=True),
        sa.Column("record_type", sa.String(20), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("classifier_version", sa.String(40), nullable=False),
        sa.Column("placed", sa.Integer, nullable=False),
        *_region_columns(),
        sa.Column("listed", sa.Boolean, nullable=False),
        sa.Column("day", sa.Date),
        sa.Column("attrs", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "placements",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_kind", sa.String(8), nullable=False),
        sa.Column("record_id", sa.String(32), nullable=False),
        sa.Column("record_type", sa.String(20), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("chain_id", sa.String(60), nullable=False),
        sa.Column("segment_id", sa.String(80), nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("stage", sa.String(20)),
        sa.Column("evidence", sa.JSON, nullable=False),
        *_region_columns(),
        sa.Column("listed", sa.Boolean, nullable=False),
        sa.Column("classifier_version", sa.String(40), nullable=False),
    )
    op.create_index("ix_placements_record", "placements", ["record_kind", "record_id"])
    for level in _LEVELS:
        # Every equality of the per-region read plus its ORDER BY, so SQLite (no ANALYZE
        # statistics) prefers it over ix_placements_record and needs no sort.
        op.create_index(
            f"ix_placements_chain_{level}",
            "placements",
            ["chain_id", level, "record_kind", "record_id", "rank"],
        )
        op.create_index(
            f"ix_placements_{level}", "placements", [level, "record_kind", "record_type"]
        )
    op.create_table(
        "declared_items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("chain_id", sa.String(60)),
        *_region_columns(),
        sa.Column("document_id", sa.String(32)),
        sa.Column("payload", sa.JSON, nullable=False),
    )
    for level in _LEVELS:
        op.create_index(f"ix_declared_items_{level}", "declared_items", [level])
    op.create_table(
        "place_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("resolve_run_id", sa.Integer),
        sa.Column("classifier_version", sa.String(40), nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("place_state")
    op.drop_table("declared_items")
    op.drop_table("placements")
    op.drop_table("placement_records")
