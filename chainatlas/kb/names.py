"""Name analysis for entity resolution (pure): company names, government bodies, people.

A Chinese organisation name is read as ``[region prefix][core][industry words][legal form]``:
深圳 | 迈瑞 | 生物医疗电子 | 股份有限公司. Resolution blocks on the core (迈瑞) and compares
the other parts, so 迈瑞 / 迈瑞医疗 / 深圳迈瑞生物医疗电子股份有限公司 meet in one block while
苏州澜图科技 and 合肥澜图科技 are kept apart by their regions.

Government bodies get a canonical key ``region code + expanded body name``, so
广东省科技厅 and 广东省科学技术厅 share one key. The abbreviation table is data
(`GOV_ABBREVIATIONS`), ordered longest first when applied.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from chainatlas.kb.regions import Region, RegionGazetteer
from chainatlas.text.normalize import fold_width, to_simplified

__all__ = [
    "GOV_ABBREVIATIONS",
    "INDUSTRY_WORDS",
    "LEGAL_FORMS",
    "CompanyName",
    "GovName",
    "RegionPrefix",
    "canonical_gov_body",
    "canonical_park",
    "clean",
    "colocated_admin",
    "is_generic_name",
    "is_generic_org",
    "parse_company",
    "parse_gov",
    "parse_org",
    "person_key",
    "region_prefix",
    "regions_compatible",
]

# Legal-form suffixes, longest first so 股份有限公司 wins over 有限公司.
LEGAL_FORMS: tuple[str, ...] = tuple(
    sorted(
        {
            "集团股份有限公司",
            "集团有限责任公司",
            "集团有限公司",
            "股份有限公司",
            "有限责任公司",
            "股份合作公司",
            "控股有限公司",
            "有限公司",
            "股份公司",
            "集团公司",
            "总公司",
            "分公司",
            "公司",
            "集团",
            "控股",
            "股份",
            "co.,ltd.",
            "co., ltd.",
            "co.,ltd",
            "co., ltd",
            "ltd.",
            "ltd",
            "inc.",
            "inc",
            "corp.",
            "corporation",
            "group",
            "limited",
        },
        key=len,
        reverse=True,
    )
)

# Words that describe the line of business, peeled off the end of a name to find its core.
# Kept conservative: a word here must rarely be a brand on its own.
INDUSTRY_WORDS: tuple[str, ...] = tuple(
    sorted(
        {
            "科技", "技术", "生物", "医疗", "医药", "制药", "药业", "电子", "电气", "电器",
            "新能源", "能源", "智能", "智造", "材料", "新材料", "信息", "网络", "软件", "数据",
            "通信", "通讯", "汽车", "动力", "电池", "储能", "光电", "光伏", "半导体", "微电子",
            "集成电路", "芯片", "机器人", "装备", "设备", "器械", "仪器", "机械", "精密", "制造",
            "工业", "实业", "化学", "化工", "石化", "环保", "环境", "航空", "航天", "导航",
            "卫星通信", "发展", "投资", "创投", "资本", "基金", "产业", "国际", "贸易", "物流",
            "传媒", "文化", "教育", "健康", "医学", "基因", "生命科学", "农业", "食品", "纺织",
            "建设", "建筑", "工程", "置业", "地产", "金融", "银行", "证券", "保险", "控股",
            "互联网", "云计算", "人工智能", "影像", "检测", "诊断", "生物医疗", "激光", "光学",
            "显示", "照明", "新药", "疫苗", "钢铁", "有色", "矿业", "电力", "燃气", "水务",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip

# Abbreviation → full form for government bodies (applied to the body after the region).
GOV_ABBREVIATIONS: dict[str, str] = {
    "发改委": "发展和改革委员会",
    "发改局": "发展和改革局",
    "科技厅": "科学技术厅",
    "科技局": "科学技术局",
    "科技委": "科学技术委员会",
    "科委": "科学技术委员会",
    "工信厅": "工业和信息化厅",
    "工信局": "工业和信息化局",
    "工信部": "工业和信息化部",
    "经信委": "经济和信息化委员会",
    "经信局": "经济和信息化局",
    "经信厅": "经济和信息化厅",
    "商务厅": "商务厅",
    "人社局": "人力资源和社会保障局",
    "人社厅": "人力资源和社会保障厅",
    "人社部": "人力资源和社会保障部",
    "住建局": "住房和城乡建设局",
    "住建厅": "住房和城乡建设厅",
    "住建部": "住房和城乡建设部",
    "自然资源局": "自然资源局",
    "规自局": "规划和自然资源局",
    "生态环境局": "生态环境局",
    "环保局": "环境保护局",
    "市监局": "市场监督管理局",
    "市场监管局": "市场监督管理局",
    "国资委": "国有资产监督管理委员会",
    "财政厅": "财政厅",
    "教育厅": "教育厅",
    "卫健委": "卫生健康委员会",
    "卫健局": "卫生健康局",
    "统计局": "统计局",
    "投促局": "投资促进局",
    "招商局": "投资促进局",
    "金融局": "地方金融监督管理局",
    "管委会": "管理委员会",
    "政府办": "人民政府办公室",
    "政府": "人民政府",
}
_GOV_ABBR_ORDER = sorted(GOV_ABBREVIATIONS, key=len, reverse=True)

_BRACKETS = re.compile(r"[(（\[【]([^)）\]】]*)[)）\]】]")
_SPACES = re.compile(r"[\s\u3000·•・\"“”'‘’《》〈〉「」『』]+")
_STOCK_CODE = re.compile(r"(?<!\d)([036894]\d{5})(?!\d)")
_LATIN = re.compile(r"^[a-z0-9&.,' -]+$")


def clean(text: str) -> str:
    """Comparison form: NFKC, Simplified, width-folded, lower case, no spaces or quotes."""
    text = unicodedata.normalize("NFKC", fold_width(to_simplified(text)))
    return _SPACES.sub("", text).lower().strip("-_,.;:，。；：、")


# --- regions -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegionPrefix:
    text: str  # the characters consumed, e.g. 广东省深圳市
    code: str  # most specific admin code, e.g. 440300
    level: str  # province | city | county


@lru_cache(maxsize=1)
def _region_names() -> tuple[dict[str, list[Region]], int]:
    """Names usable as a prefix: every official/full name, and short forms of provinces
    and cities. Bare county short forms (朝阳, 金山, 江南) are left out: they begin too
    many brand names to strip safely."""
    gaz = RegionGazetteer.load()
    names: dict[str, list[Region]] = {}
    for region in gaz:
        keys = {region.name, region.full_name}
        if region.level != "county":
            keys.update(a for a in region.aliases if len(a) >= 2)
        for key in keys:
            names.setdefault(key, []).append(region)
    for hits in names.values():
        hits.sort(key=lambda r: (r.rank, r.code))
    return names, max(len(k) for k in names)


def regions_compatible(a: str | None, b: str | None) -> bool:
    """True when either is unknown or one region contains the other (by code prefix)."""
    if not a or not b or a == b:
        return True
    return _within(a, b) or _within(b, a)


def _code_prefix(code: str) -> str:
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def _within(code: str, ancestor: str) -> bool:
    return code.startswith(_code_prefix(ancestor))


def region_prefix(text: str, *, min_rest: int = 2) -> tuple[RegionPrefix | None, str]:
    """Peel administrative names off the front: 广东省深圳市光明区X → (440311, X).

    Stops when fewer than `min_rest` characters would remain. A later unit must lie inside
    the earlier one (广东深圳 yes; 广东苏州 stops after 广东)."""
    names, longest = _region_names()
    found: RegionPrefix | None = None
    pos = 0
    while True:
        hit = None
        for length in range(min(longest, len(text) - pos - min_rest), 1, -1):
            regions = names.get(text[pos : pos + length])
            if not regions:
                continue
            inside = [r for r in regions if found is None or _within(r.code, found.code)]
            if inside and not (found and inside[0].code == found.code):
                hit = (length, inside[0])
                break
        if hit is None:
            break
        length, region = hit
        pos += length
        found = RegionPrefix(text[:pos], region.code, region.level)
        if region.level == "county":
            break
    return found, text[pos:]


# --- companies and other organisations ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompanyName:
    text: str  # cleaned input
    region: RegionPrefix | None
    core: str  # brand part used for blocking, e.g. 迈瑞
    industry: tuple[str, ...]  # industry words in order, e.g. (生物, 医疗, 电子)
    legal_form: str | None  # 股份有限公司 …
    stock_code: str | None  # a code written in the name: 卫星化学(002648)
    # A region-looking start kept as brand (合肥澜图): the split resolution may try instead.
    alt: tuple[RegionPrefix, str] | None = None

    @property
    def base(self) -> str:
        """Name without region and legal form: 迈瑞生物医疗电子."""
        return self.core + "".join(self.industry)

    @property
    def region_code(self) -> str | None:
        return self.region.code if self.region else None

    @property
    def is_full(self) -> bool:
        """Carries a legal form or a region: a registered-looking name, not a short form."""
        return self.legal_form is not None or self.region is not None


def _strip_brackets(text: str) -> tuple[str, str | None, RegionPrefix | None]:
    """Remove bracketed parts; keep a stock code or a region found inside them."""
    code = None
    region = None
    for inner in _BRACKETS.findall(text):
        m = _STOCK_CODE.search(inner)
        if m:
            code = m.group(1)
            continue
        prefix, rest = region_prefix(inner, min_rest=0)
        if prefix and not rest:
            region = prefix
    return _BRACKETS.sub("", text), code, region


def _strip_legal_form(text: str) -> tuple[str, str | None]:
    form = None
    # Repeat: 集团股份有限公司 may be written 集团 + 股份有限公司 around an industry word.
    for _ in range(2):
        for suffix in LEGAL_FORMS:
            if len(text) > len(suffix) and text.endswith(suffix):
                text = text[: -len(suffix)].rstrip(" ,.")
                form = suffix if form is None else suffix + form
                break
        else:
            break
    return text, form


def _peel_industry(text: str, min_core: int = 2) -> tuple[str, tuple[str, ...]]:
    words: list[str] = []
    while True:
        for word in INDUSTRY_WORDS:
            if text.endswith(word) and len(text) - len(word) >= min_core:
                words.insert(0, word)
                text = text[: -len(word)]
                break
        else:
            return text, tuple(words)


@lru_cache(maxsize=500_000)
def parse_company(text: str) -> CompanyName:
    """Split a company name into region prefix, core, industry words and legal form."""
    name = clean(text)
    body, code, bracket_region = _strip_brackets(name)
    body, form = _strip_legal_form(body)
    if _LATIN.match(body):  # English names: no region or industry analysis
        return CompanyName(name, bracket_region, body, (), form, code)
    prefix, rest = region_prefix(body)
    alt = None
    if prefix is not None:
        core, industry = _peel_industry(rest)
        if len(core) < 2 or (not industry and form is None and len(rest) <= 2):
            # 金山软件, 南京银行, 宁德时代: the "region" may be part of the brand; keep the
            # whole name as core and remember the split for the resolver to try.
            alt = (prefix, core) if len(core) >= 2 else None
            prefix, rest = None, body
    core, industry = _peel_industry(rest)
    return CompanyName(name, prefix or bracket_region, core, industry, form, code, alt)


# Suffixes that mark the kind of non-company organisation; they stay part of the base.
_ORG_TRAILERS = ("有限公司", "公司")


@lru_cache(maxsize=200_000)
def parse_org(text: str) -> CompanyName:
    """Parks, labs, facilities, associations: region prefix + base, no industry peeling
    (深圳光明科学城 → 440311? no: 深圳 + 光明科学城, and 光明科学城 alone). Long zone kinds
    are shortened (东湖新技术开发区 → 东湖高新区) so both spellings share a base."""
    name = clean(text)
    body, code, bracket_region = _strip_brackets(name)
    prefix, rest = region_prefix(body, min_rest=3)
    return CompanyName(name, prefix or bracket_region, _short_kind(rest), (), None, code)


_KB_DATA = Path(__file__).resolve().parent.parent / "data" / "kb"


def _read_rows(name: str) -> list[list[str]]:
    rows = []
    for line in (_KB_DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([cell.strip() for cell in line.split("\t")])
    return rows


@lru_cache(maxsize=1)
def _park_tables() -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    """(kind suffix → short kind, longest first; nickname → full name), both cleaned."""
    kinds, aliases = [], {}
    for row in _read_rows("park_names.tsv"):
        if row[0] == "kind":
            kinds.append((clean(row[1]), clean(row[2])))
        elif row[0] == "alias":
            aliases[clean(row[1])] = clean(row[2])
    kinds.sort(key=lambda kv: len(kv[0]), reverse=True)
    return tuple(kinds), aliases


def _short_kind(base: str) -> str:
    for long, short in _park_tables()[0]:
        if base.endswith(long) and long != short:
            return base[: -len(long)] + short
    return base


def canonical_park(text: str) -> str:
    """The full name a park nickname stands for (光谷 → 武汉东湖高新区), else the input
    cleaned. Only whole names are replaced: 光谷生物城 is a different park."""
    name = clean(text)
    return _park_tables()[1].get(name, name)


@lru_cache(maxsize=1)
def _colocated() -> dict[str, str]:
    return {clean(a): clean(b) for a, b, *_ in _read_rows("colocated_admin.tsv")}


def colocated_admin(text: str) -> str:
    """The district a zone administration is merged with (广州开发区 → 广州市黄埔区), else
    the input cleaned."""
    name = clean(text)
    return _colocated().get(name, name)


def is_generic_name(text: str, *, min_len: int = 3) -> bool:
    """Too common to identify a company alone: 机器人, 光明, 连云港, 新能源. A listed short
    name that is also an industry term or a place needs more evidence than its spelling."""
    name = clean(text)
    if len(name) < min_len or name in INDUSTRY_WORDS:
        return True
    if not _peel_industry(name, min_core=0)[0]:
        return True
    return bool(RegionGazetteer.load().lookup(name)) or region_prefix(name, min_rest=0)[1] == ""


# Words naming the kind of a non-company organisation; what precedes them identifies it.
ORG_KINDS: tuple[str, ...] = tuple(
    sorted(
        {
            "国家实验室", "重点实验室", "实验室", "研究院", "研究所", "研究中心", "科学院",
            "大学", "学院", "医院", "中心", "科学城", "科技城", "产业园", "科技园", "工业园",
            "产业基地", "基地", "高新区", "高新技术产业开发区", "开发区", "经开区", "新区",
            "园区", "孵化器", "加速器", "众创空间", "协会", "学会", "联盟", "商会", "装置",
            "生物城", "城", "园",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip


def is_generic_org(base: str) -> bool:
    """实验室, 医学科学院, 石化产业基地: only a kind word and industry words, so the region
    written before it is part of the name (广州实验室 ≠ 广东省实验室)."""
    for kind in ORG_KINDS:
        if base.endswith(kind):
            rest = base[: -len(kind)]
            return not rest or not _peel_industry(rest, min_core=0)[0]
    return False


# --- government bodies --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GovName:
    text: str
    region: RegionPrefix | None
    level_hint: str | None  # 省/市/区/县 written without a name: "市发改委" → city
    body: str  # canonical body, e.g. 发展和改革委员会

    @property
    def region_code(self) -> str | None:
        return self.region.code if self.region else None


def canonical_gov_body(body: str) -> str:
    """Expand abbreviations: 科技厅 → 科学技术厅, 发改委 → 发展和改革委员会."""
    for abbr in _GOV_ABBR_ORDER:
        if abbr in body:
            full = GOV_ABBREVIATIONS[abbr]
            if full in body:
                continue
            body = body.replace(abbr, full)
    return body


_LEVEL_HINTS = {"省": "province", "市": "city", "区": "county", "县": "county"}


@lru_cache(maxsize=200_000)
def parse_gov(text: str) -> GovName:
    name = clean(text)
    body, _, _ = _strip_brackets(name)
    if body.startswith("中共"):
        body = body[2:]
    prefix, rest = region_prefix(body, min_rest=1)
    hint = None
    if prefix is None and rest[:1] in _LEVEL_HINTS and len(rest) > 2:
        hint, rest = _LEVEL_HINTS[rest[0]], rest[1:]
    return GovName(name, prefix, hint, canonical_gov_body(rest))


# --- people -------------------------------------------------------------------------------


def person_key(name: str) -> str:
    """People compare on the cleaned name; titles written into the span are dropped."""
    key = clean(name)
    for honorific in ("先生", "女士", "同志", "博士", "教授", "院士"):
        if key.endswith(honorific) and len(key) > len(honorific) + 1:
            key = key[: -len(honorific)]
    return key
