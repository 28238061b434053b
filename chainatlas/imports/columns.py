"""Header mapping as data: which spreadsheet headers (Chinese or English) fill which field,
per import kind. Matching is on a folded header (NFKC, no spaces, lower case, full-width
brackets folded), so `面积（亩）`, `面积(亩)` and ` 面积 (亩)` are one header.

A header's unit hint travels with the mapping: `注册资本(万元)` with a bare number means
万元, `面积(亩)` means mu. Users override or add mappings with `--map 源列=字段`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "KINDS",
    "ColumnMap",
    "FieldSpec",
    "fold_header",
    "map_columns",
    "parse_overrides",
]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    headers: tuple[str, ...]  # accepted headers (folded on use)
    kind: str = "text"  # text | code | date | money | number | area | price | region | phone
    required: bool = False
    label: str = ""  # Chinese label for reports


def _f(name, label, headers, kind="text", required=False) -> FieldSpec:
    return FieldSpec(name, tuple(headers), kind, required, label)


KINDS: dict[str, tuple[FieldSpec, ...]] = {
    "enterprises": (
        _f(
            "name",
            "企业名称",
            [
                "企业名称",
                "公司名称",
                "名称",
                "企业",
                "name",
                "company",
                "company name",
                "enterprise",
            ],
            required=True,
        ),
        _f(
            "credit_code",
            "统一社会信用代码",
            ["统一社会信用代码", "信用代码", "社会信用代码", "credit_code", "credit code", "uscc"],
            "code",
        ),
        _f(
            "region",
            "地区",
            ["所在地区", "地区", "所在地", "区域", "注册地", "region", "location", "city"],
            "region",
        ),
        _f("industry", "行业", ["行业", "所属行业", "行业分类", "industry", "sector"]),
        _f(
            "registered_capital",
            "注册资本",
            ["注册资本", "注册资金", "registered_capital", "registered capital", "capital"],
            "money",
        ),
        _f(
            "founded",
            "成立日期",
            [
                "成立日期",
                "成立时间",
                "注册日期",
                "founded",
                "founded_on",
                "established",
                "date founded",
            ],
            "date",
        ),
        _f(
            "legal_person",
            "法定代表人",
            ["法定代表人", "法人代表", "legal_person", "legal representative"],
        ),
        _f("address", "地址", ["地址", "注册地址", "住所", "address"]),
        _f("stock_code", "股票代码", ["股票代码", "证券代码", "stock_code", "ticker"]),
    ),
    "parks": (
        _f(
            "name",
            "园区名称",
            ["园区名称", "园区", "名称", "name", "park", "park name"],
            required=True,
        ),
        _f(
            "region", "地区", ["所在地区", "地区", "所在地", "region", "location", "city"], "region"
        ),
        _f("area", "面积", ["面积", "占地面积", "规划面积", "area"], "area"),
        _f("rent", "租金", ["租金", "参考租金", "rent"], "price"),
        _f(
            "industries",
            "主导产业",
            ["主导产业", "产业定位", "主导行业", "industries", "leading industries"],
        ),
        _f("address", "地址", ["地址", "园区地址", "address"]),
        _f("level", "级别", ["级别", "园区级别", "level"]),
        _f("contact_name", "联系人", ["联系人", "招商联系人", "contact", "contact person"]),
        _f("contact_phone", "电话", ["电话", "联系电话", "招商电话", "phone", "tel"], "phone"),
    ),
    "listings": (
        _f("listing_id", "编号", ["编号", "房源编号", "载体编号", "id", "listing id"], "code"),
        _f("title", "名称", ["名称", "标题", "载体名称", "title", "name"]),
        _f("listing_type", "类型", ["类型", "载体类型", "房源类型", "type"], required=True),
        _f("area", "面积", ["面积", "建筑面积", "占地面积", "area"], "area", required=True),
        _f("price", "价格/租金", ["价格", "租金", "售价", "价格/租金", "price", "rent"], "price"),
        _f("park", "所在园区", ["所在园区", "园区", "park"]),
        _f("region", "地区", ["所在地区", "地区", "所在地", "region", "city"], "region"),
        _f("address", "地址", ["地址", "address"]),
        _f(
            "available_from",
            "可用日期",
            ["可用日期", "交付日期", "available", "available from"],
            "date",
        ),
        _f("contact_name", "联系人", ["联系人", "contact", "contact person"]),
        _f(
            "contact_phone", "电话", ["电话", "联系电话", "手机", "phone", "tel", "mobile"], "phone"
        ),
        _f("notes", "备注", ["备注", "说明", "notes", "remarks"]),
    ),
    "research": (
        _f(
            "name",
            "机构名称",
            ["实验室名称", "机构名称", "平台名称", "名称", "name", "institution", "lab"],
            required=True,
        ),
        _f(
            "directions",
            "研究方向",
            ["研究方向", "研究领域", "方向", "research areas", "directions", "fields"],
        ),
        _f("host", "依托单位", ["依托单位", "承建单位", "主管单位", "host", "host institution"]),
        _f("level", "级别", ["级别", "平台级别", "level"]),
        _f("region", "地区", ["所在地区", "地区", "所在地", "region", "city"], "region"),
    ),
    "experts": (
        _f("name", "专家姓名", ["专家姓名", "姓名", "专家", "name", "expert"], required=True),
        _f("title", "职称", ["职称", "职务", "title", "position"]),
        _f(
            "organisation",
            "单位",
            ["单位", "工作单位", "所在单位", "organisation", "organization", "affiliation"],
        ),
        _f("fields", "研究领域", ["研究领域", "研究方向", "专业领域", "fields", "research areas"]),
        _f("region", "地区", ["所在地区", "地区", "所在地", "region", "city"], "region"),
    ),
}

_BRACKETED = re.compile(r"\(([^)]*)\)")


def fold_header(header: str) -> str:
    text = unicodedata.normalize("NFKC", str(header or ""))
    return re.sub(r"\s+", "", text).lower().replace("_", "").replace("（", "(")


def _split_unit(folded: str) -> tuple[str, str | None]:
    """`面积(亩)` → (`面积`, `亩`); `注册资本(万元)` → (`注册资本`, `万元`)."""
    m = _BRACKETED.search(folded)
    if not m:
        return folded, None
    return _BRACKETED.sub("", folded), m.group(1) or None


@dataclass(slots=True)
class ColumnMap:
    kind: str
    fields: dict[int, FieldSpec]  # column index → field
    units: dict[str, str]  # field name → unit from its header, e.g. 万元, 亩
    unmapped: list[str]  # headers no field claimed (kept as extra attributes)
    missing_required: list[FieldSpec]
    headers: list[str]

    def column_of(self, field: str) -> str:
        for i, spec in self.fields.items():
            if spec.name == field:
                return self.headers[i]
        return field


def parse_overrides(items: list[str] | None) -> dict[str, str]:
    """`["公司=name", "代码=credit_code"]` → {folded header: field}; ValueError on junk."""
    out: dict[str, str] = {}
    for item in items or ():
        if "=" not in item:
            raise ValueError(f"--map 需要 源列=字段 的形式：{item!r}")
        source, field = item.rsplit("=", 1)
        if not source.strip() or not field.strip():
            raise ValueError(f"--map 需要 源列=字段 的形式：{item!r}")
        out[fold_header(source)] = field.strip()
    return out


def map_columns(
    kind: str, headers: list[str], overrides: dict[str, str] | None = None
) -> ColumnMap:
    """Assign each header to at most one field; the first header claiming a field wins."""
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}")
    specs = {s.name: s for s in KINDS[kind]}
    overrides = overrides or {}
    for target in overrides.values():
        if target not in specs:
            raise ValueError(
                f"--map 的目标字段 {target!r} 不存在；{kind} 可用字段：{', '.join(specs)}"
            )
    lookup: dict[str, FieldSpec] = {}
    for spec in KINDS[kind]:
        for h in (spec.name, *spec.headers):
            lookup.setdefault(fold_header(h), spec)
    fields: dict[int, FieldSpec] = {}
    units: dict[str, str] = {}
    unmapped: list[str] = []
    taken: set[str] = set()
    for i, header in enumerate(headers):
        folded = fold_header(header)
        if not folded:
            continue
        base, unit = _split_unit(folded)
        spec = None
        if folded in overrides:
            spec = specs[overrides[folded]]
        elif base in overrides:
            spec = specs[overrides[base]]
        else:
            spec = lookup.get(folded) or lookup.get(base)
        if spec is None or spec.name in taken:
            unmapped.append(str(header))
            continue
        taken.add(spec.name)
        fields[i] = spec
        if unit:
            units[spec.name] = unit
    missing = [s for s in KINDS[kind] if s.required and s.name not in taken]
    return ColumnMap(kind, fields, units, unmapped, missing, [str(h) for h in headers])
