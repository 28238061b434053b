"""Sentence boundaries for Chinese text, as offsets into the original string.

A sentence ends at 。！？!?； or a line break; closing quotes and brackets that follow the
terminator stay with it. Over-long stretches (tables, run-on lists) are cut at a comma or,
failing that, at a hard limit, so downstream models see bounded input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MAX_SENTENCE = 240
_END = re.compile(r"[。！？!?；;]+[”’」』）)\"']*|\n+")
_SOFT = re.compile(r"[，,、：:]")


def sentence_spans(text: str, max_len: int = MAX_SENTENCE) -> list[tuple[int, int]]:
    """(start, end) of each non-blank sentence, end exclusive, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        spans.extend(_trimmed_chunks(text, start, match.end(), max_len))
        start = match.end()
    spans.extend(_trimmed_chunks(text, start, len(text), max_len))
    return spans


def _trimmed_chunks(text: str, start: int, end: int, max_len: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > max_len:
        window = text[start : start + max_len]
        cut = max((m.end() for m in _SOFT.finditer(window, max_len // 2)), default=max_len)
        yield start, start + cut
        start += cut
    if end > start:
        yield start, end
