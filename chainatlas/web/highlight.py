"""Article text cut into paragraphs of plain and highlighted pieces, for safe rendering.

Pure: the template escapes every piece; nothing here produces HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARA = re.compile(r"\n\s*\n")


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    start: int  # offset in the document text
    type: str | None = None  # entity type when the piece is a mention
    anchor: bool = False  # a fact's evidence sentence starts here


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    type: str


def paragraphs(
    text: str, mentions: list[Span], anchors: set[int] = frozenset()
) -> list[list[Piece]]:
    """Split `text` into paragraphs; inside each, mentions become typed pieces.

    Overlapping mentions keep the earlier (then longer) one; anchors split plain text so
    a link can jump to the start of an evidence sentence.
    """
    chosen: list[Span] = []
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if 0 <= m.start < m.end <= len(text) and (not chosen or m.start >= chosen[-1].end):
            chosen.append(m)
    out: list[list[Piece]] = []
    bounds = [0, *(m.end() for m in _PARA.finditer(text))]
    ends = [m.start() for m in _PARA.finditer(text)] + [len(text)]
    for p_start, p_end in zip(bounds, ends, strict=True):
        pieces: list[Piece] = []
        cursor = p_start
        for m in chosen:
            if m.end <= p_start or m.start >= p_end:
                continue
            s, e = max(m.start, p_start), min(m.end, p_end)
            pieces.extend(_plain(text, cursor, s, anchors))
            pieces.append(Piece(text[s:e], s, m.type, s in anchors))
            cursor = e
        pieces.extend(_plain(text, cursor, p_end, anchors))
        if any(p.text.strip() for p in pieces):
            out.append(pieces)
    return out


def _plain(text: str, start: int, end: int, anchors: set[int]) -> list[Piece]:
    cuts = sorted(a for a in anchors if start < a < end)
    pieces = []
    for s, e in zip([start, *cuts], [*cuts, end], strict=True):
        if e > s:
            pieces.append(Piece(text[s:e], s, None, s in anchors))
    return pieces
