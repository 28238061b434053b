"""Typed entity mentions: NER spans repaired by rules, plus gazetteers and suffix rules.

`find_entities(text, norm_text, sentences, ner_spans, resources)` returns sorted,
non-overlapping `Mention`s. Sources, from most to least trusted:

1. Organisation-suffix rules (…有限公司, …研究院, …高新区, …装置): the suffix fixes the
   end and the type; the start comes from an NER span or a region that begins inside
   the same clause, else from the clause start after stop words are cut.
2. NER spans mapped to our types (name → person, company → company, government →
   government, organization/address → refined by suffix), trimmed of descriptors the
   tagger tends to swallow (医疗器械企业…, …总部, …领投).
3. Lexicons: positions, investor-name suffixes (晨岚 + 资本), policy titles (《…》).
4. Gazetteers: listed companies (short names of 3+ characters, or 2 with company
   context), regions via `find_regions`, chain keywords and products as industry terms.
5. Aliases found in the same document: a Latin name in brackets after an organisation, and
   the short name of a registered company (宁夏朔川新材料有限公司 → 朔川新材料).

Overlaps: the longest span wins; on equal length the more trusted source wins.
Matching runs on `norm_text` (same length as `text`), surfaces come from `text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chainatlas.extract.lexicon import (
    BOUNDARY_AFTER_NAME,
    INVESTOR_SUFFIXES,
    ORG_SUFFIXES,
    POSITIONS,
    SURNAMES,
    longest_first,
)
from chainatlas.extract.records import EntityType, Mention
from chainatlas.extract.regions import default_matcher, find_regions
from chainatlas.extract.values import find_stock_codes

if TYPE_CHECKING:
    from chainatlas.extract.core import Resources
    from chainatlas.extract.ner import Span

__all__ = ["EXTRACTOR", "find_entities", "nested_place_regions", "org_type_of"]

EXTRACTOR = "entities.rules.v2"

# Source priorities for equal-length overlaps (higher wins) and their confidences.
# Hand-set; rerun tests/extract/test_entities.py and scripts/check_seed_facts.py.
_PRIO = {"suffix": 6, "investor": 5, "policy": 5, "listed": 4, "alias": 4, "ner": 3, "lexicon": 3}
_PRIO_LOW = {"region": 4, "industry": 1, "person_rule": 2}

_NER_TYPES = {
    "name": EntityType.PERSON,
    "company": EntityType.COMPANY,
    "government": EntityType.GOVERNMENT,
}
# Single characters or bare words never make an organisation on their own.
_SCAN_SUFFIXES = [
    s for s in longest_first(ORG_SUFFIXES) if len(s) >= 2 and s not in {"公司", "政府", "控股"}
]
_SUFFIX_RE = re.compile("|".join(map(re.escape, _SCAN_SUFFIXES)))
_ALL_SUFFIXES = longest_first(ORG_SUFFIXES)
_HARD_BOUNDARY = re.compile(r"[^\u4e00-\u9fffA-Za-z（）()·\-]")
# Words that end the text before a name: cut the candidate after the last of them.
_STOP_WORDS = longest_first(
    (
        "与", "在", "由", "的", "及", "是", "将", "对", "向", "据", "于", "和", "同",
        "企业", "后者", "前者", "其中", "此外", "另外", "以及", "包括", "落户", "签约",
        "位于", "入驻", "举行", "扎根", "坐落于", "发布", "完成", "宣布", "获得", "建设", "投资", "介绍",
        "表示", "目前", "日前", "近日", "已经", "已", "来自", "其", "该", "旗下", "拥有",
        "担任", "作为", "成为", "联合", "携手", "牵头", "依托", "围绕", "推动", "以",
        "中科院", "为", "这一", "这", "建成", "打造", "构建", "由",
    )
)  # fmt: skip
_STOP_RE = re.compile("|".join(map(re.escape, _STOP_WORDS)))
_BAD_CORES = frozenset(
    {"上市", "子", "母", "分", "本", "该", "总", "这家", "一家", "多家", "各", "头部", "龙头",
     "全资子", "控股子", "参股", "合资", "国有", "民营", "外资", "新", "有关", "相关", "下属",
     "管", "省", "市", "区", "县", "国家", "重点", "联合", "两大科学", "科学", "国家级",
     "省级", "市级", "省重点", "国家重点", "研究", "工业", "产业"}
)  # fmt: skip
_GENERIC = frozenset(
    {"总部", "公司", "企业", "集团", "政府", "部门", "园区", "开发区", "高新区", "新区", "项目",
     "实验室", "研究院", "该公司", "本公司", "子公司", "新能源汽车", "管委会", "孵化器"}
)  # fmt: skip
_LEAD_TRIM = (
    "企业", "公司", "机构", "厂商", "建有", "拥有", "构建", "扎根", "位于", "落户", "地处",
    "坐落于", "同在",
)  # fmt: skip
_TRAIL_TRIM = longest_first(
    ("总部", "领投", "跟投", "参投", "独家投资", "方面", "新建工厂", "中国总部", "团队")
)
_COUNTED = re.compile(r"[0-9一二两三四五六七八九十百千万多数几余]+[家个所座]")
_COMPANY_ONLY_ENDS = frozenset({"股份有限公司", "有限责任公司", "有限公司"})
_COMPANY_END = re.compile(r"股份有限公司|有限责任公司|有限公司|大学|研究院|研究所|实验室")
_POSITION_RE = re.compile("|".join(map(re.escape, longest_first(POSITIONS))))
_INVESTOR_RE = re.compile(
    r"(?:" + "|".join(map(re.escape, longest_first(INVESTOR_SUFFIXES))) + r")"
)
_INVEST_VERB_AFTER = re.compile(r"[0-9０-９一二三四五六七八九十百千万亿约超近逾逾总建设兴办了的额]")
_NOT_INVESTOR_TYPES = frozenset({EntityType.PARK, EntityType.GOVERNMENT, EntityType.RESEARCH})
_POLICY_RE = re.compile(r"《[^《》\n]{2,80}》")
_VERB_BEFORE_SUFFIX = re.compile(r"(?:落户|入驻|签约|位于|进驻|引进|扎根|建设|建成|打造)$")
_PARTY_END = re.compile(r"(?:党工委|党委|党组)$")
_NAME_AFTER_POS = re.compile(r"[\u4e00-\u9fff]{2,3}")


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    type: EntityType
    source: str
    confidence: float
    attrs: dict

    @property
    def prio(self) -> int:
        return _PRIO.get(self.source, _PRIO_LOW.get(self.source, 0))


def org_type_of(name: str) -> EntityType | None:
    """The organisation type implied by how `name` ends (longest suffix), if any."""
    for suffix in _ALL_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return ORG_SUFFIXES[suffix]
    return None


def find_entities(
    text: str,
    norm_text: str,
    sentences: Sequence[tuple[int, int]],
    ner_spans: Sequence[Span],
    resources: Resources,
) -> list[Mention]:
    """Typed, non-overlapping mentions of `text` (see module docstring)."""
    if not text:
        return []
    norm = norm_text
    cands: list[_Cand] = []
    regions = find_regions(norm)
    cands.extend(_suffix_orgs(norm, ner_spans, regions))
    cands.extend(_ner_cands(norm, ner_spans))
    cands.extend(_investor_cands(norm, ner_spans))
    cands.extend(_position_cands(norm))
    cands.extend(_policy_cands(norm))
    cands.extend(_person_rule_cands(norm, ner_spans))
    cands.extend(_gazetteer_cands(norm, resources))
    for r in regions:
        cands.append(_Cand(r.start, r.end, EntityType.REGION, "region", r.confidence, r.attrs))
    cands.extend(_business_name_cands(norm, regions))
    chosen = _resolve(cands)
    _extend_joint_venture_prefix(norm, chosen)
    chosen = _resolve([*chosen, *_latin_alias_cands(norm, chosen)])
    chosen = _resolve([*chosen, *_short_name_cands(norm, chosen, regions)])
    _tag_org_regions(chosen, regions)
    mentions = [
        Mention(c.start, c.end, text[c.start : c.end], c.type, c.confidence, EXTRACTOR, c.attrs)
        for c in chosen
        if not _in_boilerplate(norm, c.start)
    ]
    _attach_stock_codes(norm, mentions, resources)
    return mentions


# --- English names written beside Chinese ones ---------------------------------------

# 深圳迈瑞生物医疗电子股份有限公司（Mindray）, 比亚迪（BYD）: a Latin name in brackets right after an
# organisation names it too; the same spelling elsewhere in the document is then a mention
# of that type (the resolver links both through the bracket).
_LATIN_IN_BRACKETS = re.compile(r"\s*[（(]\s*([A-Za-z][A-Za-z0-9&.\- ]{1,28}[A-Za-z0-9.])\s*[)）]")
_ALIAS_TYPES = frozenset(
    {
        EntityType.COMPANY,
        EntityType.RESEARCH,
        EntityType.FACILITY,
        EntityType.PARK,
        EntityType.ASSOCIATION,
    }
)


def _latin_alias_cands(norm: str, chosen: list[_Cand]) -> list[_Cand]:
    names: dict[str, EntityType] = {}
    for c in chosen:
        if c.type in _ALIAS_TYPES:
            m = _LATIN_IN_BRACKETS.match(norm, c.end)
            if m:
                names.setdefault(m.group(1), c.type)
    out: list[_Cand] = []
    for name, etype in names.items():
        for m in re.finditer(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", norm):
            out.append(_Cand(m.start(), m.end(), etype, "alias", 0.8, {"latin_alias": True}))
    return out


# --- Chinese short names of registered companies -----------------------------------

# 宁夏朔川新材料有限公司 … 朔川新材料总经理X: after the first full mention, articles name a
# company by its registered name without the place and the legal form. The tagger rarely
# knows such invented brand names, so the short form is derived from the full name found
# in the same document. Generic heads (中国石油化工… → 石油化工) would tag industry words,
# so a short name must start with two characters that are not a common industry word.
_LEGAL_FORM = re.compile(r"(?:集团)?(?:股份有限公司|有限责任公司|有限公司)$")
_FORM_WORDS = re.compile(r"(?:科技|技术|实业|发展|控股|股份|集团)+$")
# 陕西秦芯功率半导体有限公司 … 秦芯功率: a trailing trade word is dropped as well (the
# 4-character minimum below keeps 朔川 of 朔川新材料 unread).
_TRADE_WORDS = re.compile(r"(?:半导体|新材料|材料|电子|装备|设备|机械|医药|生物|汽车|零部件)$")
_HEADS = (
    "中国中华国家全国国际新能能源电子电力电气汽车生物医药医疗化工石油智能数字信息科技"
    "技术环境环保建设建筑交通投资实业发展产业材料新材机械装备精密光伏半导集成通信网络"
    "软件食品农业物流金融航空航天海洋健康文化城市人工工业先进高新创新"
)
_GENERIC_HEADS = frozenset(_HEADS[i : i + 2] for i in range(0, len(_HEADS), 2))


def _short_name_cands(norm: str, chosen: list[_Cand], regions: list[Mention]) -> list[_Cand]:
    region_end = {r.start: r.end for r in regions}
    shorts: set[str] = set()
    for c in chosen:
        if c.type is not EntityType.COMPANY:
            continue
        form = _LEGAL_FORM.search(norm, c.start, c.end)
        body_start = region_end.get(c.start, c.start)
        if form is None or body_start >= form.start():
            continue
        body = norm[body_start : form.start()]
        # 啟澄生物科技 is called 啟澄生物 or 啟澄生物科技; 澄光科技 keeps its 科技 (澄光 alone is
        # too short to look for safely).
        bare = _FORM_WORDS.sub("", body)
        for core in {body, bare, _TRADE_WORDS.sub("", bare)}:
            if len(core) >= 4 and core[:2] not in _GENERIC_HEADS and _is_cjk(core):
                shorts.add(core)
    out: list[_Cand] = []
    for core in shorts:
        for m in re.finditer(re.escape(core), norm):
            out.append(
                _Cand(m.start(), m.end(), EntityType.COMPANY, "alias", 0.75, {"short_name": True})
            )
    return out


def _is_cjk(s: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in s)


# --- organisation suffix rules -------------------------------------------------------

# Sino-foreign joint parks and institutes (中新广州知识城, 中德(沈阳)高端装备制造产业园,
# 中以创新园): the tagger often starts the name after the two-character country prefix.
_JOINT_PREFIX = re.compile(r"中[新德以欧法英日韩瑞意俄丹荷芬奥澳]$")
_JOINT_TYPES = frozenset({EntityType.PARK, EntityType.RESEARCH, EntityType.COMPANY})


def _extend_joint_venture_prefix(norm: str, chosen: list[_Cand]) -> None:
    taken = [(c.start, c.end) for c in chosen]
    for c in chosen:
        if c.type not in _JOINT_TYPES or c.start < 2:
            continue
        if not _JOINT_PREFIX.search(norm, 0, c.start) or norm[c.start - 3 : c.start - 1] == "其中":
            continue
        # Only when no other mention ends inside the prefix.
        if any(s < c.start and e > c.start - 2 for s, e in taken):
            continue
        c.start -= 2


def _clause_left(norm: str, pos: int, limit: int = 30) -> int:
    """Start of the name-like run that ends at `pos` (after the last hard boundary)."""
    lo = max(0, pos - limit)
    left = lo
    for m in _HARD_BOUNDARY.finditer(norm, lo, pos):
        left = m.end()
    return left


def _cut_stop_words(norm: str, left: int, core_end: int) -> int:
    last = left
    for m in _STOP_RE.finditer(norm, left, core_end):
        if core_end - m.end() >= 2:
            last = m.end()
    return last


def _suffix_orgs(norm: str, ner_spans: Sequence[Span], regions: list[Mention]) -> list[_Cand]:
    out: list[_Cand] = []
    ner_starts = [(s.start, s.end) for s in ner_spans if s.type not in ("name", "position")]
    for m in _SUFFIX_RE.finditer(norm):
        s, e = m.start(), m.end()
        if m.group() in ("党委", "党工委", "市委", "区委", "省委", "县委") and norm.startswith(
            "书记", e
        ):
            continue  # …党委书记 is a position, the organisation ends before 党委
        # 有限公司 inside 股份有限公司: the regex already took the longest; extend 集团 → 集团公司 etc.
        left = _clause_left(norm, s)
        if s - left < 2:
            continue
        start = None
        for ns, ne in ner_starts:
            if left <= ns < s - 1 and ne >= s - 1:
                start = ns if start is None else min(start, ns)
        if start is None:
            cut = _cut_stop_words(norm, left, s)
            reg = [r.start for r in regions if cut <= r.start < s - 1]
            start = min(reg) if reg else cut
        start = _trim_lead(norm, start, s)
        de = norm.rfind("的", start, s)
        if de >= 0 and s - de - 1 >= 2:
            start = de + 1  # 苏州的|明澈眼科…有限公司: the attribute is not part of the name
        if (
            start > 0
            and norm[start] in "家个所座"
            and re.match(r"[0-9一二三四五六七八九十百千万余多]", norm[start - 1])
        ):
            start += 1  # 10家|省实验室: the measure word is not part of the name
        etype = ORG_SUFFIXES[m.group()]
        if etype is not EntityType.COMPANY:
            # 某某有限公司智能门锁产业园: a company name ends inside the run, the park
            # (or lab, or institute) named after it starts after it.
            inner = None
            for c in _COMPANY_END.finditer(norm, start, s):
                inner = c
            if inner is not None and inner.group() in _COMPANY_ONLY_ENDS and s - inner.end() >= 2:
                start = inner.end()
        core = norm[start:s]
        glued = _GLUED_VERB.search(core)
        if glued is not None:
            # 聘任X为集团 / 继续担任集团 / 一职由公司: a verb before a bare 集团/公司 is not part
            # of a name; what is left is the anaphor, which positions resolve from the text.
            continue
        if len(core) < 2 and not (len(core) == 1 and m.group() in ("大学", "学院")):
            continue
        if core in _BAD_CORES or _COUNTED.search(core) or core[-1] in "的和与及":
            continue
        if _VERB_BEFORE_SUFFIX.search(core):
            continue  # 此前落户|园区: a verb and a bare suffix word, not a name
        out.append(_Cand(start, e, etype, "suffix", 0.85, {}))
    return out


# A verb (or the copula of an appointment) right before a bare group or company word.
_GLUED_VERB = re.compile(r"(?:一职由|由|为|担任|兼任|出任)该?$")


def _trim_lead(norm: str, start: int, core_end: int) -> int:
    for word in _LEAD_TRIM:
        i = norm.rfind(word, start, core_end)
        if i >= 0 and core_end - (i + len(word)) >= 2 and norm[i - 2 : i] not in ("有限", "股份"):
            start = i + len(word)
    while start < core_end and norm[start] in "“”\"'‘’「」":
        start += 1
    return start


_BUSINESS = re.compile(
    r"(?:(?![的在和与及是为])[\u4e00-\u9fff]){2,4}?"
    r"(?:生物|科技|医疗|医药|智能|电子|材料|能源|半导体|光电|机器人)"
)


def _business_name_cands(norm: str, regions: list[Mention]) -> list[_Cand]:
    """深圳柏垠生物去年成立: a region + 2-4 characters + a business word at a clause start."""
    out = []
    for r in regions:
        if r.start > 0 and norm[r.start - 1] not in "，。；、,;：:“”\n 与和及":
            continue
        m = _BUSINESS.match(norm, r.end)
        if m is None or m.end() - r.start > 10:
            continue
        if m.end() < len(norm) and _SUFFIX_RE.match(norm, m.end()):
            continue  # a longer organisation name continues; the suffix rule has it
        out.append(_Cand(r.start, m.end(), EntityType.COMPANY, "person_rule", 0.6, {}))
    return out


def _tag_org_regions(chosen: list[_Cand], regions: list[Mention]) -> None:
    """江门中微子实验室: record the region an organisation name starts with."""
    by_start = {r.start: r for r in regions}
    for c in chosen:
        r = by_start.get(c.start)
        if (
            r is not None
            and c.type is not EntityType.REGION
            and r.end < c.end
            and "code" in r.attrs
        ):
            c.attrs.setdefault("region_code", r.attrs["code"])
            c.attrs.setdefault("region", r.text)


# Institutions whose leading place name says where they are: a laboratory or facility is
# named after its site (江门中微子实验室), while a company's prefix is only where it was
# registered, so company names give no region mention.
_PLACE_NAMED_TYPES = frozenset({EntityType.RESEARCH, EntityType.FACILITY})


def nested_place_regions(mentions: Sequence[Mention]) -> list[Mention]:
    """Region mentions for the place a laboratory or facility name starts with.

    `find_entities` keeps mentions non-overlapping, so 江门 inside 江门中微子实验室 is only
    an attribute of the laboratory. Callers that list the regions a document is about
    add these afterwards (attrs `nested=True`); fact rules never see them.
    """
    gaz = default_matcher().gazetteer
    # Only places the text does not name otherwise: a lab named after the city an article
    # is about adds nothing, and a second, broader mention would dilute the document's
    # own region (a 黄埔 article naming 广州实验室 is still about 黄埔).
    named = {
        m.attrs["code"] for m in mentions if m.type is EntityType.REGION and m.attrs.get("code")
    }
    out: list[Mention] = []
    for m in mentions:
        code, name = m.attrs.get("region_code"), m.attrs.get("region")
        if m.type not in _PLACE_NAMED_TYPES or not code or not name:
            continue
        region = gaz.get(code)
        # County names inside names are too often something else (松山湖 is no 松山区).
        if region is None or region.level == "county" or not m.text.startswith(name):
            continue
        if any(gaz.is_within(c, code) for c in named):
            continue
        attrs = {"code": region.code, "full_name": region.full_name, "level": region.level,
                 "lat": region.lat, "lon": region.lon, "ambiguous": False,
                 "candidates": [region.code], "resolved_by": "org_name", "nested": True}  # fmt: skip
        out.append(
            Mention(m.start, m.start + len(name), name, EntityType.REGION, 0.8, EXTRACTOR, attrs)
        )
    return out


# --- NER -----------------------------------------------------------------------------


# Hospital departments and school subjects (呼吸科, 泌尿科, 心内科, 理科): the tagger sometimes
# calls them organisations; they never name one on their own.
_DEPARTMENT = re.compile(r"[\u4e00-\u9fff]{1,4}科(?:室)?")


def _ner_cands(norm: str, ner_spans: Sequence[Span]) -> list[_Cand]:
    out: list[_Cand] = []
    for sp in ner_spans:
        start, end = sp.start, sp.end
        if sp.type == "name":
            c = _person_from_ner(norm, start, end, sp.score)
            if c is not None:
                out.append(c)
            continue
        if sp.type not in ("company", "government", "organization", "address"):
            continue
        cut = _COMPANY_END.search(norm, start, end)
        if cut is not None and cut.end() < end:
            end = cut.end()  # 江苏海岬重工有限公司|深远海养殖: the tagger ran on
        start = _trim_lead(norm, start, end)
        for word in _TRAIL_TRIM:
            if norm.endswith(word, start, end) and end - start - len(word) >= 2:
                end -= len(word)
                break
        de = norm.find("的", start, end)
        if de >= 0:
            # The tagger ran across 的 (苏州的明澈…公司, 香港科学园的生物): keep the side
            # that ends like an organisation.
            if org_type_of(norm[de + 1 : end]) is not None and end - de - 1 >= 4:
                start = de + 1
            elif org_type_of(norm[start:de]) is not None:
                end = de
            else:
                continue
        party = _PARTY_END.search(norm, start, end)
        if party is not None and party.end() == end and norm.startswith("书记", end):
            end = party.start()  # …开发区党工委|书记: the office is 党工委书记, the org ends before
        surface = norm[start:end]
        if (
            surface in _GENERIC
            or len(surface) < 2
            or re.match(r"[0-9亿万元]", surface)
            or "亿元" in surface
            or _DEPARTMENT.fullmatch(surface)
        ):
            continue
        etype = org_type_of(surface)
        if etype is None:
            if sp.type == "address":
                continue  # bare places come from the region matcher
            etype = _NER_TYPES.get(sp.type, EntityType.COMPANY)
        out.append(_Cand(start, end, etype, "ner", round(0.5 + 0.4 * sp.score, 3), {}))
    return out


def _person_from_ner(norm: str, start: int, end: int, score: float) -> _Cand | None:
    name = norm[start:end]
    if not (2 <= len(name) <= 4) or not re.fullmatch(r"[\u4e00-\u9fff]+", name):
        return None
    if name[0] not in SURNAMES and name[:2] not in SURNAMES:
        return None
    # The tagger sometimes stops one character short (刘永|好); extend when the next
    # character cannot start a new word after a name.
    extendable = len(name) == 2 and end < len(norm) and "\u4e00" <= norm[end] <= "\u9fff"
    if (
        extendable
        and norm[end] not in BOUNDARY_AFTER_NAME
        and (end + 1 >= len(norm) or norm[end + 1] in BOUNDARY_AFTER_NAME)
    ):
        end += 1
    return _Cand(start, end, EntityType.PERSON, "ner", round(0.5 + 0.4 * score, 3), {})


def _person_rule_cands(norm: str, ner_spans: Sequence[Span]) -> list[_Cand]:
    """Names right after a position title that the tagger missed (董事长张某说)."""
    named = {(s.start) for s in ner_spans if s.type == "name"}
    out: list[_Cand] = []
    for m in _POSITION_RE.finditer(norm):
        e = m.end()
        if e in named or e >= len(norm):
            continue
        nm = _NAME_AFTER_POS.match(norm, e)
        if nm is None or norm[e] not in SURNAMES:
            continue
        for length in (3, 2):
            end = e + length
            if end <= nm.end() and (end >= len(norm) or norm[end] in BOUNDARY_AFTER_NAME):
                out.append(_Cand(e, end, EntityType.PERSON, "person_rule", 0.6, {}))
                break
    return out


# --- lexicons -------------------------------------------------------------------------


def _position_cands(norm: str) -> list[_Cand]:
    return [
        _Cand(m.start(), m.end(), EntityType.POSITION, "lexicon", 0.9, {})
        for m in _POSITION_RE.finditer(norm)
    ]


def _investor_cands(norm: str, ner_spans: Sequence[Span]) -> list[_Cand]:
    """Fund names the tagger cuts before their suffix: 晨岚|资本, 北辰湾|创投."""
    out: list[_Cand] = []
    for sp in ner_spans:
        if sp.type == "position":
            continue
        m = _INVESTOR_RE.match(norm, sp.end)
        if m is not None and _INVEST_VERB_AFTER.match(norm, m.end()):
            m = None  # 在桐城经开区|投资20亿元: 投资 is the verb, not part of a fund name
        if m is not None and org_type_of(norm[sp.start : sp.end]) in _NOT_INVESTOR_TYPES:
            m = None
        if m is not None:
            start = _trim_lead(norm, sp.start, sp.end)
            out.append(_Cand(start, m.end(), EntityType.COMPANY, "investor", 0.75, {}))
        else:
            # 钱塘科创基金领投: the tagger includes the trailing verb.
            txt = norm[sp.start : sp.end]
            for verb in ("领投", "跟投", "参投"):
                if txt.endswith(verb) and _INVESTOR_RE.search(txt[: -len(verb)]):
                    out.append(
                        _Cand(sp.start, sp.end - 2, EntityType.COMPANY, "investor", 0.75, {})
                    )
    return out


def _policy_cands(norm: str) -> list[_Cand]:
    return [
        _Cand(m.start(), m.end(), EntityType.POLICY, "policy", 0.9, {})
        for m in _POLICY_RE.finditer(norm)
    ]


# --- gazetteers -------------------------------------------------------------------------


def _gazetteer_cands(norm: str, resources: Resources) -> list[_Cand]:
    out: list[_Cand] = []
    listed = resources.listed_index
    for start, end, key in resources.gazetteer.scan(norm):
        if key in listed:
            comp = listed[key]
            if len(key) < 3 and not re.match(r"(?:公司|集团|股份|[（(]\d)", norm[end : end + 3]):
                continue
            if start > 0 and norm[start - 1] in "该这此本其":
                # 该机器人: a stock short name that is also a common noun, used as the noun.
                continue
            attrs = {"stock_code": comp.code, "exchange": comp.exchange, "listed_name": comp.name}
            out.append(_Cand(start, end, EntityType.COMPANY, "listed", 0.8, attrs))
        else:
            out.append(_Cand(start, end, EntityType.INDUSTRY, "industry", 0.7, {}))
    return out


class Gazetteer:
    """Exact dictionary scan, leftmost-longest, indexed by the first two characters."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words = frozenset(w for w in words if len(w) >= 2)
        self._lengths: dict[str, list[int]] = {}
        for w in self._words:
            self._lengths.setdefault(w[:2], []).append(len(w))
        for k in self._lengths:
            self._lengths[k] = sorted(set(self._lengths[k]), reverse=True)

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def scan(self, text: str) -> list[tuple[int, int, str]]:
        out: list[tuple[int, int, str]] = []
        i, n = 0, len(text)
        lengths = self._lengths
        words = self._words
        while i < n - 1:
            lens = lengths.get(text[i : i + 2])
            if lens:
                for length in lens:
                    w = text[i : i + length]
                    if w in words:
                        out.append((i, i + length, w))
                        i += length - 1
                        break
            i += 1
        return out


# --- overlap resolution and attachments ------------------------------------------------


def _resolve(cands: list[_Cand]) -> list[_Cand]:
    cands = [c for c in cands if c.end > c.start]
    cands.sort(key=lambda c: (-(c.end - c.start), -c.prio, c.start))
    taken: list[_Cand] = []
    occupied = bytearray(max((c.end for c in cands), default=0) + 1)
    for c in cands:
        if any(occupied[c.start : c.end]):
            continue
        occupied[c.start : c.end] = b"\x01" * (c.end - c.start)
        taken.append(c)
    taken.sort(key=lambda c: c.start)
    return taken


_CONTACT = re.compile(r"(?:电话|热线|传真|邮箱|E-?mail|联系人|地址|微信|QQ)[:：]", re.I)


def _in_boilerplate(norm: str, pos: int) -> bool:
    """Contact-ad lines (电话：…, 联系人：…) carry names that are not news."""
    line_start = norm.rfind("\n", 0, pos) + 1
    line_end = norm.find("\n", pos)
    line = norm[line_start : line_end if line_end >= 0 else len(norm)]
    return len(line) < 120 and _CONTACT.search(line) is not None


def _attach_stock_codes(norm: str, mentions: list[Mention], resources: Resources) -> None:
    companies = [m for m in mentions if m.type is EntityType.COMPANY]
    for start, _end, code, exchange in find_stock_codes(norm):
        for m in reversed(companies):
            if m.end <= start and start - m.end <= 6:
                m.attrs.setdefault("stock_code", code)
                m.attrs.setdefault("exchange", exchange)
                break
