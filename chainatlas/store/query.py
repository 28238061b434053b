"""Filtered, keyset-paginated reads for the REST API: documents, mentions, facts, entities
and full-text search with facets, on SQLite and PostgreSQL alike.

Every filter value is a bound parameter (LIKE patterns are escaped), so user text never
becomes SQL. Pagination is by keyset, not offset: a cursor carries the sort key of the last
row served, so pages stay stable and cheap however deep a client walks. Cursors are opaque
to clients (base64url JSON) but validated here: a tampered one raises `CursorError`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Generic, TypeVar

from sqlalchemy import String, and_, cast, false, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Select

from chainatlas.store.kb_schema import EntityRow, FactEntityRow, MentionLinkRow
from chainatlas.store.placements import PlacementRow
from chainatlas.store.schema import DocumentExtractionRow, DocumentRow, FactRow, MentionRow
from chainatlas.store.search import (
    SearchHit,
    _snippet,
    escape_like,
    query_terms,
    term_conditions,
)

__all__ = [
    "FACET_CAP",
    "CursorError",
    "DocumentFilter",
    "EntityFilter",
    "FactFilter",
    "MentionFilter",
    "Page",
    "SearchFilter",
    "count_documents",
    "decode_cursor",
    "documents_page",
    "encode_cursor",
    "entities_page",
    "facts_page",
    "filter_entity_ids",
    "mentions_page",
    "region_prefix",
    "search_facets",
    "search_page",
    "text_match",
]

# Facets count at most this many hits (newest first), so a broad query such as 产业 stays
# fast on a large store; the response says when the cap was reached.
FACET_CAP = 2000
_REGION_CODE = re.compile(r"\d{6}(\d{3}(\d{3})?)?")


class CursorError(ValueError):
    """A cursor that this module did not produce (or produced for another listing)."""


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


# --------------------------------------------------------------------------- cursors


def encode_cursor(kind: str, key: list) -> str:
    raw = json.dumps({"k": kind, "v": key}, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(kind: str, cursor: str, shape: tuple[tuple[type, ...], ...]) -> list:
    """The key inside `cursor`; each position must have one of the types in `shape`."""
    try:
        if len(cursor) > 1000 or not re.fullmatch(r"[A-Za-z0-9_-]+", cursor):
            raise ValueError("bad alphabet")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise CursorError("cursor is not one this API issued") from exc
    if not isinstance(data, dict) or data.get("k") != kind or not isinstance(data.get("v"), list):
        raise CursorError(f"cursor does not belong to the {kind} listing")
    key = data["v"]
    if len(key) != len(shape):
        raise CursorError("cursor has the wrong shape")
    for value, allowed in zip(key, shape, strict=True):
        # bool is an int subclass; a key never holds one.
        if isinstance(value, bool) or not isinstance(value, allowed):
            raise CursorError("cursor has the wrong shape")
    return key


# --------------------------------------------------------------------------- shared filters


def region_prefix(code: str | None) -> str | None:
    """The code prefix shared by a region and everything inside it: 440300 → 4403,
    440000 → 44, 440306 → 440306. None for anything that is not an admin code, which
    callers turn into "matches nothing" rather than an error."""
    if code is None or not _REGION_CODE.fullmatch(code.strip()):
        return None
    head = code.strip()[:6]
    while head.endswith("00") and len(head) > 2:
        head = head[:-2]
    return head if head != "00" else None


def _region_clause(column, code: str) -> ColumnElement[bool]:
    prefix = region_prefix(code)
    if prefix is None:
        return false()
    return column.like(f"{prefix}%", escape="\\")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _date_clauses(column, since: date | None, until: date | None) -> list[ColumnElement[bool]]:
    """`until` is inclusive: the whole of that day counts."""
    out = []
    if since is not None:
        out.append(column >= _day_start(since))
    if until is not None:
        out.append(column < _day_start(until + timedelta(days=1)))
    return out


def _source_clause(value: str) -> ColumnElement[bool]:
    """Site name, or the host of the document's URL (with or without scheme/port)."""
    host = escape_like(value.strip().lower())
    return or_(
        DocumentRow.site == value.strip(),
        func.lower(DocumentRow.url).like(f"%://{host}/%", escape="\\"),
        func.lower(DocumentRow.url).like(f"%://{host}", escape="\\"),
        func.lower(DocumentRow.url).like(f"%://{host}:%", escape="\\"),
    )


def _placed(record_kind: str, chain: str, segment: str | None):
    stmt = select(PlacementRow.record_id).where(
        PlacementRow.record_kind == record_kind, PlacementRow.chain_id == chain
    )
    if segment:
        stmt = stmt.where(PlacementRow.segment_id == segment)
    return stmt


def _entities_in_region(code: str):
    return select(EntityRow.id).where(_region_clause(EntityRow.region_code, code))


def _docs_mentioning(entity_ids) -> Select:
    return (
        select(MentionRow.document_id)
        .join(MentionLinkRow, MentionLinkRow.mention_id == MentionRow.id)
        .where(MentionLinkRow.entity_id.in_(entity_ids))
    )


def _fact_id_text():
    # Project placements key facts by their id as text.
    return cast(FactRow.id, String(32))


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    source: str | None = None
    since: date | None = None
    until: date | None = None
    region: str | None = None
    chain: str | None = None
    segment: str | None = None
    q: str | None = None
    year: int | None = None
    category: str | None = None


def _document_conditions(session: Session, f: DocumentFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.source:
        conds.append(_source_clause(f.source))
    conds += _date_clauses(DocumentRow.published_at, f.since, f.until)
    if f.year is not None:
        conds += _date_clauses(DocumentRow.published_at, date(f.year, 1, 1), date(f.year, 12, 31))
    if f.category:
        conds.append(DocumentRow.category == f.category)
    if f.region:
        conds.append(DocumentRow.id.in_(_docs_mentioning(_entities_in_region(f.region))))
    if f.chain:
        by_entity = _docs_mentioning(_placed("entity", f.chain, f.segment))
        by_project = select(FactRow.document_id).where(
            _fact_id_text().in_(_placed("project", f.chain, f.segment))
        )
        conds.append(or_(DocumentRow.id.in_(by_entity), DocumentRow.id.in_(by_project)))
    if f.q is not None and f.q.strip():
        conds.append(text_match(session, f.q))
    return conds


def text_match(session: Session, query: str) -> ColumnElement[bool]:
    """Documents whose title or body contains every whitespace-separated term
    (`search.term_conditions`), as a condition other filters can join."""
    terms = query_terms(query)
    if not terms:
        return false()
    return and_(*term_conditions(session, terms))


_DOC_ORDER = (DocumentRow.published_at.desc().nulls_last(), DocumentRow.pk.desc())
_DOC_ORDER_SQLITE = (DocumentRow.published_at.desc(), DocumentRow.pk.desc())


def _document_after(key: list) -> ColumnElement[bool]:
    """Rows after (published_at, pk) in the order published_at desc nulls last, pk desc."""
    published, pk = key
    if published is None:
        return and_(DocumentRow.published_at.is_(None), DocumentRow.pk < pk)
    try:
        at = datetime.fromisoformat(published)
    except ValueError as exc:
        raise CursorError("cursor has the wrong shape") from exc
    if at.tzinfo is None:
        raise CursorError("cursor has the wrong shape")
    return or_(
        DocumentRow.published_at < at,
        and_(DocumentRow.published_at == at, DocumentRow.pk < pk),
        DocumentRow.published_at.is_(None),
    )


def _document_key(row: DocumentRow) -> list:
    return [row.published_at.isoformat() if row.published_at else None, row.pk]


_DOC_SHAPE = ((str, type(None)), (int,))


def documents_page(
    session: Session,
    f: DocumentFilter,
    *,
    limit: int = 50,
    cursor: str | None = None,
    offset: int = 0,
) -> Page[DocumentRow]:
    """Newest first. `offset` is kept for old clients; a cursor is the way to page."""
    stmt = select(DocumentRow.pk).where(*_document_conditions(session, f))
    if cursor:
        stmt = stmt.where(_document_after(decode_cursor("documents", cursor, _DOC_SHAPE)))
    # SQLite already sorts NULL last in DESC order, and saying NULLS LAST there stops it
    # walking the published_at index. Keys first, then the page's rows: sorting whole rows
    # (article text included) is what made common search terms slow on large stores.
    order = _DOC_ORDER_SQLITE if session.get_bind().dialect.name == "sqlite" else _DOC_ORDER
    pks = list(session.scalars(stmt.order_by(*order).limit(limit + 1).offset(offset)))
    by_pk = {r.pk: r for r in session.scalars(select(DocumentRow).where(DocumentRow.pk.in_(pks)))}
    rows = [by_pk[pk] for pk in pks if pk in by_pk]
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor("documents", _document_key(rows[-1])) if more else None)


def count_documents(session: Session, f: DocumentFilter) -> int:
    stmt = select(func.count()).select_from(DocumentRow).where(*_document_conditions(session, f))
    return session.scalar(stmt) or 0


# --------------------------------------------------------------------------- search


@dataclass(frozen=True, slots=True)
class SearchFilter:
    site: str | None = None
    year: int | None = None
    category: str | None = None


def _search_filter(q: str, f: SearchFilter) -> DocumentFilter:
    return DocumentFilter(q=q, source=f.site, year=f.year, category=f.category)


def search_page(
    session: Session,
    q: str,
    f: SearchFilter = SearchFilter(),
    *,
    limit: int = 20,
    offset: int = 0,
    cursor: str | None = None,
) -> Page[SearchHit]:
    """Hits newest first, with drill-down filters."""
    terms = query_terms(q)
    if not terms:
        return Page([], None)
    page = documents_page(session, _search_filter(q, f), limit=limit, cursor=cursor, offset=offset)
    hits = []
    for row in page.items:
        snippet, at = _snippet(row, terms[0])
        hits.append(
            SearchHit(row.id, row.title, row.site, row.published_at, snippet, at, len(terms[0]))
        )
    return Page(hits, page.next_cursor)


def _counted(counter: Counter) -> list[dict]:
    return [
        {"value": value, "count": n}
        for value, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))
    ]


def search_facets(
    session: Session,
    q: str,
    f: SearchFilter = SearchFilter(),
    *,
    cap: int = FACET_CAP,
) -> dict:
    """Counts by site, category, year and mentioned entity type over the newest `cap` hits
    of the query (drill-down filters applied). `hits` is the total, uncapped."""
    conds = _document_conditions(session, _search_filter(q, f))
    total = session.scalar(select(func.count()).select_from(DocumentRow).where(*conds)) or 0
    capped = (
        select(DocumentRow.id, DocumentRow.site, DocumentRow.category, DocumentRow.published_at)
        .where(*conds)
        .order_by(*_DOC_ORDER)
        .limit(cap)
    )
    rows = session.execute(capped).all()
    sites: Counter = Counter()
    categories: Counter = Counter()
    years: Counter = Counter()
    for _, site, category, published in rows:
        sites[site or ""] += 1
        categories[category or ""] += 1
        years[published.year if published else None] += 1
    hit_ids = select(capped.subquery().c.id)
    # Distinct entities of each type that the hits mention (linked mentions only).
    types = session.execute(
        select(EntityRow.type, func.count(func.distinct(EntityRow.id)))
        .join(MentionLinkRow, MentionLinkRow.entity_id == EntityRow.id)
        .join(MentionRow, MentionRow.id == MentionLinkRow.mention_id)
        .where(MentionRow.document_id.in_(hit_ids))
        .group_by(EntityRow.type)
    ).all()
    return {
        "hits": total,
        "counted": len(rows),
        "cap": cap,
        "truncated": total > len(rows),
        "site": _counted(sites),
        "category": _counted(categories),
        "year": _counted(years),
        "entity_type": _counted(Counter(dict(types))),
    }


# --------------------------------------------------------------------------- mentions


@dataclass(frozen=True, slots=True)
class MentionFilter:
    type: str | None = None
    document: str | None = None
    region: str | None = None
    since: date | None = None
    until: date | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class MentionItem:
    mention: MentionRow
    sentence: str
    entity_id: str | None


def mentions_page(
    session: Session, f: MentionFilter, *, limit: int = 50, cursor: str | None = None
) -> Page[MentionItem]:
    """Mentions in id order, each with its evidence sentence and linked entity (if any).
    `region` keeps mentions linked to an entity located in that region (rolled up)."""
    # Rows first, document text after, for the page only: joining the (large) text before
    # the sort made a common type such as person read every matching document.
    stmt = select(MentionRow, MentionLinkRow.entity_id).outerjoin(
        MentionLinkRow, MentionLinkRow.mention_id == MentionRow.id
    )
    if f.type:
        stmt = stmt.where(MentionRow.type == f.type)
    if f.document:
        stmt = stmt.where(MentionRow.document_id == f.document)
    if f.region:
        stmt = stmt.where(MentionLinkRow.entity_id.in_(_entities_in_region(f.region)))
    doc_conds = _date_clauses(DocumentRow.published_at, f.since, f.until)
    if f.source:
        doc_conds.append(_source_clause(f.source))
    if doc_conds:
        stmt = stmt.where(MentionRow.document_id.in_(select(DocumentRow.id).where(*doc_conds)))
    if cursor:
        (last,) = decode_cursor("mentions", cursor, ((int,),))
        stmt = stmt.where(MentionRow.id > last)
    rows = session.execute(stmt.order_by(MentionRow.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    texts = dict(
        session.execute(
            select(DocumentRow.id, DocumentRow.text).where(
                DocumentRow.id.in_({m.document_id for m, _ in rows})
            )
        ).all()
    )
    items = [
        MentionItem(m, texts.get(m.document_id, "")[m.sentence_start : m.sentence_end], eid)
        for m, eid in rows
    ]
    return Page(items, encode_cursor("mentions", [items[-1].mention.id]) if more else None)


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True, slots=True)
class FactFilter:
    kind: str | None = None
    entity: str | None = None
    region: str | None = None
    chain: str | None = None
    segment: str | None = None
    since: date | None = None
    until: date | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class FactItem:
    fact: FactRow
    extractor_version: str | None
    entities: list[dict]  # [{role, entity_id}]


def _facts_with_entities(entity_ids) -> Select:
    return select(FactEntityRow.fact_id).where(FactEntityRow.entity_id.in_(entity_ids))


def facts_page(
    session: Session, f: FactFilter, *, limit: int = 50, cursor: str | None = None
) -> Page[FactItem]:
    """Facts in id order. `region` and `chain` go through the entities filling the fact's
    roles (and, for chains, the fact itself when it is a placed investment project)."""
    stmt = select(FactRow, DocumentExtractionRow.extractor_version).outerjoin(
        DocumentExtractionRow, DocumentExtractionRow.document_id == FactRow.document_id
    )
    if f.kind:
        stmt = stmt.where(FactRow.kind == f.kind)
    if f.entity:
        stmt = stmt.where(FactRow.id.in_(_facts_with_entities([f.entity])))
    if f.region:
        stmt = stmt.where(FactRow.id.in_(_facts_with_entities(_entities_in_region(f.region))))
    if f.chain:
        stmt = stmt.where(
            or_(
                FactRow.id.in_(_facts_with_entities(_placed("entity", f.chain, f.segment))),
                _fact_id_text().in_(_placed("project", f.chain, f.segment)),
            )
        )
    # as_of is the publishing date of the fact's document, copied when it was extracted.
    stmt = stmt.where(*_date_clauses(FactRow.as_of, f.since, f.until))
    if f.source:
        stmt = stmt.where(
            FactRow.document_id.in_(select(DocumentRow.id).where(_source_clause(f.source)))
        )
    if cursor:
        (last,) = decode_cursor("facts", cursor, ((int,),))
        stmt = stmt.where(FactRow.id > last)
    rows = session.execute(stmt.order_by(FactRow.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    roles: dict[int, list[dict]] = {}
    if rows:
        for fact_id, role, entity_id in session.execute(
            select(FactEntityRow.fact_id, FactEntityRow.role, FactEntityRow.entity_id)
            .where(FactEntityRow.fact_id.in_([fact.id for fact, _ in rows]))
            .order_by(FactEntityRow.id)
        ):
            roles.setdefault(fact_id, []).append({"role": role, "entity_id": entity_id})
    items = [FactItem(fact, version, roles.get(fact.id, [])) for fact, version in rows]
    return Page(items, encode_cursor("facts", [items[-1].fact.id]) if more else None)


# --------------------------------------------------------------------------- entities


@dataclass(frozen=True, slots=True)
class EntityFilter:
    type: str | None = None
    region: str | None = None
    chain: str | None = None
    segment: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.type or self.region or self.chain)


def _entity_conditions(f: EntityFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.type:
        conds.append(EntityRow.type == f.type)
    if f.region:
        conds.append(_region_clause(EntityRow.region_code, f.region))
    if f.chain:
        conds.append(EntityRow.id.in_(_placed("entity", f.chain, f.segment)))
    return conds


def entities_page(
    session: Session, f: EntityFilter, *, limit: int = 50, cursor: str | None = None
) -> Page[EntityRow]:
    """Entities by name then id."""
    stmt = select(EntityRow).where(*_entity_conditions(f))
    if cursor:
        name, last = decode_cursor("entities", cursor, ((str,), (str,)))
        stmt = stmt.where(
            or_(EntityRow.name > name, and_(EntityRow.name == name, EntityRow.id > last))
        )
    rows = list(session.scalars(stmt.order_by(EntityRow.name, EntityRow.id).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor("entities", [rows[-1].name, rows[-1].id]) if more else None)


def filter_entity_ids(session: Session, ids: list[str], f: EntityFilter) -> set[str]:
    """Which of `ids` pass the filter (for narrowing name-search results)."""
    if not ids:
        return set()
    stmt = select(EntityRow.id).where(EntityRow.id.in_(ids), *_entity_conditions(f))
    return set(session.scalars(stmt))
