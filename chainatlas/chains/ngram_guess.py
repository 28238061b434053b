"""A last-resort guess from character n-grams, for text that holds no catalog word at all.

The keyword index knows whole words (测试设备, 量子密钥分发); a sentence about 仪表校准业务 or
庭审笔录整理软件 may share only pieces of them. This model is fitted, when first needed, on
the index's own terms — templates, curated product catalogue, segment vocabulary — and
nothing else: each segment is described by the character bigrams and trigrams of its
terms, weighted by how specific they are to it (a piece used by many segments, like 设备,
says little). A text is scored by the pieces it shares with each segment.

Pure functions; no model file, no training data beyond the shipped word tables.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["NgramGuess", "NgramModel", "fit", "guess"]

SegmentKey = tuple[str, str]

_CJK_OR_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
_SIZES = (2, 3)
# A piece found in more segments than this is common vocabulary (设备, 材料, 系统).
_MAX_SEGMENTS = 4
# A piece must come from at least this many distinct terms of a segment to describe it,
# so one odd term does not make its every fragment a signal.
_MIN_TERMS = 2
_MIN_SCORE = 1.0


@dataclass(frozen=True, slots=True)
class NgramModel:
    weights: dict[str, dict[SegmentKey, float]]  # piece -> segment -> weight


@dataclass(frozen=True, slots=True)
class NgramGuess:
    key: SegmentKey
    score: float
    pieces: tuple[str, ...]  # the shared pieces, strongest first


def _pieces(text: str) -> set[str]:
    out: set[str] = set()
    for run in _CJK_OR_WORD.findall(text):
        for n in _SIZES:
            out.update(run[i : i + n] for i in range(len(run) - n + 1))
    return out


def fit(terms: Iterable[tuple[str, SegmentKey]]) -> NgramModel:
    """Fit on (term, segment) pairs. A piece's weight for a segment is the share of the
    segment's terms that hold it times log(segments / segments holding it)."""
    holders: dict[str, dict[SegmentKey, set[str]]] = defaultdict(lambda: defaultdict(set))
    size: dict[SegmentKey, int] = defaultdict(int)
    for term, key in terms:
        size[key] += 1
        for piece in _pieces(term):
            holders[piece][key].add(term)
    n_segments = max(len(size), 1)
    weights: dict[str, dict[SegmentKey, float]] = {}
    for piece, by_segment in holders.items():
        if len(by_segment) > _MAX_SEGMENTS:
            continue
        idf = math.log(n_segments / len(by_segment))
        kept = {
            key: len(found) / math.sqrt(size[key]) * idf
            for key, found in by_segment.items()
            if len(found) >= _MIN_TERMS
        }
        if kept:
            weights[piece] = kept
    return NgramModel(weights)


def guess(text: str, model: NgramModel, *, limit: int = 3) -> list[NgramGuess]:
    """Segments the text's pieces point at, best first; empty when nothing clears the
    floor. Overlapping pieces of one word all count, which favours longer shared runs."""
    scores: dict[SegmentKey, float] = defaultdict(float)
    evidence: dict[SegmentKey, list[tuple[float, str]]] = defaultdict(list)
    for piece in _pieces(text):
        for key, weight in model.weights.get(piece, {}).items():
            scores[key] += weight
            evidence[key].append((weight, piece))
    ranked = sorted(
        ((score, key) for key, score in scores.items() if score >= _MIN_SCORE),
        key=lambda sk: (-sk[0], sk[1]),
    )
    return [
        NgramGuess(key, round(score, 3), tuple(p for _, p in sorted(evidence[key], reverse=True)))
        for score, key in ranked[:limit]
    ]
