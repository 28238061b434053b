"""Imports: records from CSV/Excel files (enterprises, parks, research, experts) and
property listings (land, factories, offices).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imported_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("credit_code", sa.String(18)),
        sa.Column("region_code", sa.String(12)),
        sa.Column("attrs", sa.JSON, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("source_row", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("kind", "key", name="uq_imported_records_kind_key"),
    )
    op.create_index("ix_imported_records_credit_code", "imported_records", ["credit_code"])
    op.create_index("ix_imported_records_name", "imported_records", ["name"])

    op.create_table(
        "listings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(400), nullable=False, unique=True),
        sa.Column("listing_type", sa.String(10), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("area", sa.Float),
        sa.Column("area_unit", sa.String(10)),
        sa.Column("area_sqm", sa.Float),
        sa.Column("price", sa.Float),
        sa.Column("price_unit", sa.String(40)),
        sa.Column("park", sa.Text),
        sa.Column("region_code", sa.String(12)),
        sa.Column("address", sa.Text),
        sa.Column("available_from", sa.Date),
        sa.Column("contact_name", sa.String(100)),
        sa.Column("contact_phone", sa.String(40)),
        sa.Column("attrs", sa.JSON, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("source_row", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_listings_region_code", "listings", ["region_code"])
    op.create_index("ix_listings_type", "listings", ["listing_type"])


def downgrade() -> None:
    op.drop_index("ix_listings_type", table_name="listings")
    op.drop_index("ix_listings_region_code", table_name="listings")
    op.drop_table("listings")
    op.drop_index("ix_imported_records_name", table_name="imported_records")
    op.drop_index("ix_imported_records_credit_code", table_name="imported_records")
    op.drop_table("imported_records")
