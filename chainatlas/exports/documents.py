"""Document export as JSONL or CSV, streamed (flat memory on large stores)."""

from __future__ import annotations

from typing import TextIO

from sqlalchemy.orm import Session

from chainatlas.exports.rows import row_writer
from chainatlas.store import documents
from chainatlas.store.schema import DocumentRow

FIELDS = [
    "id",
    "url",
    "site",
    "title",
    "published_at",
    "category",
    "tags",
    "author",
    "text",
    "links",
    "dup_of",
    "breadcrumb",
    "encoding",
    "script",
    "fetched_at",
]


def document_record(row: DocumentRow) -> dict:
    return {
        "id": row.id,
        "url": row.url,
        "site": row.site,
        "title": row.title,
        "published_at": row.published_at.isoformat() if row.published_at else None,
        "category": row.category,
        "tags": list(row.tags or []),
        "author": row.author,
        "text": row.text,
        "links": list(row.links or []),
        "dup_of": row.dup_of,
        "breadcrumb": list(row.breadcrumb or []),
        "encoding": row.encoding,
        "script": row.script,
        "fetched_at": row.fetched_at.isoformat() if row.fetched_at else None,
    }


def write_documents(session: Session, stream: TextIO, fmt: str) -> int:
    write = row_writer(stream, fmt, FIELDS)
    n = 0
    for row in documents.iter_all(session):
        write(document_record(row))
        n += 1
    return n
