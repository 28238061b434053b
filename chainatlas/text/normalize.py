"""The normalised copy of a text that we index: Traditional→Simplified, full-width→half-width.

Invariant: the normalised text has exactly the length of the original, character for
character, so a span found in the normalised copy is the same span in the original. We
keep that by converting line by line and falling back to per-character conversion on the
rare line where a phrase rule would change the length.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import opencc

# Full-width ASCII (U+FF01–U+FF5E) and the ideographic space fold to their ASCII forms.
_WIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str  # same length as the original
    changed_chars: int  # characters that differ from the original after T→S conversion

    @property
    def looks_traditional(self) -> bool:
        return self.changed_chars >= 3


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold_width(text: str) -> str:
    """Full-width Latin letters, digits and punctuation → ASCII; 1:1 in length."""
    return text.translate(_WIDTH_TABLE)


def to_simplified(text: str) -> str:
    """Traditional → Simplified, preserving length (see module docstring)."""
    conv = _converter()
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    lines = text.split("\n")
    fixed = []
    for line in lines:
        converted = conv.convert(line)
        if len(converted) != len(line):
            converted = "".join(_char_t2s(ch) for ch in line)
        fixed.append(converted)
    return "\n".join(fixed)


def _char_t2s(ch: str) -> str:
    converted = _converter().convert(ch)
    return converted if len(converted) == 1 else ch


def normalize(text: str) -> Normalized:
    """Index form of `text`: simplified, width-folded, same length as `text`."""
    simplified = to_simplified(text)
    changed = (
        0 if simplified == text else sum(a != b for a, b in zip(text, simplified, strict=True))
    )
    return Normalized(fold_width(simplified), changed)


def normalize_query(query: str) -> str:
    """Queries get the same treatment as indexed text, plus whitespace trimming."""
    return normalize(query.strip()).text
