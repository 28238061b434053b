"""Knowledge-base tables (migration 0003): resolved entities, their aliases, links from
mentions, merge candidates, events grouping facts, and analysts' curations.

Everything except `curations` is *derived*: `chainatlas.jobs.resolve` replaces it whole in
one transaction after every resolution. Curations are the only hand-made rows; they name
their targets by stable keys, never by the row ids below, so they survive the rebuild.

Entity and event ids are hashes of their keys (`stable_id`), so a URL such as
/entity/e1a2b3… stays valid across re-resolutions as long as the entity does.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from chainatlas.store.schema import Base

__all__ = [
    "CurationRow",
    "EntityAliasRow",
    "EntityRow",
    "EventFactRow",
    "EventRow",
    "FactEntityRow",
    "MentionLinkRow",
    "MergeCandidateRow",
    "ResolveRunRow",
    "stable_id",
]


def stable_id(prefix: str, key: str) -> str:
    return prefix + hashlib.sha1(key.encode("utf-8")).hexdigest()[:15]


class EntityRow(Base):
    __tablename__ = "entities"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    type: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    attrs: Mapped[dict] = mapped_column(JSON, default=dict)  # codes, listing, curated attrs
    region_code: Mapped[str | None] = mapped_column(String(12))
    origin: Mapped[str] = mapped_column(String(12))  # extracted | gazetteer | curated
    mention_count: Mapped[int] = mapped_column(Integer)
    document_count: Mapped[int] = mapped_column(Integer)
    merged_keys: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]  # first resolution that produced this key
    updated_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_entities_type_name", "type", "name"),
        Index("ix_entities_region_code", "region_code"),
    )


class EntityAliasRow(Base):
    __tablename__ = "entity_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(Text)
    norm: Mapped[str] = mapped_column(String(400))  # cleaned form, for lookups
    mentions: Mapped[int] = mapped_column(Integer)  # 0: from a gazetteer or a curation

    __table_args__ = (
        Index("ix_entity_aliases_entity_id", "entity_id"),
        Index("ix_entity_aliases_norm", "norm"),
    )


class MentionLinkRow(Base):
    __tablename__ = "mention_links"

    mention_id: Mapped[int] = mapped_column(
        ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True
    )
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(80))

    __table_args__ = (Index("ix_mention_links_entity_id", "entity_id"),)


class MergeCandidateRow(Base):
    """Evidence too weak to merge on its own: shown to analysts, never applied silently."""

    __tablename__ = "merge_candidates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    a_id: Mapped[str] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    b_id: Mapped[str] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(10))  # open | merged | rejected

    __table_args__ = (Index("ix_merge_candidates_status", "status"),)


class EventRow(Base):
    """One real-world event or claim, however many articles report it."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[str | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(Text)
    values: Mapped[dict] = mapped_column(JSON, default=dict)  # role → [{value, facts, …}]
    current: Mapped[dict] = mapped_column(JSON, default=dict)  # role → newest value
    conflicts: Mapped[list] = mapped_column(JSON, default=list)  # roles with >1 value
    sources: Mapped[int] = mapped_column(Integer)  # distinct documents
    first_as_of: Mapped[datetime | None]
    last_as_of: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_events_subject_id", "subject_id"),
        Index("ix_events_kind", "kind"),
    )


class EventFactRow(Base):
    __tablename__ = "event_facts"

    fact_id: Mapped[int] = mapped_column(
        ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    document_id: Mapped[str] = mapped_column(String(32))
    as_of: Mapped[datetime | None]
    fingerprint: Mapped[str] = mapped_column(String(120))  # what curations point at
    status: Mapped[str] = mapped_column(String(10))  # extracted | confirmed | rejected
    superseded: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (
        Index("ix_event_facts_event_id", "event_id"),
        Index("ix_event_facts_fingerprint", "fingerprint"),
    )


class FactEntityRow(Base):
    """Which entity fills which role of a fact (investor, company, person, org, place …)."""

    __tablename__ = "fact_entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))

    __table_args__ = (
        Index("ix_fact_entities_entity_id", "entity_id"),
        Index("ix_fact_entities_fact_id", "fact_id"),
    )


class CurationRow(Base):
    """An analyst's decision: the audit log, and the input re-applied after each resolve."""

    __tablename__ = "curations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    author: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_status: Mapped[str | None] = mapped_column(String(10))  # applied | missing
    last_detail: Mapped[str | None] = mapped_column(Text)
    last_applied_at: Mapped[datetime | None]


class ResolveRunRow(Base):
    __tablename__ = "resolve_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
