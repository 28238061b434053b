"""Knowledge base: entities, aliases, mention links, merge candidates, events, curations.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _fk(name: str, target: str, *, ondelete: str = "CASCADE", **kw) -> sa.Column:
    kind = sa.Integer if target in ("mentions.id", "facts.id") else sa.String(16)
    return sa.Column(name, kind, sa.ForeignKey(target, ondelete=ondelete), **kw)


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("key", sa.String(400), nullable=False, unique=True),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("attrs", sa.JSON, nullable=False),
        sa.Column("region_code", sa.String(12)),
        sa.Column("origin", sa.String(12), nullable=False),
        sa.Column("mention_count", sa.Integer, nullable=False),
        sa.Column("document_count", sa.Integer, nullable=False),
        sa.Column("merged_keys", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_entities_type_name", "entities", ["type", "name"])
    op.create_index("ix_entities_region_code", "entities", ["region_code"])

    op.create_table(
        "entity_aliases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _fk("entity_id", "entities.id", nullable=False),
        sa.Column("alias", sa.Text, nullable=False),
        sa.Column("norm", sa.String(400), nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
    )
    op.create_index("ix_entity_aliases_entity_id", "entity_aliases", ["entity_id"])
    op.create_index("ix_entity_aliases_norm", "entity_aliases", ["norm"])

    op.create_table(
        "mention_links",
        _fk("mention_id", "mentions.id", primary_key=True),
        _fk("entity_id", "entities.id", nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("reason", sa.String(80), nullable=False),
    )
    op.create_index("ix_mention_links_entity_id", "mention_links", ["entity_id"])

    op.create_table(
        "merge_candidates",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _fk("a_id", "entities.id", nullable=False),
        _fk("b_id", "entities.id", nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("reason", sa.String(80), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
    )
    op.create_index("ix_merge_candidates_status", "merge_candidates", ["status"])

    op.create_table(
        "events",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        _fk("subject_id", "entities.id", ondelete="SET NULL"),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("values", sa.JSON, nullable=False),
        sa.Column("current", sa.JSON, nullable=False),
        sa.Column("conflicts", sa.JSON, nullable=False),
        sa.Column("sources", sa.Integer, nullable=False),
        sa.Column("first_as_of", sa.DateTime),
        sa.Column("last_as_of", sa.DateTime),
    )
    op.create_index("ix_events_subject_id", "events", ["subject_id"])
    op.create_index("ix_events_kind", "events", ["kind"])

    op.create_table(
        "event_facts",
        _fk("fact_id", "facts.id", primary_key=True),
        _fk("event_id", "events.id", nullable=False),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("as_of", sa.DateTime),
        sa.Column("fingerprint", sa.String(120), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("superseded", sa.Boolean, nullable=False),
    )
    op.create_index("ix_event_facts_event_id", "event_facts", ["event_id"])
    op.create_index("ix_event_facts_fingerprint", "event_facts", ["fingerprint"])

    op.create_table(
        "fact_entities",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _fk("fact_id", "facts.id", nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        _fk("entity_id", "entities.id", nullable=False),
    )
    op.create_index("ix_fact_entities_entity_id", "fact_entities", ["entity_id"])
    op.create_index("ix_fact_entities_fact_id", "fact_entities", ["fact_id"])

    op.create_table(
        "curations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("op", sa.String(20), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("last_status", sa.String(10)),
        sa.Column("last_detail", sa.Text),
        sa.Column("last_applied_at", sa.DateTime),
    )

    op.create_table(
        "resolve_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("counts", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "resolve_runs",
        "curations",
        "fact_entities",
        "event_facts",
        "events",
        "merge_candidates",
        "mention_links",
        "entity_aliases",
        "entities",
    ):
        op.drop_table(table)
