"""Build `chainatlas/data/regions/admin_divisions.tsv` from cpca's `adcodes.csv`.

Usage: python scripts/build_regions.py PATH_TO/cpca/resources/adcodes.csv [OUT_TSV]

The input is the table shipped in the PyPI package cpca==0.5.5 (MIT, data as of 2020):
12-digit admin code, name, longitude, latitude. We keep the 6-digit code and derive the
hierarchy from the code structure (PP0000 province, PPCC00 city, PPCCXX county),
full names and short forms. Run it again whenever the source table is replaced.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

OUT_DEFAULT = Path(__file__).resolve().parent.parent / "chainatlas/data/regions/admin_divisions.tsv"

# Rows in the source that are statistical groupings, not units anyone names in text.
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

# Province-level units whose short form is not "name minus 省/市".
PROVINCE_SHORT = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}

# The 56 officially recognised ethnic groups; autonomous units embed these in their names
# (延边朝鲜族自治州), and the everyday short form drops them (延边).
ETHNIC_GROUPS = [
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "高山",
]
# Longest first so 土家族 is removed before 土族 could be tried; single-character groups
# without 族 are never stripped (they would eat place-name characters such as 白/水/土).
_ETHNIC_SUFFIXES = sorted(
    [g + "族" for g in ETHNIC_GROUPS] + [g for g in ETHNIC_GROUPS if len(g) >= 2],
    key=len,
    reverse=True,
)

# Generic suffixes dropped to form a county's short name, longest first.
_COUNTY_SUFFIXES = ("自治县", "自治旗", "新区", "林区", "特区", "区", "县", "市", "旗")
_CITY_SUFFIXES = ("自治州", "地区", "林区", "市", "盟")


# Units created after the source table was compiled, added by hand. Only codes we are
# sure of are listed; coordinates are left blank rather than guessed.
SUPPLEMENT = {
    "440309": "龙华区",  # 深圳, split from 宝安 (2016)
    "440310": "坪山区",  # 深圳, former 坪山新区 (2016)
    "440311": "光明区",  # 深圳, former 光明新区 (2018)
}

# Current names of units renamed after the source table was compiled. They are added as
# aliases of the row that still carries the old name and old code, so text using either
# name resolves to the same unit (see README: the code itself may be outdated).
RENAMED = {
    "510124": ["郫都区", "郫都"],  # 郫县
    "610125": ["鄠邑区", "鄠邑"],  # 户县
    "330185": ["临安区"],  # 临安市
    "350182": ["长乐区"],  # 长乐市
    "520222": ["盘州市", "盘州"],  # 盘县
    "610427": ["彬州市", "彬州"],  # 彬县
    "130223": ["滦州市", "滦州"],  # 滦县
    "450127": ["横州市", "横州"],  # 横县
    "360721": ["赣县区"],  # 赣县
    "350427": ["沙县区"],  # 沙县
}


@dataclass
class Unit:
    code: str
    name: str
    level: str
    parent: str
    province: str
    full_name: str
    aliases: list[str]
    lon: str
    lat: str


def strip_ethnic(stem: str) -> str:
    """Drop trailing ethnic-group names: 双江拉祜族佤族布朗族傣族 -> 双江."""
    changed = True
    while changed:
        changed = False
        for suffix in _ETHNIC_SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
                stem = stem[: -len(suffix)]
                changed = True
                break
    # 东乡族自治县 / 鄂伦春自治旗: the whole stem is the group name; keep it without 族.
    if stem.endswith("族") and len(stem) >= 3:
        stem = stem[:-1]
    return stem


def short_forms(name: str, level: str) -> list[str]:
    if level == "province":
        if name in PROVINCE_SHORT:
            return [PROVINCE_SHORT[name]]
        return [name[:-1]] if name[-1] in "省市" else []
    if name.endswith(("岛", "海域")):
        return []  # 三沙 islands: no safe short form
    suffixes = _CITY_SUFFIXES if level == "city" else _COUNTY_SUFFIXES
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if "自治" in suffix:
                stem = strip_ethnic(stem)
            # 西林区 ends in 林区 but its short form is 西林: fall through to plain 区.
            if len(stem) >= 2:
                return [stem]
    return []


def load_source(path: Path) -> dict[str, tuple[str, str, str]]:
    rows: dict[str, tuple[str, str, str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code12 = row["adcode"].strip()
            if len(code12) != 12 or not code12.isdigit() or code12[6:] != "000000":
                continue  # only province/city/county units are expected
            name = row["name"].strip()
            if name in PLACEHOLDER_NAMES:
                continue
            rows[code12[:6]] = (name, row["longitude"].strip(), row["latitude"].strip())
    for code, name in SUPPLEMENT.items():
        rows.setdefault(code, (name, "", ""))
    return rows


def build_units(source: dict[str, tuple[str, str, str]]) -> list[Unit]:
    units: list[Unit] = []
    for code in sorted(source):
        name, lon, lat = source[code]
        province = code[:2] + "0000"
        city = code[:4] + "00"
        if code == province:
            level, parent = "province", ""
            full = name
        elif code == city:
            level, parent = "city", province
            full = source[province][0] + name
        else:
            level = "county"
            # Counties of municipalities and 省直辖县级 units hang directly off the province.
            parent = city if city in source else province
            prefix = source[province][0]
            if parent == city:
                prefix += source[city][0]
            full = prefix + name
        aliases = short_forms(name, level) + RENAMED.get(code, [])
        units.append(Unit(code, name, level, parent, province, full, aliases, lon, lat))
    return units


def write_tsv(units: list[Unit], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    header = ["code", "name", "level", "parent", "province", "full_name", "aliases", "lon", "lat"]
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(header) + "\n")
        for u in units:
            cells = [
                u.code,
                u.name,
                u.level,
                u.parent,
                u.province,
                u.full_name,
                "|".join(u.aliases),
                u.lon,
                u.lat,
            ]
            fh.write("\t".join(cells) + "\n")


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[2]) if len(argv) == 3 else OUT_DEFAULT
    units = build_units(load_source(Path(argv[1])))
    write_tsv(units, out)
    counts: dict[str, int] = {}
    for u in units:
        counts[u.level] = counts.get(u.level, 0) + 1
    print(f"wrote {len(units)} units to {out}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
