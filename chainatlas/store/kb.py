"""Knowledge-base persistence: read resolver input, replace the derived tables, store and
list curations, and assemble an entity's profile for the CLI, API and web pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from chainatlas.kb.curation import Decision, validate
from chainatlas.kb.names import clean
from chainatlas.kb.resolve import FactIn, MentionIn, ResolutionResult
from chainatlas.store.kb_schema import (
    CurationRow,
    EntityAliasRow,
    EntityRow,
    EventFactRow,
    EventRow,
    FactEntityRow,
    MentionLinkRow,
    MergeCandidateRow,
    ResolveRunRow,
    stable_id,
)
from chainatlas.store.schema import DocumentRow, FactRow, MentionRow
from chainatlas.store.search import escape_like

__all__ = [
    "add_curation",
    "entity_profile",
    "find_entities",
    "iter_fact_inputs",
    "iter_mention_inputs",
    "list_candidates",
    "list_curations",
    "record_curation_reports",
    "save_resolution",
]

_BATCH = 5000


# --- resolver input -----------------------------------------------------------------------


def iter_mention_inputs(session: Session, batch: int = 20_000) -> Iterator[MentionIn]:
    """Only the columns the resolver needs, paged by id (no document text is loaded)."""
    last = 0
    cols = (
        MentionRow.id,
        MentionRow.document_id,
        MentionRow.start,
        MentionRow.end,
        MentionRow.text,
        MentionRow.type,
        MentionRow.attrs,
        MentionRow.confidence,
    )
    while True:
        rows = session.execute(
            select(*cols).where(MentionRow.id > last).order_by(MentionRow.id).limit(batch)
        ).all()
        if not rows:
            return
        for r in rows:
            yield MentionIn(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or {}, r[7])
        last = rows[-1][0]


def iter_fact_inputs(session: Session, batch: int = 20_000) -> Iterator[FactIn]:
    last = 0
    cols = (
        FactRow.id,
        FactRow.document_id,
        FactRow.kind,
        FactRow.args,
        FactRow.as_of,
        FactRow.sentence_start,
        FactRow.sentence_end,
        FactRow.confidence,
    )
    while True:
        rows = session.execute(
            select(*cols).where(FactRow.id > last).order_by(FactRow.id).limit(batch)
        ).all()
        if not rows:
            return
        for r in rows:
            yield FactIn(r[0], r[1], r[2], r[3] or {}, r[4], r[5], r[6], r[7])
        last = rows[-1][0]


# --- replacing the derived tables -------------------------------------------------------


def _chunks(rows: list[dict]) -> Iterator[list[dict]]:
    for i in range(0, len(rows), _BATCH):
        yield rows[i : i + _BATCH]


def _insert(session: Session, table, rows: list[dict]) -> None:
    for chunk in _chunks(rows):
        session.execute(insert(table), chunk)


def save_resolution(session: Session, result: ResolutionResult) -> dict[str, int]:
    """Replace entities, aliases, links, candidates and events with `result` (the caller's
    transaction makes it all-or-nothing). Curations are not touched. `created_at` of an
    entity key seen before is kept."""
    now = datetime.now(UTC)
    created = dict(session.execute(select(EntityRow.key, EntityRow.created_at)).all())
    for table in (
        FactEntityRow,
        EventFactRow,
        EventRow,
        MergeCandidateRow,
        MentionLinkRow,
        EntityAliasRow,
        EntityRow,
    ):
        session.execute(delete(table))

    ids = {key: stable_id("e", key) for key in result.entities}
    doc_of = {m.id: m.document_id for m in result.mentions}
    entity_rows, alias_rows = [], []
    for key, e in result.entities.items():
        entity_rows.append(
            {
                "id": ids[key],
                "key": key,
                "type": e.type,
                "name": e.name,
                "attrs": e.attrs,
                "region_code": e.region_code,
                "origin": e.origin,
                "mention_count": len(e.mentions),
                "document_count": len({doc_of.get(m) for m in e.mentions} - {None}),
                "merged_keys": sorted(set(e.merged_keys)),
                "created_at": created.get(key, now),
                "updated_at": now,
            }
        )
        seen: set[str] = set()
        for alias, count in sorted(e.aliases.items(), key=lambda kv: -kv[1]):
            if alias and alias not in seen:
                seen.add(alias)
                alias_rows.append(
                    {"entity_id": ids[key], "alias": alias, "norm": clean(alias)[:400],
                     "mentions": max(count, 0)}
                )  # fmt: skip
    _insert(session, EntityRow, entity_rows)
    _insert(session, EntityAliasRow, alias_rows)
    _insert(
        session,
        MentionLinkRow,
        [
            {"mention_id": mid, "entity_id": ids[link.entity], "score": link.score,
             "reason": link.reason[:80]}
            for mid, link in result.links.items()
            if link.entity in ids
        ],
    )  # fmt: skip
    _insert(
        session,
        MergeCandidateRow,
        [
            {"a_id": ids[c.a], "b_id": ids[c.b], "score": c.score, "reason": c.reason[:80],
             "status": c.status}
            for c in result.candidates
            if c.a in ids and c.b in ids
        ],
    )  # fmt: skip
    event_rows, event_fact_rows = [], []
    for key, ev in result.events.items():
        eid = stable_id("v", key)
        dates = [ef.as_of for ef in ev.facts if ef.as_of is not None]
        event_rows.append(
            {
                "id": eid,
                "key": key,
                "kind": ev.kind,
                "subject_id": ids.get(ev.subject) if ev.subject else None,
                "title": ev.title,
                "values": ev.values,
                "current": ev.current,
                "conflicts": ev.conflicts,
                "sources": len({ef.document_id for ef in ev.facts}),
                "first_as_of": min(dates) if dates else None,
                "last_as_of": max(dates) if dates else None,
            }
        )
        for ef in ev.facts:
            event_fact_rows.append(
                {
                    "fact_id": ef.fact_id,
                    "event_id": eid,
                    "document_id": ef.document_id,
                    "as_of": ef.as_of,
                    "fingerprint": ef.fingerprint[:120],
                    "status": ef.status,
                    "superseded": ef.superseded,
                }
            )
    _insert(session, EventRow, event_rows)
    _insert(session, EventFactRow, event_fact_rows)
    _insert(
        session,
        FactEntityRow,
        [
            {"fact_id": fid, "role": role[:30], "entity_id": ids[key]}
            for fid, role, key in result.fact_args
            if key in ids
        ],
    )
    return {
        "entities": len(entity_rows),
        "aliases": len(alias_rows),
        "links": len(result.links),
        "candidates": len(result.candidates),
        "events": len(event_rows),
    }


def record_run(session: Session, started: datetime, counts: dict) -> None:
    session.execute(
        insert(ResolveRunRow),
        {"started_at": started, "finished_at": datetime.now(UTC), "counts": counts},
    )


# --- curations ----------------------------------------------------------------------------


def add_curation(session: Session, op: str, payload: dict, *, author: str, reason: str = "") -> int:
    """Validate and store a decision; returns its id. It takes effect at the next resolve
    (the CLI resolves right after storing one)."""
    validate(op, payload)
    if not author:
        raise ValueError("a curation needs an author")
    return session.execute(
        insert(CurationRow).returning(CurationRow.id),
        {
            "op": op,
            "payload": payload,
            "author": author,
            "reason": reason,
            "at": datetime.now(UTC),
            "active": True,
        },
    ).scalar_one()


def list_curations(session: Session, *, active_only: bool = False) -> list[Decision]:
    stmt = select(CurationRow).order_by(CurationRow.id)
    if active_only:
        stmt = stmt.where(CurationRow.active.is_(True))
    return [
        Decision(
            id=row.id,
            op=row.op,
            payload=row.payload,
            author=row.author,
            reason=row.reason,
            at=row.at,
            active=row.active,
            extra={"last_status": row.last_status, "last_detail": row.last_detail},
        )
        for row in session.scalars(stmt)
    ]


def set_curation_active(session: Session, curation_id: int, active: bool) -> bool:
    res = session.execute(
        update(CurationRow).where(CurationRow.id == curation_id).values(active=active)
    )
    return res.rowcount > 0


def record_curation_reports(session: Session, reports: list[dict]) -> None:
    now = datetime.now(UTC)
    for rep in reports:
        session.execute(
            update(CurationRow)
            .where(CurationRow.id == rep["curation"])
            .values(last_status=rep["status"], last_detail=rep["detail"], last_applied_at=now)
        )


# --- reading ------------------------------------------------------------------------------


def find_entities(session: Session, name_or_id: str, limit: int = 20) -> list[EntityRow]:
    """By id, key, stock code, canonical name or any alias (cleaned)."""
    q = name_or_id.strip()
    row = session.get(EntityRow, q)
    if row is not None:
        return [row]
    row = session.scalar(select(EntityRow).where(EntityRow.key == q))
    if row is not None:
        return [row]
    if q.isdigit() and len(q) == 6:
        hit = session.scalar(select(EntityRow).where(EntityRow.key == f"company:code:{q}"))
        if hit is not None:
            return [hit]
    norm = clean(q)
    # Ids first: PostgreSQL cannot DISTINCT over the JSON columns of a whole row.
    by_alias = select(EntityAliasRow.entity_id).where(EntityAliasRow.norm == norm)
    stmt = (
        select(EntityRow)
        .where(or_(EntityRow.name == q, EntityRow.id.in_(by_alias)))
        .order_by(EntityRow.mention_count.desc(), EntityRow.id)
        .limit(limit)
    )
    exact = list(session.scalars(stmt))
    if exact or len(norm) < 2:
        return exact
    # Nothing exact: users type part of a name (隆基绿能 for 隆基绿能科技股份有限公司),
    # so fall back to names and aliases starting with, then containing, what they typed.
    return _partial_matches(session, norm, limit)


# Above this many matching aliases a pattern is common (有限公司): walking entities from
# the most mentioned down finds the first page at once, while ranking every match is slow.
_COMMON_PATTERN = 300


def _alias_prefix(session: Session, norm: str) -> ColumnElement[bool]:
    """Aliases starting with `norm`. SQLite compares text bytewise, so a range on the
    norm index is exact and needs no scan (its LIKE with ESCAPE cannot use an index)."""
    if session.get_bind().dialect.name == "sqlite":
        return and_(EntityAliasRow.norm >= norm, EntityAliasRow.norm < norm + "\U0010ffff")
    return EntityAliasRow.norm.like(f"{escape_like(norm)}%", escape="\\")


def _partial_matches(session: Session, norm: str, limit: int) -> list[EntityRow]:
    """Entities with an alias starting with `norm` first, then containing it; each group
    by mention count. One scan of the aliases, plus a walk down the mention-count index
    (migration 0008) when the fragment is too common to rank every match."""
    contains = EntityAliasRow.norm.like(f"%{escape_like(norm)}%", escape="\\")
    cap = _COMMON_PATTERN + 1
    prefixed = set(
        session.scalars(
            select(EntityAliasRow.entity_id).where(_alias_prefix(session, norm)).limit(cap)
        )
    )
    matched = set(session.scalars(select(EntityAliasRow.entity_id).where(contains).limit(cap)))
    order = (EntityRow.mention_count.desc(), EntityRow.id)
    ranked: list[str] = []
    for group, complete in ((prefixed, len(prefixed) < cap), (matched, len(matched) < cap)):
        if complete:
            ids = select(EntityRow.id).where(EntityRow.id.in_(group)).order_by(*order)
        else:  # walks ix_entities_mention_rank and stops at `limit`
            cond = _alias_prefix(session, norm) if group is prefixed else contains
            has_alias = (
                select(EntityAliasRow.id).where(EntityAliasRow.entity_id == EntityRow.id, cond)
            ).exists()
            ids = select(EntityRow.id).where(has_alias).order_by(*order)
        for entity_id in session.scalars(ids.limit(limit + len(ranked))):
            if entity_id not in ranked:
                ranked.append(entity_id)
        if len(ranked) >= limit:
            break
    ranked = ranked[:limit]
    rows = {r.id: r for r in session.scalars(select(EntityRow).where(EntityRow.id.in_(ranked)))}
    return [rows[i] for i in ranked if i in rows]


def list_candidates(session: Session, status: str = "open", limit: int = 100) -> list[dict]:
    a = EntityRow.__table__.alias("a")
    b = EntityRow.__table__.alias("b")
    rows = session.execute(
        select(MergeCandidateRow, a.c.key, a.c.name, b.c.key, b.c.name)
        .join(a, a.c.id == MergeCandidateRow.a_id)
        .join(b, b.c.id == MergeCandidateRow.b_id)
        .where(MergeCandidateRow.status == status)
        .order_by(MergeCandidateRow.score.desc())
        .limit(limit)
    ).all()
    return [
        {"a": ak, "a_name": an, "b": bk, "b_name": bn, "score": c.score, "reason": c.reason,
         "status": c.status}
        for c, ak, an, bk, bn in rows
    ]  # fmt: skip


def entity_profile(session: Session, entity_id: str, *, max_documents: int = 50) -> dict[str, Any]:
    """Everything known about one entity, JSON-ready: record, aliases, facts by kind with
    their events, timeline, related entities and source documents with evidence."""
    e = session.get(EntityRow, entity_id)
    if e is None:
        raise KeyError(entity_id)
    aliases = [
        {"alias": a.alias, "mentions": a.mentions}
        for a in session.scalars(
            select(EntityAliasRow)
            .where(EntityAliasRow.entity_id == e.id)
            .order_by(EntityAliasRow.mentions.desc())
        )
    ]
    # Facts naming this entity in any role, with their events.
    fact_rows = session.execute(
        select(FactRow, FactEntityRow.role, EventFactRow, EventRow.id, EventRow.title)
        .join(FactEntityRow, FactEntityRow.fact_id == FactRow.id)
        .outerjoin(EventFactRow, EventFactRow.fact_id == FactRow.id)
        .outerjoin(EventRow, EventRow.id == EventFactRow.event_id)
        .where(FactEntityRow.entity_id == e.id)
        .order_by(FactRow.as_of, FactRow.id)
    ).all()
    facts_by_kind: dict[str, list[dict]] = defaultdict(list)
    timeline = []
    fact_ids = []
    seen_facts = set()
    for fact, role, ef, event_id, event_title in fact_rows:
        if fact.id in seen_facts:
            continue
        seen_facts.add(fact.id)
        fact_ids.append(fact.id)
        item = {
            "fact_id": fact.id,
            "role": role,
            "args": fact.args,
            "sentence": fact.sentence,
            "document_id": fact.document_id,
            "as_of": fact.as_of.isoformat() if fact.as_of else None,
            "status": ef.status if ef else "extracted",
            "superseded": bool(ef.superseded) if ef else False,
            "fingerprint": ef.fingerprint if ef else None,
            "event": event_id,
        }
        facts_by_kind[fact.kind].append(item)
        if ef is None or ef.status != "rejected":
            timeline.append(
                {"as_of": item["as_of"], "kind": fact.kind, "event": event_title or fact.kind,
                 "document_id": fact.document_id}
            )  # fmt: skip
    related: dict[str, dict] = {}
    if fact_ids:
        for rid, rname, rtype, role in session.execute(
            select(EntityRow.id, EntityRow.name, EntityRow.type, FactEntityRow.role)
            .join(FactEntityRow, FactEntityRow.entity_id == EntityRow.id)
            .where(FactEntityRow.fact_id.in_(fact_ids), EntityRow.id != e.id)
        ).all():
            entry = related.setdefault(rid, {"id": rid, "name": rname, "type": rtype,
                                             "roles": [], "facts": 0})  # fmt: skip
            entry["facts"] += 1
            if role not in entry["roles"]:
                entry["roles"].append(role)
    documents: dict[str, dict] = {}
    for m, title, published, text in session.execute(
        select(MentionRow, DocumentRow.title, DocumentRow.published_at, DocumentRow.text)
        .join(MentionLinkRow, MentionLinkRow.mention_id == MentionRow.id)
        .join(DocumentRow, DocumentRow.id == MentionRow.document_id)
        .where(MentionLinkRow.entity_id == e.id)
        .order_by(DocumentRow.published_at.desc(), MentionRow.id)
    ).all():
        doc = documents.get(m.document_id)
        if doc is None:
            if len(documents) >= max_documents:
                continue
            doc = documents[m.document_id] = {
                "id": m.document_id,
                "title": title,
                "published_at": published.isoformat() if published else None,
                "evidence": [],
            }
        if len(doc["evidence"]) < 3:
            doc["evidence"].append(
                {"text": m.text, "start": m.start, "end": m.end,
                 "sentence": text[m.sentence_start : m.sentence_end]}
            )  # fmt: skip
    candidates = session.execute(
        select(MergeCandidateRow, EntityRow.id, EntityRow.name)
        .join(
            EntityRow,
            or_(
                (EntityRow.id == MergeCandidateRow.b_id) & (MergeCandidateRow.a_id == e.id),
                (EntityRow.id == MergeCandidateRow.a_id) & (MergeCandidateRow.b_id == e.id),
            ),
        )
        .where(MergeCandidateRow.status == "open")
    ).all()
    n_docs = session.scalar(
        select(func.count(func.distinct(MentionRow.document_id)))
        .join(MentionLinkRow, MentionLinkRow.mention_id == MentionRow.id)
        .where(MentionLinkRow.entity_id == e.id)
    )
    timeline.sort(key=lambda t: (t["as_of"] is None, t["as_of"] or ""))
    return {
        "id": e.id,
        "key": e.key,
        "type": e.type,
        "name": e.name,
        "origin": e.origin,
        "region_code": e.region_code,
        "codes": {k: v for k, v in e.attrs.items() if k in ("stock_code", "ticker", "code")},
        "attrs": e.attrs,
        "aliases": aliases,
        "merged_keys": e.merged_keys,
        "mention_count": e.mention_count,
        "document_count": n_docs or 0,
        "facts": dict(facts_by_kind),
        "timeline": timeline,
        "related": sorted(related.values(), key=lambda r: -r["facts"]),
        "documents": list(documents.values()),
        "candidates": [
            {"id": oid, "name": oname, "score": c.score, "reason": c.reason}
            for c, oid, oname in candidates
        ],
        "created_at": e.created_at.isoformat(),
        "updated_at": e.updated_at.isoformat(),
    }


def mention_windows(
    session: Session, mentions: Iterable[MentionIn], width: int, types: frozenset[str]
) -> dict[tuple[str, int], str]:
    """The `width` characters after each mention of `types`, reading each document once
    (paged), so the resolver sees bracketed equivalences without holding whole texts."""
    ends: dict[str, set[int]] = {}
    for m in mentions:
        if m.type in types:
            ends.setdefault(m.document_id, set()).add(m.end)
    out: dict[tuple[str, int], str] = {}
    ids = sorted(ends)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for doc_id, text in session.execute(
            select(DocumentRow.id, DocumentRow.text).where(DocumentRow.id.in_(chunk))
        ):
            for end in ends[doc_id]:
                window = text[end : end + width]
                if "(" in window or "（" in window:
                    out[(doc_id, end)] = window
    return out


# An organisation named only inside a person's title (中国科学院院士俞大鹏) is not what the
# sentence is about: it tells of the person's own institute, not of the academy's work.
_TITLE_AFTER_ORG = "院士"


def entity_sentences(session: Session, ids: list[str]) -> Iterator[tuple[str, str, str, Any]]:
    """(entity id, evidence sentence, document id, published_at) for every mention linked
    to the entities, in entity then mention order; the sentence is cut out in the database.
    Mentions that only form part of a person's title are left out."""
    if not ids:
        return
    sentence = func.substr(
        DocumentRow.text,
        MentionRow.sentence_start + 1,
        MentionRow.sentence_end - MentionRow.sentence_start,
    )
    after = func.substr(DocumentRow.text, MentionRow.end + 1, len(_TITLE_AFTER_ORG))
    yield from session.execute(
        select(MentionLinkRow.entity_id, sentence, MentionRow.document_id, DocumentRow.published_at)
        .join(MentionRow, MentionRow.id == MentionLinkRow.mention_id)
        .join(DocumentRow, DocumentRow.id == MentionRow.document_id)
        .where(MentionLinkRow.entity_id.in_(ids), after != _TITLE_AFTER_ORG)
        .order_by(MentionLinkRow.entity_id, MentionRow.id)
    )
