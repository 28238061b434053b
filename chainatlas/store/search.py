"""Full-text search over documents that finds Chinese substrings, on both engines.

SQLite: FTS5 trigram index (terms of ≥ 3 characters; two-character terms through its
vocabulary, see migration 0007), LIKE for single characters.
PostgreSQL: pg_trgm GIN indexes serve LIKE '%q%' directly.
Queries are normalised like the indexed text (Traditional→Simplified, width-folded) and
always bound as parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    text,
    union,
)
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


def query_terms(query: str) -> list[str]:
    """A user query's terms, normalised like the indexed text. Control characters (NUL
    above all) are never meaningful in a query and break FTS5, so they split terms."""
    cleaned = _CONTROL.sub(" ", query[:MAX_QUERY_CHARS])
    return [t for t in normalize_query(cleaned).split() if t]


def escape_like(term: str) -> str:
    """`term` made literal inside a LIKE pattern (with ESCAPE '\\')."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _snippet(row: DocumentRow, term: str, width: int = 60) -> tuple[str, int]:
    pos = row.norm_text.find(term)
    if pos < 0:
        return row.text[: width * 2], -1
    start = max(0, pos - width)
    end = min(len(row.text), pos + len(term) + width)
    # norm_text and text have equal length, so the offset found in one is valid in the other.
    return row.text[start:end], pos - start


def _phrase(term: str) -> str:
    # Each term as a quoted FTS5 phrase: user text can never become FTS syntax.
    return '"' + term.replace('"', '""') + '"'


def _fts_rowids(match: str):
    return (
        select(text("rowid"))
        .select_from(text("documents_fts"))
        .where(text("documents_fts MATCH :fts_match").bindparams(bindparam("fts_match", match)))
    )


def _like(term: str) -> ColumnElement[bool]:
    pattern = f"%{escape_like(term)}%"
    return or_(
        DocumentRow.norm_text.like(pattern, escape="\\"),
        DocumentRow.norm_title.like(pattern, escape="\\"),
    )


def _two_chars(session: Session, term: str, index: int) -> ColumnElement[bool]:
    """A two-character term through the trigram index (migration 0007): the documents
    holding a trigram that starts with it, or a title or text that ends with it — exactly
    the documents containing it, without scanning every text."""
    folded = term.lower()  # the trigram index folds ASCII case, as LIKE does
    trigrams = session.scalars(
        text("SELECT term FROM documents_fts_vocab WHERE term >= :lo AND term < :hi"),
        {"lo": folded, "hi": folded + "\U0010ffff"},
    ).all()
    # One set of primary keys (a UNION), so the query keeps walking the date index and
    # never reads article text; an OR over row columns would make it load every row.
    tails = [
        # -2 written literally: SQLite uses an expression index only for the same text.
        select(DocumentRow.pk).where(
            func.lower(func.substr(column, literal_column("-2"))) == folded
        )
        for column in (DocumentRow.norm_title, DocumentRow.norm_text)
    ]
    if not trigrams:
        return DocumentRow.pk.in_(union(*tails))
    match = " OR ".join(_phrase(t) for t in trigrams)
    rowids = (
        select(literal_column("rowid"))
        .select_from(text("documents_fts"))
        .where(
            text(f"documents_fts MATCH :two_{index}").bindparams(bindparam(f"two_{index}", match))
        )
    )
    return DocumentRow.pk.in_(union(rowids, *tails))


def term_conditions(session: Session, terms: list[str]) -> list[ColumnElement[bool]]:
    """Conditions a document must meet to contain every term (already normalised).

    SQLite: terms of three or more characters go to the FTS5 trigram index in one MATCH,
    two-character terms through the index's vocabulary, single characters by LIKE.
    PostgreSQL: LIKE, which its pg_trgm indexes serve."""
    if session.get_bind().dialect.name != "sqlite":
        return [_like(t) for t in terms]
    conds: list[ColumnElement[bool]] = []
    long_terms = [t for t in terms if len(t) >= 3]
    if long_terms:
        conds.append(DocumentRow.pk.in_(_fts_rowids(" AND ".join(map(_phrase, long_terms)))))
    for i, term in enumerate(t for t in terms if len(t) == 2):
        conds.append(_two_chars(session, term, i))
    conds.extend(_like(t) for t in terms if len(t) < 2)
    return conds


def search_documents(
    session: Session, query: str, *, limit: int = 20, offset: int = 0
) -> list[SearchHit]:
    """Documents whose title or body contains every whitespace-separated term, newest
    first: the REST search without its drill-down filters (`query.search_page`)."""
    from chainatlas.store.query import search_page  # query builds on this module

    return search_page(session, query, limit=limit, offset=offset).items
