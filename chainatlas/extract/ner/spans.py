"""Typed span records and BIO conversions shared by the tagger, trainer and evaluator."""

from __future__ import annotations

from dataclasses import dataclass

# CLUENER2020 entity types. The product consumes the first six; the other four are
# still learnt because telling a book title from a company name helps both.
PRODUCT_TYPES: tuple[str, ...] = (
    "name",
    "company",
    "government",
    "organization",
    "position",
    "address",
)
ALL_TYPES: tuple[str, ...] = (*PRODUCT_TYPES, "game", "movie", "book", "scene")


@dataclass(frozen=True, slots=True)
class Span:
    """One entity mention: ``text[start:end]`` (end exclusive) of ``type``."""

    start: int
    end: int
    type: str
    score: float


def bio_tag_names(types: tuple[str, ...] = ALL_TYPES) -> list[str]:
    """Tag inventory: ``O`` first, then ``B-t``/``I-t`` per type."""
    names = ["O"]
    for t in types:
        names.extend((f"B-{t}", f"I-{t}"))
    return names


def spans_to_bio(
    length: int, spans: list[tuple[int, int, str]], tag_index: dict[str, int]
) -> list[int]:
    """Encode (start, end_exclusive, type) spans as BIO ids; earlier spans win overlaps."""
    tags = [0] * length
    for start, end, typ in spans:
        if start >= end or any(tags[i] for i in range(start, end)):
            continue
        tags[start] = tag_index[f"B-{typ}"]
        for i in range(start + 1, end):
            tags[i] = tag_index[f"I-{typ}"]
    return tags


def bio_to_spans(tag_ids: list[int], tag_names: list[str]) -> list[tuple[int, int, str]]:
    """Decode BIO ids into (start, end_exclusive, type); a stray I- opens a new span."""
    out: list[tuple[int, int, str]] = []
    start, typ = -1, ""
    for i, tid in enumerate([*tag_ids, 0]):
        name = tag_names[tid] if i < len(tag_ids) else "O"
        if name.startswith("I-") and start >= 0 and name[2:] == typ:
            continue
        if start >= 0:
            out.append((start, i, typ))
            start, typ = -1, ""
        if name != "O":
            start, typ = i, name[2:]
    return out
