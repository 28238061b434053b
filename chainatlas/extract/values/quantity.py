"""Counted and measured quantities: `10万辆`, `超4万名`, `4万㎡`, `21.9%`, `百分之二十`, `40GWh`.

`value` is in the canonical unit (`10万辆` → 100000 辆, `30万千瓦` → 300000 kW). A rate
suffix stays on the unit (`2万片/月` → unit `片/月`).

`Quantity` has no bounds, so vague and range forms keep their *lower* bound as `value`
and say so in `qualifier`: `数十家` → 20, 数; `上百家` → 100, 上; `50-80家` → 50, 范围.
Money (`元`) is left to `money.find_money`.

Generic measure words (个 家 名 项 …) after a lone `一` are skipped: `一个` / `一家` are
mostly the article "a", not a count. So are ordinals (`第三家`) and idioms built on a bare
unit digit (`千家万户`, `万人空巷`).
"""

from __future__ import annotations

import re

from chainatlas.extract.records import Quantity
from chainatlas.extract.values._amount import (
    PREFIX_RE,
    RANGE_SEP,
    RUN_RE,
    Amount,
    qualifier_ok,
    read_range,
    read_run,
    trim_run,
)
from chainatlas.extract.values.numbers import parse_number

__all__ = ["UNITS", "find_quantities"]

# Surface unit → (canonical unit, factor). Longest forms win in the regex.
UNITS: dict[str, tuple[str, float]] = {
    "%": ("%", 1.0),
    "％": ("%", 1.0),
    "‰": ("‰", 1.0),
    "个百分点": ("百分点", 1.0),
    "百分点": ("百分点", 1.0),
    "平方公里": ("平方公里", 1.0),
    "km²": ("平方公里", 1.0),
    "平方千米": ("平方公里", 1.0),
    "平方米": ("平方米", 1.0),
    "平米": ("平方米", 1.0),
    "㎡": ("平方米", 1.0),
    "m²": ("平方米", 1.0),
    "立方米": ("立方米", 1.0),
    "m³": ("立方米", 1.0),
    "公顷": ("公顷", 1.0),
    "亩": ("亩", 1.0),
    "公里": ("公里", 1.0),
    "千米": ("公里", 1.0),
    "纳米": ("纳米", 1.0),
    "nm": ("纳米", 1.0),
    "毫米": ("毫米", 1.0),
    "米": ("米", 1.0),
    "吨": ("吨", 1.0),
    "千克": ("千克", 1.0),
    "公斤": ("千克", 1.0),
    "TWh": ("TWh", 1.0),
    "GWh": ("GWh", 1.0),
    "MWh": ("MWh", 1.0),
    "kWh": ("kWh", 1.0),
    "KWh": ("kWh", 1.0),
    "千瓦时": ("kWh", 1.0),
    "吉瓦时": ("GWh", 1.0),
    "兆瓦时": ("MWh", 1.0),
    "GW": ("GW", 1.0),
    "MW": ("MW", 1.0),
    "kW": ("kW", 1.0),
    "KW": ("kW", 1.0),
    "千瓦": ("kW", 1.0),
    "吉瓦": ("GW", 1.0),
    "兆瓦": ("MW", 1.0),
    "标准箱": ("TEU", 1.0),
    "TEU": ("TEU", 1.0),
    "人次": ("人次", 1.0),
    "辆": ("辆", 1.0),
    "台": ("台", 1.0),
    "套": ("套", 1.0),
    "件": ("件", 1.0),
    "片": ("片", 1.0),
    "颗": ("颗", 1.0),
    "块": ("块", 1.0),
    "座": ("座", 1.0),
    "条": ("条", 1.0),
    "项": ("项", 1.0),
    "只": ("只", 1.0),
    "头": ("头", 1.0),
    "张": ("张", 1.0),
    "枚": ("枚", 1.0),
    "架": ("架", 1.0),
    "艘": ("艘", 1.0),
    "户": ("户", 1.0),
    "所": ("所", 1.0),
    "栋": ("栋", 1.0),
    "株": ("株", 1.0),
    "批": ("批", 1.0),
    "款": ("款", 1.0),
    "种": ("种", 1.0),
    "支": ("支", 1.0),
    "次": ("次", 1.0),
    "个": ("个", 1.0),
    "家": ("家", 1.0),
    "名": ("名", 1.0),
    "位": ("位", 1.0),
    "人": ("人", 1.0),
}
# Measure words that double as the article "a" after 一.
_ARTICLE_UNITS = set("个家名位人项条件座块只头张枚架艘户所栋株批款种支次台套片颗辆")
_UNIT_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_POST_RE = "以上|以下|以内|左右|上下|有余|之多"
_PCT_DIGITS = "0-9０-９.．点零〇一二两三四五六七八九十百"

_QUANTITY = re.compile(
    f"(?P<pct>百分之(?P<pctnum>[{_PCT_DIGITS}]+))"
    f"|(?P<pre>{PREFIX_RE})?"
    f"(?P<run>{RUN_RE})"
    f"(?:(?P<unit1>{_UNIT_RE})?(?P<sep>[{RANGE_SEP}])(?P<run2>{RUN_RE}))?"
    f" ?(?P<unit>{_UNIT_RE})(?![A-Za-z])"
    "(?P<rate>/(?:月|年|日|天|小时|h))?"
    f"(?P<post>{_POST_RE})?"
)
_BARE_UNIT = re.compile(r"^[十百千万萬拾佰仟]$")


def find_quantities(text: str) -> list[tuple[int, int, Quantity]]:
    """All quantities in `text` as (start, end, Quantity), sorted, non-overlapping."""
    out: list[tuple[int, int, Quantity]] = []
    for m in _QUANTITY.finditer(text):
        if m.group("pct") is not None:
            value = parse_number(m.group("pctnum"))
            if value is not None:
                out.append((m.start(), m.end(), Quantity(m.group(0), value, "%")))
            continue
        found = _read(text, m)
        if found is None:
            continue
        start, amount, pre = found
        unit, factor = UNITS[m.group("unit")]
        if m.group("unit1") is not None and UNITS[m.group("unit1")][0] != unit:
            continue
        qualifier = pre or amount.qualifier or m.group("post")
        value = amount.value if amount.value is not None else amount.low
        if value is None:
            continue
        rate = m.group("rate")
        if rate:
            unit += rate
        out.append(
            (start, m.end(), Quantity(text[start : m.end()], value * factor, unit, qualifier))
        )
    return out


def _read(text: str, m: re.Match[str]) -> tuple[int, Amount, str | None] | None:
    run = m.group("run")
    if m.group("run2") is not None:
        amount = read_range(run, m.group("run2"))
        if amount is not None:
            return _with_prefix(text, m, amount)
        run, run_start = m.group("run2"), m.start("run2")
    else:
        run_start = m.start("run")
    offset = 0
    while offset < len(run):
        offset += trim_run(run[offset:])
        if offset >= len(run):
            return None
        piece = run[offset:]
        amount = read_run(piece) if _plausible(text, run_start + offset, piece, m) else None
        if amount is not None:
            if offset == 0 and run_start == m.start("run"):
                return _with_prefix(text, m, amount)
            return run_start + offset, amount, None
        offset += 1
    return None


def _plausible(text: str, start: int, piece: str, m: re.Match[str]) -> bool:
    if _BARE_UNIT.match(piece):
        return False  # 千家万户, 百花齐放
    if start > 0 and text[start - 1] == "第":
        return False  # ordinal
    unit = m.group("unit")
    return not (piece in ("一", "壹") and unit in _ARTICLE_UNITS)


def _with_prefix(text: str, m: re.Match[str], amount: Amount) -> tuple[int, Amount, str | None]:
    pre = m.group("pre")
    if pre is not None and qualifier_ok(text, m.start(), pre):
        return m.start(), amount, pre
    return m.start("run"), amount, None
