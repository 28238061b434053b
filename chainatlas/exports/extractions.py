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


def write_mentions(session: Session, stream: TextIO, fmt: str) -> int:
    write = row_writer(stream, fmt, MENTION_FIELDS)
    n = 0
    for m, sentence in extractions.iter_mentions(session):
        write(
            {
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
        )
        n += 1
    return n


def write_facts(session: Session, stream: TextIO, fmt: str) -> int:
    write = row_writer(stream, fmt, FACT_FIELDS)
    n = 0
    for f in extractions.iter_facts(session):
        write(
            {
                "id": f.id,
                "document_id": f.document_id,
                "kind": f.kind,
                # JSONL keeps typed values (amount with bounds and qualifier); CSV a flat view.
                "args": f.args if fmt == "jsonl" else plain_args(f.args),
                "sentence_start": f.sentence_start,
                "sentence_end": f.sentence_end,
                "sentence": f.sentence,
                "confidence": f.confidence,
                "extractor": f.extractor,
                "as_of": f.as_of.isoformat() if f.as_of else None,
            }
        )
        n += 1
    return n
