"""Find Chinese administrative regions in text and normalise them to 6-digit codes.

Three steps, each a small pure function:

1. `RegionMatcher.hits` — dictionary scan over official names and short forms
   (深圳市, 深圳, 黄埔区, 黄埔 …), leftmost-longest, via one compiled trie regex.
2. `_compose` — adjacent names where each lies inside the previous one become one
   mention with the most specific code: 广东省深圳市, 广州黄埔, 北京朝阳区.
3. `_resolve` — names shared by several units (朝阳区, 鼓楼, 南山 …) are resolved by
   the other regions of the document (closest relation wins, same sentence breaks
   ties), then by preferring the broadest level (海南 → the province); otherwise the
   mention is marked ambiguous and lists its candidates.

Common-word rule: names listed in `data/regions/common_word_names.txt` (光明, 城关,
新华, 和平, 长安 …) are everyday words. A bare occurrence is ignored; they count only
when they directly follow a region that contains them (深圳光明 → 光明区). Their official
form with suffix (光明区) is not listed and always matches.

Names followed by an organisation suffix (吉林大学, 中山大学) are still returned but carry
`attrs["inside_org"] = True`; before a zone suffix (南沙新区, 上海自贸区) they carry
`attrs["inside_park"] = True`; before a road suffix (北京路, 中山路) they are dropped.
Phrases in `data/regions/not_region_words.txt` (珠江, 长治久安, 阿里巴巴) are matched
whole and discarded, so the region names inside them are not reported.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from chainatlas.extract.records import EntityType, Mention
from chainatlas.kb.regions import Region, RegionGazetteer

__all__ = ["EXTRACTOR", "RegionMatcher", "find_regions"]

EXTRACTOR = "regions.gazetteer.v1"

# Text right after a name that makes it part of an organisation's name.
ORG_SUFFIXES = (
    "大学", "学院", "银行", "集团", "股份", "实验室", "研究院", "研究所", "医院", "公司",
    "有限", "证券", "控股", "日报", "电视台", "中学", "小学", "农商", "商行", "基金",
    "保险", "信托", "航空", "理工", "师范", "职业技术", "大剧院", "体育馆",
)  # fmt: skip
# Functional zones are parks, not regions (see EntityType.PARK).
PARK_SUFFIXES = (
    "新区", "开发区", "高新区", "经开区", "自贸区", "自贸试验区", "保税区", "综保区",
    "产业园", "工业园", "科技园", "园区", "片区", "科学城", "示范区", "试验区",
)  # fmt: skip
# 北京路, 中山路, 南京东路: a street named after a place, not the place.
ROAD_SUFFIXES = ("路", "街", "大道", "巷", "东路", "西路", "南路", "北路", "中路")

_MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")

# Confidence by how the code was decided. Hand-set; rerun tests/extract/test_regions.py
# and look at the demo corpus output after changing them.
CONF_OFFICIAL = 0.95  # official name (深圳市, 光明区) or composed (广州黄埔)
CONF_SHORT_BROAD = 0.9  # unique short province/city (深圳, 广东)
CONF_CONTEXT = 0.85  # short county confirmed by another region of the document
CONF_DEFAULT_LEVEL = 0.7  # several candidates, broadest level chosen (海南 → 海南省)
CONF_UNSUPPORTED = 0.6  # unique short county with nothing else pointing to it
CONF_AMBIGUOUS = 0.4


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    regions: tuple[Region, ...]
    official: bool  # the surface is some candidate's official name, not a short form
    guarded: bool  # a common word: needs a containing region right before it


@dataclass(slots=True)
class _Group:
    start: int
    end: int
    regions: tuple[Region, ...]
    official: bool
    guarded: bool
    composed: bool = False


def _trie_pattern(keys: Sequence[str]) -> str:
    """A regex equivalent to `a|b|c…` but shaped as a trie, so `re` does not retry every
    key at each position; greedy optional tails make the longest key win."""
    trie: dict = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict) -> str:
        final = "" in node
        branches = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if final:
            return "(?:" + body + ")?" if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return render(trie)


def _read_word_list(filename: str) -> frozenset[str]:
    path = resources.files("chainatlas").joinpath("data/regions", filename)
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return frozenset(words)


class RegionMatcher:
    """Compiled name index over a gazetteer. Build once; `hits` is pure."""

    def __init__(
        self,
        gazetteer: RegionGazetteer,
        common_words: frozenset[str] = frozenset(),
        blockers: frozenset[str] = frozenset(),
    ):
        self.gazetteer = gazetteer
        self._index: dict[str, tuple[Region, ...]] = {}
        self._official: set[str] = set()
        for region in gazetteer:
            self._official.add(region.name)
            for key in (region.name, *region.aliases):
                if len(key) >= 2:
                    self._index[key] = (*self._index.get(key, ()), region)
        self._common = common_words
        # Blockers take part in leftmost-longest matching and are then discarded.
        self._blockers = blockers - self._index.keys()
        self._pattern = re.compile(_trie_pattern(sorted(self._index.keys() | self._blockers)))

    def hits(self, text: str) -> list[_Hit]:
        out: list[_Hit] = []
        for m in self._pattern.finditer(text):
            start, end = m.span()
            key = m.group()
            if key in self._blockers:
                continue
            # 吉林市场 is 吉林 + 市场, not 吉林市 + 场.
            if key.endswith("市") and text.startswith("场", end):
                key = key[:-1]
                end -= 1
                if key not in self._index:
                    continue
            regions = tuple(sorted(self._index[key], key=lambda r: (r.rank, r.code)))
            out.append(_Hit(start, end, regions, key in self._official, key in self._common))
        return out


@cache
def default_matcher() -> RegionMatcher:
    return RegionMatcher(
        RegionGazetteer.load(),
        _read_word_list("common_word_names.txt"),
        _read_word_list("not_region_words.txt"),
    )


def _compose(hits: list[_Hit], gaz: RegionGazetteer) -> list[_Group]:
    """Merge runs of adjacent names where each lies inside the previous one."""
    groups: list[_Group] = []
    current: _Group | None = None
    for hit in hits:
        if current is not None and hit.start == current.end:
            outer = {r.code for r in current.regions}
            inner = tuple(
                r
                for r in hit.regions
                if r.code not in outer and any(a.code in outer for a in gaz.ancestors(r.code))
            )
            if inner:
                current.end = hit.end
                current.regions = inner
                current.official = current.official or hit.official
                current.guarded = False
                current.composed = True
                continue
        if current is not None:
            groups.append(current)
        current = _Group(hit.start, hit.end, hit.regions, hit.official, hit.guarded)
    if current is not None:
        groups.append(current)
    return [g for g in groups if not g.guarded]


def _followed_by(text: str, end: int, suffixes: Sequence[str]) -> bool:
    return any(text.startswith(s, end) for s in suffixes)


class _Relations:
    """Relatedness between units, memoised: a document names few distinct units."""

    def __init__(self, gaz: RegionGazetteer):
        self._gaz = gaz
        self._rollups: dict[str, tuple[Region, ...]] = {}
        self._memo: dict[tuple[str, str], int] = {}

    def _rollup(self, code: str) -> tuple[Region, ...]:
        if code not in self._rollups:
            self._rollups[code] = tuple(self._gaz.rollup(code))
        return self._rollups[code]

    def __call__(self, a: Region, b: Region) -> int:
        """3 same unit or nested in the same county, 2 same city (or same
        municipality), 1 same province, 0 unrelated."""
        key = (a.code, b.code)
        if key not in self._memo:
            other = {r.code for r in self._rollup(b.code)}
            deepest = next((r for r in self._rollup(a.code) if r.code in other), None)
            if deepest is None:
                rel = 0
            elif deepest.level == "county":
                rel = 3
            elif deepest.level == "city" or deepest.code in _MUNICIPALITIES:
                rel = 2
            else:
                rel = 1
            self._memo[key] = rel
        return self._memo[key]


@dataclass(frozen=True, slots=True)
class _Decision:
    region: Region | None
    how: str  # name | composition | context | default | unsupported | ambiguous
    confidence: float


def _decide(
    group: _Group,
    sentence: int,
    anchors: dict[str, tuple[Region, set[int | None]]],
    related: _Relations,
) -> _Decision:
    regions = group.regions
    if len(regions) == 1:
        region = regions[0]
        if group.composed:
            return _Decision(region, "composition", CONF_OFFICIAL)
        if group.official:
            return _Decision(region, "name", CONF_OFFICIAL)
        if region.level != "county":
            return _Decision(region, "name", CONF_SHORT_BROAD)
        if any(related(region, a) for code, (a, _) in anchors.items() if code != region.code):
            return _Decision(region, "context", CONF_CONTEXT)
        return _Decision(region, "unsupported", CONF_UNSUPPORTED)

    def support(region: Region) -> tuple[int, int, int]:
        best, near, total = 0, 0, 0
        for anchor, anchor_sentences in anchors.values():
            rel = related(region, anchor)
            if rel == 0:
                continue
            total += len(anchor_sentences)
            if rel > best:
                best, near = rel, 0
            if rel == best and sentence in anchor_sentences:
                near += 1
        return best, near, total

    scored = sorted(((support(r), r) for r in regions), key=lambda x: x[0], reverse=True)
    top_score = scored[0][0]
    tied = [r for s, r in scored if s == top_score]
    if top_score[0] > 0 and len(tied) == 1:
        return _Decision(tied[0], "context", CONF_CONTEXT)
    broadest = min(r.rank for r in tied)
    at_broadest = [r for r in tied if r.rank == broadest]
    if len(at_broadest) == 1 and len({r.rank for r in tied}) > 1:
        return _Decision(at_broadest[0], "default", CONF_DEFAULT_LEVEL)
    return _Decision(None, "ambiguous", CONF_AMBIGUOUS)


def _sentence_ids(text: str, positions: list[int]) -> list[int]:
    ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    return [bisect.bisect_left(ends, p) for p in positions]


def find_regions(
    text: str,
    *,
    context_codes: Sequence[str] = (),
    matcher: RegionMatcher | None = None,
) -> list[Mention]:
    """Region mentions in `text`, each normalised to an admin code where it can be.

    `context_codes` are regions known from outside the text (the site's city, a
    document tag); they help resolve short or shared names like any region named in
    the text itself.
    """
    matcher = matcher or default_matcher()
    gaz = matcher.gazetteer
    groups = [
        g for g in _compose(matcher.hits(text), gaz) if not _followed_by(text, g.end, ROAD_SUFFIXES)
    ]
    sentences = _sentence_ids(text, [g.start for g in groups])

    # Anchors: names that point to exactly one unit without help from context.
    # Keyed by code: a long document repeats the same few units many times.
    anchors: dict[str, tuple[Region, set[int | None]]] = {}
    for code in context_codes:
        region = gaz.get(code)
        if region is not None:
            anchors.setdefault(region.code, (region, set()))[1].add(None)
    for group, sentence in zip(groups, sentences, strict=True):
        only = group.regions[0]
        if len(group.regions) == 1 and (group.official or group.composed or only.level != "county"):
            anchors.setdefault(only.code, (only, set()))[1].add(sentence)
    related = _Relations(gaz)

    mentions: list[Mention] = []
    for group, sentence in zip(groups, sentences, strict=True):
        decision = _decide(group, sentence, anchors, related)
        region = decision.region
        attrs: dict = {
            "code": region.code if region else None,
            "full_name": region.full_name if region else None,
            "level": region.level if region else None,
            "lat": region.lat if region else None,
            "lon": region.lon if region else None,
            "ambiguous": region is None,
            "candidates": [r.code for r in group.regions],
            "resolved_by": decision.how,
        }
        if _followed_by(text, group.end, ORG_SUFFIXES):
            attrs["inside_org"] = True
        elif _followed_by(text, group.end, PARK_SUFFIXES):
            attrs["inside_park"] = True
        mentions.append(
            Mention(
                start=group.start,
                end=group.end,
                text=text[group.start : group.end],
                type=EntityType.REGION,
                confidence=decision.confidence,
                extractor=EXTRACTOR,
                attrs=attrs,
            )
        )
    return mentions
