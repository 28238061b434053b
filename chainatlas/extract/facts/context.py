"""Shared, read-only view of one document for the fact extractors.

Values (money, quantities, dates) are found once over the normalised text and bucketed
by sentence; mentions likewise. `fullest_name` applies the gold convention that an
entity is named by the fullest form the article gives (澄镜医疗 → 苏州澄镜医疗科技有限公司).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chainatlas.extract.records import (
    Arg,
    DateValue,
    EntityType,
    Fact,
    FactKind,
    Mention,
    Money,
    Quantity,
)
from chainatlas.extract.values import find_dates, find_money, find_quantities

__all__ = ["ORG_TYPES", "DocContext", "Sentence"]

ORG_TYPES = frozenset(
    {
        EntityType.COMPANY,
        EntityType.RESEARCH,
        EntityType.PARK,
        EntityType.FACILITY,
        EntityType.ASSOCIATION,
        EntityType.GOVERNMENT,
    }
)
# Words that refer back to the company the text is about.
ANAPHORA_RE = re.compile(r"该公司|该企业|这家企业|这家公司|该集团|后者|公司|企业")


_INVESTOR_END = re.compile(r"(?:资本|创投|基金|投资|资管)$")


def _is_investor(name: str) -> bool:
    return _INVESTOR_END.search(name) is not None


_NO_ANCHOR = date(9998, 12, 31)
_BARE_YI = re.compile(r"(?<![0-9一二三四五六七八九十百千万两数几])(近|超|逾|约)?亿元")


def _bare_yi(norm: str, found: list[tuple[int, int, Money]]) -> list[tuple[int, int, Money]]:
    """近亿元 / 超亿元: the value module skips a unit with no digit; the gold reads 1e8."""
    out = []
    for m in _BARE_YI.finditer(norm):
        if not any(s <= m.start() < e for s, e, _ in found):
            out.append((m.start(), m.end(), Money(m.group(), 1e8, 1e8, 1e8, m.group(1))))
    return out


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    end: int
    norm: str  # normalised sentence text
    mentions: list[Mention]
    money: list[tuple[int, int, Money]]
    quantities: list[tuple[int, int, Quantity]]
    dates: list[tuple[int, int, DateValue]]

    def of(self, *types: EntityType) -> list[Mention]:
        return [m for m in self.mentions if m.type in types]

    def orgs(self) -> list[Mention]:
        return [m for m in self.mentions if m.type in ORG_TYPES]

    def rel(self, pos: int) -> int:
        """Document offset → offset inside `norm`."""
        return pos - self.start


@dataclass(slots=True)
class DocContext:
    text: str
    norm: str
    sentences: list[Sentence]
    mentions: list[Mention]
    title: str | None = None
    published: date | None = None
    _starts: list[int] = field(default_factory=list)
    _full_names: list[Mention] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        text: str,
        norm: str,
        spans: Sequence[tuple[int, int]],
        mentions: list[Mention],
        *,
        title: str | None = None,
        published: date | None = None,
    ) -> DocContext:
        found = find_money(norm)
        money = sorted(found + _bare_yi(norm, found), key=lambda t: t[0])
        qtys = find_quantities(norm)
        if published is not None:
            dates = find_dates(norm, published=published)
        else:
            # No anchor: keep absolute dates only (a far-future anchor never marks them as
            # plans; relative ones resolve to the anchor's year and are dropped).
            dates = [d for d in find_dates(norm, published=_NO_ANCHOR) if d[2].start[:2] != "99"]
        sents: list[Sentence] = []
        for i, (s, e) in enumerate(spans):
            sents.append(
                Sentence(
                    i,
                    s,
                    e,
                    norm[s:e],
                    [m for m in mentions if s <= m.start and m.end <= e],
                    [v for v in money if s <= v[0] and v[1] <= e],
                    [v for v in qtys if s <= v[0] and v[1] <= e],
                    [v for v in dates if s <= v[0] and v[1] <= e],
                )
            )
        ctx = cls(text, norm, sents, mentions, title, published)
        ctx._starts = [s.start for s in sents]
        ctx._full_names = [m for m in mentions if m.type in ORG_TYPES]
        return ctx

    # --- names ---------------------------------------------------------------------

    def fullest_name(self, surface: str) -> str:
        """The longest organisation name in the document that contains `surface`."""
        best = surface
        for m in self._full_names:
            t = self.norm[m.start : m.end]
            if len(t) > len(best) and surface in t:
                best = t
        return best

    def org_arg(self, m: Mention) -> Arg:
        name = self.fullest_name(self.norm[m.start : m.end])
        return Arg(self._surface(name, m.start, m.end), m.start, m.end, m.type)

    def _surface(self, norm_name: str, start: int, end: int) -> str:
        """Original-script text of a (possibly resolved) normalised name."""
        if norm_name == self.norm[start:end]:
            return self.text[start:end]
        i = self.norm.find(norm_name)
        return self.text[i : i + len(norm_name)] if i >= 0 else norm_name

    def anaphor_arg(self, start: int, end: int, before: int) -> Arg | None:
        """Resolve 该公司/公司/后者 at [start, end) to the latest company before `before`."""
        prev = self.subject_company(before)
        if prev is None:
            return None
        name = self.fullest_name(self.norm[prev.start : prev.end])
        return Arg(self._surface(name, prev.start, prev.end), start, end, EntityType.COMPANY)

    def subject_company(self, before: int, back: int = 2) -> Mention | None:
        """The company a sentence is about: the first non-investor company of the current
        sentence (before `before`), else of the previous sentences."""
        si = self.sentence_index(before)
        for k in range(si, max(-1, si - back - 1), -1):
            sent = self.sentences[k] if self.sentences else None
            if sent is None:
                break
            comps = [
                m
                for m in sent.mentions
                if m.type is EntityType.COMPANY
                and m.end <= before
                and not _is_investor(self.norm[m.start : m.end])
            ]
            if comps:
                return comps[0]
        return None

    def last_org_before(
        self, pos: int, types: tuple[EntityType, ...] = tuple(ORG_TYPES), window: int = 2
    ) -> Mention | None:
        """The closest org mention ending before `pos`, within `window` sentences back."""
        si = self.sentence_index(pos)
        lo = self.sentences[max(0, si - window)].start if self.sentences else 0
        best = None
        for m in self.mentions:
            if m.type in types and lo <= m.start and m.end <= pos:
                best = m
        return best

    def sentence_index(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._starts, pos) - 1)

    def arg(self, m: Mention) -> Arg:
        return Arg(self.text[m.start : m.end], m.start, m.end, m.type)

    def span_arg(self, start: int, end: int, etype: EntityType | None = None) -> Arg:
        return Arg(self.text[start:end], start, end, etype)

    def fact(
        self, kind: FactKind, args: dict[str, Any], sent: Sentence, confidence: float, name: str
    ) -> Fact:
        return Fact(
            kind,
            args,
            sent.start,
            sent.end,
            self.text[sent.start : sent.end],
            round(confidence, 3),
            name,
        )
