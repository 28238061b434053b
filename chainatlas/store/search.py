"""Full-text search over documents that finds Chinese substrings, on both engines.

SQLite: FTS5 trigram index (queries of ≥ 3 characters), LIKE for shorter ones.
PostgreSQL: pg_trgm GIN indexes serve LIKE '%q%' directly.
Queries are normalised like the indexed text (Traditional→Simplified, width-folded) and
always bound as parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from chainatlas.store.schema import DocumentRow
from chainatlas.text.normalize import normalize_query

MAX_QUERY_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    title: str | None
    site: str | None
    published_at: datetime | None
    snippet: str  # plain text around the first hit; the caller escapes it when rendering
    hit_start: int  # offset of the hit inside `snippet` (-1 when only the title matched)
    hit_length: int


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _snippet(row: DocumentRow, term: str, width: int = 60) -> tuple[str, int]:
    pos = row.norm_text.find(term)
    if pos < 0:
        return row.text[: width * 2], -1
    start = max(0, pos - width)
    end = min(len(row.text), pos + len(term) + width)
    # norm_text and text have equal length, so the offset found in one is valid in the other.
    return row.text[start:end], pos - start


def search_documents(
    session: Session, query: str, *, limit: int = 20, offset: int = 0
) -> list[SearchHit]:
    """Documents whose title or body contains every whitespace-separated term."""
    # Control characters (NUL above all) are never meaningful in a query and break FTS5.
    cleaned = _CONTROL.sub(" ", query[:MAX_QUERY_CHARS])
    terms = [t for t in normalize_query(cleaned).split() if t]
    if not terms:
        return []
    stmt = select(DocumentRow)
    dialect = session.get_bind().dialect.name
    long_terms = [t for t in terms if len(t) >= 3]
    if dialect == "sqlite" and long_terms:
        # Each term as a quoted FTS5 phrase: user text can never become FTS syntax.
        match = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
        pks = (
            select(text("rowid"))
            .select_from(text("documents_fts"))
            .where(text("documents_fts MATCH :match"))
        )
        stmt = stmt.where(DocumentRow.pk.in_(pks)).params(match=match)
        terms_for_like = [t for t in terms if len(t) < 3]
    else:
        terms_for_like = terms
    for term in terms_for_like:
        pattern = f"%{_escape_like(term)}%"
        stmt = stmt.where(
            or_(
                DocumentRow.norm_text.like(pattern, escape="\\"),
                DocumentRow.norm_title.like(pattern, escape="\\"),
            )
        )
    # Newest first, undated last. SQLite already sorts NULL last in DESC order; saying
    # NULLS LAST there would stop it walking the published_at index and ending early.
    newest = DocumentRow.published_at.desc()
    order = (newest if dialect == "sqlite" else newest.nulls_last(), DocumentRow.pk.desc())
    # Two steps: sort only the keys of every match, then load the page's rows. Sorting
    # whole rows (article text included) made common terms slow on large stores.
    ids = stmt.with_only_columns(DocumentRow.pk).order_by(*order).limit(limit).offset(offset)
    pks = list(session.scalars(ids))
    by_pk = {r.pk: r for r in session.scalars(select(DocumentRow).where(DocumentRow.pk.in_(pks)))}
    rows = [by_pk[pk] for pk in pks if pk in by_pk]
    hits = []
    for row in rows:
        snippet, at = _snippet(row, terms[0])
        hits.append(
            SearchHit(row.id, row.title, row.site, row.published_at, snippet, at, len(terms[0]))
        )
    return hits
