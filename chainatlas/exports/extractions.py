"""Mentions and facts as JSONL or CSV, each with its evidence and provenance."""

from __future__ import annotations

from typing import TextIO

from sqlalchemy.orm import Session

from chainatlas.exports.rows import row_writer
from chainatlas.extract.serialize import plain_args
from chainatlas.store import extractions

MENTION_FIELDS = [
    "document_id",
    "type",
    "text",
    "start",
    "end",
    "sentence_start",
    "sentence_end",
    "sentence",
    "confidence",
    "extractor",
    "attrs",
]
FACT_FIELDS = [
    "id",
    "document_id",
    "kind",
    "args",
    "sentence_start",
    "sentence_end",
    "sentence",
    "confidence",
    "extractor",
    "as_of",
]


def mention_values(m, sentence: str | None) -> dict:
    """One mention as the export (and the REST API) shows it."""
    return {
        "document_id": m.document_id,
        "type": m.type,
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "sentence_start": m.sentence_start,
        "sentence_end": m.sentence_end,
        "sentence": sentence,
        "confidence": m.confidence,
        "extractor": m.extractor,
        "attrs": m.attrs,
    }


def fact_values(f, *, typed: bool = True) -> dict:
    """One fact as the export (and the REST API) shows it. `typed`: args keep typed values
    (amount with bounds and qualifier), as JSONL does; otherwise a flat view for CSV."""
    return {
        "id": f.id,
        "document_id": f.document_id,
        "kind": f.kind,
        "args": f.args if typed else plain_args(f.args),
        "sentence_start": f.sentence_start,
        "sentence_end": f.sentence_end,
        "sentence": f.sentence,
        "confidence": f.confidence,
        "extractor": f.extractor,
        "as_of": f.as_of.isoformat() if f.as_of else None,
    }


def write_mentions(session: Session, stream: TextIO, fmt: str) -> int:
    write = row_writer(stream, fmt, MENTION_FIELDS)
    n = 0
    for m, sentence in extractions.iter_mentions(session):
        write(mention_values(m, sentence))
        n += 1
    return n


def write_facts(session: Session, stream: TextIO, fmt: str) -> int:
    write = row_writer(stream, fmt, FACT_FIELDS)
    n = 0
    for f in extractions.iter_facts(session):
        write(fact_values(f, typed=fmt == "jsonl"))
        n += 1
    return n
