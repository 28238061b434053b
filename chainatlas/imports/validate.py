"""Rows → typed import records, with every problem reported as (row, column, problem).

Two severities. An *error* skips the row: a required field is empty, the credit code is
malformed, the key repeats an earlier row, a listing type is unknown, or the region cannot
be recognised when the record's key depends on it. A *warning* keeps the row and drops
only the bad value (an unparseable date, number or phone number).

Keys (what an upsert matches on): enterprises by credit code, else name + region; parks and
research bodies by name + region; experts by name + organisation + region; listings by
their own id, else by type + title/park + region + address + area.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from chainatlas.imports.columns import ColumnMap, FieldSpec
from chainatlas.kb.names import clean, parse_company, parse_org
from chainatlas.kb.regions import RegionGazetteer

__all__ = [
    "ImportRecord",
    "Problem",
    "RegionResolver",
    "Validator",
    "check_credit_code",
    "credit_check_char",
    "listing_type",
    "mask_name",
    "mask_phone",
    "normalise_phone",
    "parse_area",
    "parse_date",
    "parse_money",
    "parse_price",
]

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    row: int  # spreadsheet row number (the header is row 1 in most files)
    column: str  # header as written in the file, or the field label
    message: str
    severity: str = ERROR


@dataclass(slots=True)
class ImportRecord:
    kind: str
    row: int
    key: str
    name: str
    credit_code: str | None = None
    region_code: str | None = None
    values: dict = field(default_factory=dict)  # typed field values (dates as ISO strings)
    extra: dict = field(default_factory=dict)  # unmapped columns, kept as written


# --- credit code (GB 32100-2015) ----------------------------------------------------------

_CC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_CC_VALUE = {c: i for i, c in enumerate(_CC_CHARS)}
_CC_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def check_credit_code(code: str) -> str | None:
    """None when `code` is a well-formed unified social credit code, else the problem."""
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，实为 {len(code)} 位"
    bad = [c for c in code if c not in _CC_VALUE]
    if bad:
        return f"统一社会信用代码含非法字符 {''.join(dict.fromkeys(bad))}"
    total = sum(_CC_VALUE[c] * w for c, w in zip(code[:17], _CC_WEIGHTS, strict=True))
    expected = _CC_CHARS[(31 - total % 31) % 31]
    if code[17] != expected:
        return f"统一社会信用代码校验位错误（应为 {expected}）"
    return None


def credit_check_char(first17: str) -> str:
    """The check character for 17 leading characters (used to build test data)."""
    total = sum(_CC_VALUE[c] * w for c, w in zip(first17, _CC_WEIGHTS, strict=True))
    return _CC_CHARS[(31 - total % 31) % 31]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


# --- dates and numbers --------------------------------------------------------------------

_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})[-/.年](\d{1,2})月?()$"),
    re.compile(r"^(\d{4})年?()()$"),
]


def parse_date(text: str) -> date | None:
    """2019-05-01, 2019/5/1, 2019年5月1日, 20190501, 2019-05 (→ day 1), 2019年 (→ 1 Jan)."""
    s = _fold(text)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        if not 1800 <= y <= 2100:
            return None
        try:
            return date(y, mo, d)
        except ValueError:
            return None
    return None


_NUMBER = re.compile(r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?")
_SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}


def _number(text: str) -> tuple[float, str] | None:
    """The first number in `text` with a following 万/亿 applied, and what follows it."""
    s = _fold(text)
    m = _NUMBER.search(s)
    if not m:
        return None
    value = float(m.group(0).replace(",", ""))
    rest = s[m.end() :].strip()
    if rest[:1] in _SCALE:
        value *= _SCALE[rest[0]]
        rest = rest[1:]
    return value, rest


def parse_money(text: str, unit_hint: str | None = None) -> tuple[float, str] | None:
    """注册资本 such as 5000万元, 1.2亿元, 500万美元, or a bare 5000 in a (万元) column.
    Returns (amount, ISO currency) or None."""
    from chainatlas.extract.values.money import parse_money as find_money

    s = _fold(text)
    if re.fullmatch(r"[-+]?[\d,]+(?:\.\d+)?", s):
        value = float(s.replace(",", ""))
        if unit_hint and "亿" in unit_hint:
            value *= 1e8
        elif unit_hint and "万" in unit_hint:
            value *= 1e4
        currency = "USD" if unit_hint and "美元" in unit_hint else "CNY"
        return value, currency
    money = find_money(s)
    if money is None or money.value is None:
        # 5000万人民币 without 元 is common in registries.
        m = re.fullmatch(r"([\d,.]+)\s*([万亿]?)\s*(人民币|美元|港元|欧元)?", s)
        if not m:
            return None
        value = float(m.group(1).replace(",", "")) * _SCALE.get(m.group(2), 1)
        currency = {"美元": "USD", "港元": "HKD", "欧元": "EUR"}.get(m.group(3) or "", "CNY")
        return value, currency
    return money.value, money.currency


_AREA_UNITS = [  # surface → (canonical unit, square metres per unit); longest first
    ("平方公里", "平方公里", 1e6),
    ("平方千米", "平方公里", 1e6),
    ("km2", "平方公里", 1e6),
    ("km²", "平方公里", 1e6),
    ("平方米", "平方米", 1.0),
    ("平米", "平方米", 1.0),
    ("m2", "平方米", 1.0),
    ("m²", "平方米", 1.0),
    ("㎡", "平方米", 1.0),
    ("公顷", "公顷", 1e4),
    ("亩", "亩", 10000 / 15),
]


def parse_area(text: str, unit_hint: str | None = None) -> tuple[float, str, float] | None:
    """`120亩`, `5000㎡`, `1.2万平方米`, or a bare number with the header's unit (面积(亩)).
    Returns (value, unit, square metres); a bare number with no unit anywhere is m²."""
    parsed = _number(text)
    if parsed is None:
        return None
    value, rest = parsed
    for where in (rest, _fold(unit_hint or "") if not rest else ""):
        for surface, unit, per in _AREA_UNITS:
            if where and surface in where.lower():
                return value, unit, value * per
    if rest:
        return None
    return value, "平方米", value


def parse_price(text: str, unit_hint: str | None = None) -> tuple[float, str] | None:
    """`35元/㎡·月`, `25万元/亩`, `面议` (None). Returns (value, unit as written)."""
    parsed = _number(text)
    if parsed is None:
        return None
    value, rest = parsed
    unit = rest or (unit_hint or "")
    return value, unit.strip()


# --- phones and masking -------------------------------------------------------------------

_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
_SERVICE = re.compile(r"^([48]00)(\d{7})$")


def normalise_phone(text: str) -> tuple[str, str] | None:
    """A mainland mobile (13812345678), landline (0755-26881234, extension kept) or
    400/800 number, normalised; None if it is none of these. Returns (phone, kind)."""
    s = _fold(text).replace(" ", "").replace("(", "").replace(")", "")
    ext = ""
    m = re.search(r"(转|ext\.?|#)(\d{1,6})$", s, re.IGNORECASE)
    if m:
        ext, s = f"转{m.group(2)}", s[: m.start()]
    digits = s.replace("-", "")
    if (mm := _MOBILE.match(digits)) and not ext:
        return mm.group(1), "mobile"
    if s.startswith("+86"):
        digits = "0" + digits[3:] if not digits[3:].startswith("0") else digits[3:]
    if mm := _SERVICE.match(digits):
        return f"{mm.group(1)}-{mm.group(2)[:3]}-{mm.group(2)[3:]}", "service"
    parts = s.split("-")
    if len(parts) == 3 and not ext and parts[2].isdigit() and len(parts[2]) <= 6:
        ext = f"转{parts[2]}"
        digits = parts[0] + parts[1]
    if digits[:1] == "0" and digits.isdigit():
        # 010 and 02x are three-digit area codes with 8-digit numbers; others have four.
        width = 3 if digits[1:2] in ("1", "2") else 4
        area, local = digits[:width], digits[width:]
        if local[:1] in "23456789" and local and len(local) in ((8,) if width == 3 else (7, 8)):
            return f"{area}-{local}{ext}", "landline"
    return None


def mask_phone(phone: str | None) -> str | None:
    """13812345678 → 138****5678; 0755-26881234 → 0755-****1234."""
    if not phone:
        return phone
    if "-" in phone and phone[0] == "0":
        area, rest = phone.split("-", 1)
        local = rest.split("转", 1)[0]
        return f"{area}-{'*' * max(len(local) - 4, 0)}{local[-4:]}"
    digits = re.sub(r"\D", "", phone)
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * len(digits)


def mask_name(name: str | None) -> str | None:
    """张伟 → 张*, 欧阳明月 → 欧**; a name with a courtesy title keeps it (王先生 → 王先生)."""
    if not name:
        return name
    if name.endswith(("先生", "女士", "经理", "主任")):
        return name
    return name[0] + "*" * (len(name) - 1)


# --- listings -----------------------------------------------------------------------------

_LISTING_TYPES = {
    "land": ("土地", "用地", "地块", "工业用地", "land"),
    "factory": ("厂房", "标准厂房", "工业厂房", "仓库", "仓储", "factory", "plant", "warehouse"),
    "office": ("写字楼", "办公", "办公楼", "研发楼", "办公用房", "office"),
}


def listing_type(text: str) -> str | None:
    s = _fold(text).lower()
    for kind, words in _LISTING_TYPES.items():
        if s in words:
            return kind
    for kind, words in _LISTING_TYPES.items():
        if any(w in s for w in words):
            return kind
    return None


# --- regions ------------------------------------------------------------------------------


class RegionResolver:
    """Region text (深圳, 广东省深圳市南山区, 440305) → 6-digit code, cached per text."""

    def __init__(self, gazetteer: RegionGazetteer | None = None) -> None:
        self.gaz = gazetteer or RegionGazetteer.load()
        self._resolve = lru_cache(maxsize=50_000)(self._uncached)

    def __call__(self, text: str) -> str | None:
        return self._resolve(_fold(text))

    def _uncached(self, text: str) -> str | None:
        if text.isdigit() and len(text) in (6, 12):
            region = self.gaz.get(text)
            return region.code if region else None
        hits = self.gaz.lookup(text)
        if hits:
            return hits[0].code  # broadest first: 吉林 → 吉林省
        from chainatlas.extract.regions import find_regions

        codes = [m.attrs["code"] for m in find_regions(text) if m.attrs.get("code")]
        if not codes:
            return None
        # The most specific unit, provided the others contain it (广东省深圳市南山区).
        best = max(codes, key=lambda c: self.gaz.get(c).rank if self.gaz.get(c) else -1)
        if all(self.gaz.is_within(best, c) for c in codes):
            return best
        return None


# --- the validator ------------------------------------------------------------------------


def _digest(*parts: object) -> str:
    raw = "|".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


class Validator:
    """Validates one file's rows in order; remembers keys to catch duplicates."""

    def __init__(self, columns: ColumnMap, regions: RegionResolver | None = None) -> None:
        self.columns = columns
        self.kind = columns.kind
        self.regions = regions or RegionResolver()
        self.seen: dict[str, int] = {}  # key → first row

    def row(self, row_no: int, cells: list[str]) -> tuple[ImportRecord | None, list[Problem]]:
        problems: list[Problem] = []
        raw: dict[str, str] = {}
        extra: dict[str, str] = {}
        mapped = self.columns.fields
        for i, cell in enumerate(cells):
            value = cell.strip() if isinstance(cell, str) else str(cell or "")
            if i in mapped:
                raw[mapped[i].name] = value
            elif value and i < len(self.columns.headers) and self.columns.headers[i]:
                extra[self.columns.headers[i]] = value
        values: dict = {}

        def col(spec: FieldSpec) -> str:
            return self.columns.column_of(spec.name)

        def problem(spec: FieldSpec, message: str, severity: str = ERROR) -> None:
            problems.append(Problem(row_no, col(spec), message, severity))

        for spec in self._specs():
            text = raw.get(spec.name, "")
            if not text:
                if spec.required:
                    problem(spec, f"{spec.label or spec.name}为空")
                continue
            value = self._typed(spec, text, problem)
            if value is not None:
                values[spec.name] = value
        if any(p.severity == ERROR for p in problems):
            return None, problems
        record = self._record(row_no, values, extra, raw, problems)
        if record is None:
            return None, problems
        first = self.seen.get(record.key)
        if first is not None:
            problems.append(Problem(row_no, self._key_column(record), f"与第 {first} 行重复"))
            return None, problems
        self.seen[record.key] = row_no
        return record, problems

    def _specs(self):
        return self.columns.fields.values()

    def _typed(self, spec: FieldSpec, text: str, problem):
        unit = self.columns.units.get(spec.name)
        if spec.kind == "code" and spec.name == "credit_code":
            code = _fold(text).upper().replace(" ", "")
            issue = check_credit_code(code)
            if issue:
                problem(spec, issue)
                return None
            return code
        if spec.kind == "date":
            d = parse_date(text)
            if d is None:
                problem(spec, f"无法识别的日期：{text}", WARNING)
                return None
            return d.isoformat()
        if spec.kind == "money":
            money = parse_money(text, unit)
            if money is None:
                problem(spec, f"无法识别的金额：{text}", WARNING)
                return None
            return {"amount": money[0], "currency": money[1], "text": text}
        if spec.kind == "area":
            area = parse_area(text, unit)
            if area is None:
                problem(spec, f"无法识别的面积：{text}", ERROR if spec.required else WARNING)
                return None
            return {"value": area[0], "unit": area[1], "sqm": round(area[2], 2)}
        if spec.kind == "price":
            price = parse_price(text, unit)
            if price is None:
                if text not in ("面议", "价格面议", "待定"):
                    problem(spec, f"无法识别的价格：{text}", WARNING)
                return {"value": None, "unit": "", "text": text}
            return {"value": price[0], "unit": price[1], "text": text}
        if spec.kind == "phone":
            phone = normalise_phone(text)
            if phone is None:
                problem(spec, f"电话号码格式不正确：{text}", WARNING)
                return None
            return phone[0]
        if spec.kind == "region":
            return text  # resolved in _record, where the key rules are known
        if spec.name == "listing_type":
            kind = listing_type(text)
            if kind is None:
                problem(spec, f"未知的载体类型：{text}（应为 土地 / 厂房 / 写字楼）")
                return None
            return kind
        return _fold(text)

    def _key_column(self, record: ImportRecord) -> str:
        if record.credit_code:
            return self.columns.column_of("credit_code")
        return self.columns.column_of("name" if self.kind != "listings" else "listing_type")

    def _region(self, values: dict, name: str | None, problems: list[Problem], row_no: int,
                *, required: bool) -> tuple[str | None, bool]:  # fmt: skip
        """(code, ok). The region column, else a region prefix in the name."""
        text = values.pop("region", None)
        if text:
            code = self.regions(text)
            if code is None:
                problems.append(
                    Problem(row_no, self.columns.column_of("region"), f"无法识别的地区：{text}",
                            ERROR if required else WARNING)
                )  # fmt: skip
                return None, not required
            values["region_text"] = text
            return code, True
        if name:
            parsed = parse_company(name) if self.kind == "enterprises" else parse_org(name)
            return parsed.region_code, True
        return None, True

    def _record(self, row_no, values, extra, raw, problems) -> ImportRecord | None:
        kind = self.kind
        name = values.get("name") or values.get("title") or ""
        if kind == "enterprises":
            code = values.pop("credit_code", None)
            region, ok = self._region(values, name, problems, row_no, required=code is None)
            if not ok:
                return None
            key = f"uscc:{code}" if code else f"name:{clean(name)}@{region or '-'}"
            return ImportRecord(kind, row_no, key, name, code, region, values, extra)
        if kind in ("parks", "research"):
            region, ok = self._region(values, name, problems, row_no, required=True)
            if not ok:
                return None
            key = f"name:{clean(name)}@{region or '-'}"
            return ImportRecord(kind, row_no, key, name, None, region, values, extra)
        if kind == "experts":
            region, ok = self._region(values, None, problems, row_no, required=True)
            if not ok:
                return None
            org = clean(values.get("organisation", "")) or "-"
            key = f"name:{clean(name)}@{org}@{region or '-'}"
            return ImportRecord(kind, row_no, key, name, None, region, values, extra)
        # listings
        region, ok = self._region(values, None, problems, row_no, required=True)
        if not ok:
            return None
        if values.get("listing_id"):
            key = f"id:{values['listing_id']}"
        else:
            area = values.get("area", {}).get("sqm")
            key = "h:" + _digest(values.get("listing_type"), clean(values.get("title", "")),
                                 clean(values.get("park", "")), region,
                                 clean(values.get("address", "")), area)  # fmt: skip
        title = name or values.get("park") or ""
        return ImportRecord(kind, row_no, key, title, None, region, values, extra)
