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
ANAPHORA_RE = re.compile(r"该公司|该企业|这家企业|这家公司|该集团|后者|公司|企业|集团")


_INVESTOR_END = re.compile(r"(?:资本|创投|基金|投资|资管)$")


def _is_investor(name: str) -> bool:
    return _INVESTOR_END.search(name) is not None


# What introduces or ends the name of a unit of another company (is_dependent_unit).
_UNIT_BEFORE = ("子公司", "子公司的", "孙公司", "分公司")
_UNIT_END = ("事业部", "分公司")
# A span the tagger read as a company that names a site or a project of one
# (渝驰新能源汽车二期工厂): never what a later 公司 refers to.
_SITE_END = ("工厂", "基地", "项目", "产业园", "工程", "生产线", "厂区")


_NO_ANCHOR = date(9998, 12, 31)


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
    _org_names: list[str] = field(default_factory=list)
    _fullest: dict[str, str] = field(default_factory=dict)
    _org_starts: frozenset[int] = frozenset()

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
        money = find_money(norm)  # includes 近亿元 / 超亿元 (values.money)
        qtys = find_quantities(norm)
        if published is not None:
            dates = find_dates(norm, published=published)
        else:
            # No anchor: keep absolute dates only (a far-future anchor never marks them as
            # plans; relative ones resolve to the anchor's year and are dropped).
            dates = [d for d in find_dates(norm, published=_NO_ANCHOR) if d[2].start[:2] != "99"]
        # Bucket by sentence with a binary search: linear in document size (a 10 MB
        # document has ~10^5 sentences and ~10^6 mentions; a scan per sentence is quadratic).
        starts = [s for s, _ in spans]

        def bucket(items, start_of, end_of):
            out: list[list] = [[] for _ in spans]
            for item in items:
                i = bisect.bisect_right(starts, start_of(item)) - 1
                if i >= 0 and end_of(item) <= spans[i][1]:
                    out[i].append(item)
            return out

        by_mention = bucket(mentions, lambda m: m.start, lambda m: m.end)
        by_money = bucket(money, lambda v: v[0], lambda v: v[1])
        by_qty = bucket(qtys, lambda v: v[0], lambda v: v[1])
        by_date = bucket(dates, lambda v: v[0], lambda v: v[1])
        sents: list[Sentence] = [
            Sentence(i, s, e, norm[s:e], by_mention[i], by_money[i], by_qty[i], by_date[i])
            for i, (s, e) in enumerate(spans)
        ]
        ctx = cls(text, norm, sents, mentions, title, published)
        ctx._starts = [s.start for s in sents]
        ctx._full_names = [m for m in mentions if m.type in ORG_TYPES]
        ctx._org_starts = frozenset(m.start for m in ctx._full_names)
        # Distinct names in first-seen order: fullest_name scans names, not mentions, and
        # remembers its answers (a long document repeats the same few hundred names).
        ctx._org_names = list(dict.fromkeys(norm[m.start : m.end] for m in ctx._full_names))
        return ctx

    # --- names ---------------------------------------------------------------------

    def fullest_name(self, surface: str) -> str:
        """The longest organisation name in the document that contains `surface`.

        A name that ends with `surface` wins over one that merely contains it: 光源 is
        南岭先进光源 (same head noun), not 南岭光源研究院."""
        cached = self._fullest.get(surface)
        if cached is not None:
            return cached
        best = surface
        best_tail = False
        for t in self._org_names:
            if len(t) <= len(surface) or surface not in t:
                continue
            tail = t.endswith(surface)
            if (tail, len(t)) > (best_tail, len(best)):
                best, best_tail = t, tail
        self._fullest[surface] = best
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

    def anaphor_arg(self, start: int, end: int, before: int, word: str | None = None) -> Arg | None:
        """Resolve 该公司/公司/后者 at [start, end) to the latest company before `before`;
        集团 to the latest company whose name says it is a group."""
        # Four sentences back: a paragraph often opens with 公司 after a figure-only
        # paragraph (一期工程形成年产能…。公司董事长…).
        prev = (self.group_company(before) if word and "集团" in word else None) or (
            self.subject_company(before, back=4) or self.topic_company(before)
        )
        if prev is None:
            return None
        name = self.fullest_name(self.norm[prev.start : prev.end])
        return Arg(self._surface(name, prev.start, prev.end), start, end, EntityType.COMPANY)

    def group_company(self, before: int) -> Mention | None:
        """集团 in 「集团旗下X公司…由集团副总裁…」: the group named before, not its subsidiary."""
        found: list[tuple[bool, Mention]] = []
        for m in self.mentions:
            if m.end > before:
                break
            name = self.fullest_name(self.norm[m.start : m.end])
            if m.type is EntityType.COMPANY and "集团" in name:
                found.append((name.endswith("公司"), m))
        # A registered name (…集团有限公司) beats a tagger span that merely ends in 集团.
        best = [m for full, m in found if full] or [m for _f, m in found]
        return best[-1] if best else None

    def is_attributive_place(self, m: Mention) -> bool:
        """上海临港的上海澄川…公司: a name standing before 的 and another organisation says
        where that organisation is; it is not the subject of the sentence."""
        return self.norm.startswith("的", m.end) and (m.end + 1) in self._org_starts

    def is_dependent_unit(self, m: Mention) -> bool:
        """控股子公司X / 全资子公司X / X事业部 / X二期工厂: a unit or a site of another
        company. A bare 公司 or 其 later in the text still means the parent the article is
        about (该子公司 is resolved separately), so such a unit is never its antecedent."""
        name = self.norm[m.start : m.end]
        head = self.norm[max(0, m.start - 6) : m.start]
        return (
            "子公司" in name
            or head.endswith(_UNIT_BEFORE)
            or name.endswith(_UNIT_END)
            or name.endswith(_SITE_END)
        )

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
                and not self.is_attributive_place(m)
                and not self.is_dependent_unit(m)
            ]
            if comps:
                return comps[0]
        return None

    def topic_company(self, before: int) -> Mention | None:
        """The company a profile article is about, for 公司 far from any company mention
        (迈瑞… three paragraphs on, 公司董事长…): the only company named before `before`,
        counting short names as their full name, or the one named at least twice as
        often as any other."""
        counts: dict[str, int] = {}
        first: dict[str, Mention] = {}
        for m in self.mentions:
            if m.end > before:
                break
            if m.type is not EntityType.COMPANY or _is_investor(self.norm[m.start : m.end]):
                continue
            if self.is_attributive_place(m) or self.is_dependent_unit(m):
                continue
            name = self.fullest_name(self.norm[m.start : m.end])
            counts[name] = counts.get(name, 0) + 1
            first.setdefault(name, m)
        if not counts:
            return None
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]:
            return first[ranked[0][0]]
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
        # An argument resolved from an earlier sentence (the company a paragraph is about)
        # keeps its name but gets an empty span at the sentence start: spans always point
        # into the evidence sentence.
        args = {k: _in_sentence(v, sent) for k, v in args.items()}
        return Fact(
            kind,
            args,
            sent.start,
            sent.end,
            self.text[sent.start : sent.end],
            round(confidence, 3),
            name,
        )


def _in_sentence(value: Any, sent: Sentence) -> Any:
    if isinstance(value, list):
        return [_in_sentence(v, sent) for v in value]
    if isinstance(value, Arg) and not (sent.start <= value.start <= value.end <= sent.end):
        return Arg(value.text, sent.start, sent.start, value.type)
    return value
