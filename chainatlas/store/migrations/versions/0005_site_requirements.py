"""Site requirements (选址需求): the lead form of a park site, stored as a structured record.

Contact fields stay empty unless the operator enabled contact storage; see
chainatlas.web.security.SecurityConfig.store_contacts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_requirements",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("need_type", sa.String(10), nullable=False),
        sa.Column("industry", sa.Text, nullable=False),
        sa.Column("area_sqm", sa.Float),
        sa.Column("region", sa.String(40)),
        sa.Column("budget", sa.Float),
        sa.Column("expected_tax", sa.Float),
        sa.Column("company", sa.Text),
        sa.Column("contact", sa.String(100)),
        sa.Column("phone", sa.String(40)),
        sa.Column("email", sa.String(200)),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attrs", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("reviewed_at", sa.DateTime),
    )
    op.create_index("ix_site_requirements_status", "site_requirements", ["status"])


def downgrade() -> None:
    op.drop_index("ix_site_requirements_status", "site_requirements")
    op.drop_table("site_requirements")
