"""Reading one numeric amount with its vagueness, shared by money and quantities.

A *run* is the numeral text between a prefix qualifier and a unit/currency, e.g. `10余亿`,
`数千万`, `上百`, `十几`, `1,200万`, `50亿至80亿`. `read_run` turns it into an `Amount`:
a point value and/or bounds plus the qualifier that explains them.

Rules for vague forms (money and quantities share them):

* `数` / `几` + units (`数千万`, `几十亿`): value None, low = 2 × units, high = 9.9 × units
  (数千万 → 2e7..9.9e7). After 十 (`十几亿`) the digit spans 1..9 (→ 11e8..19e8).
* `上` + units (`上百亿`): "reaching the order of" → value None, low = 1 ×, high = 9.9 ×.
* `余` / `多` inside the run (`10余亿`, `100多万`, `1亿多`): value = the stated number,
  low = value, high None ("more than").
* Ranges (`50亿至80亿`, `50-80亿`): value None, low/high the two ends. We do not invent a
  midpoint: the text gives no point estimate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainatlas.extract.values.numbers import AR_DIGIT, CN_DIGITS, fold_digits, parse_number

# Prefix qualifiers, longest first so 超过 wins over 超.
PREFIX_QUALIFIERS = (
    "超过",
    "逾",
    "超",
    "将近",
    "接近",
    "近",
    "大约",
    "约",
    "不到",
    "不足",
    "不少于",
    "至少",
    "高达",
)
SUFFIX_QUALIFIERS = ("以上", "以下", "以内", "左右", "上下", "有余", "之多", "多", "余")

# Which side of the stated number the qualifier leaves open.
_OVER = {"超过", "逾", "超", "以上", "有余", "之多", "多", "余", "不少于", "至少", "高达"}
_UNDER = {"将近", "接近", "近", "不到", "不足", "以下", "以内"}
# 约/大约/左右/上下: an approximate point, no bound implied.

# Characters before a qualifier that make it part of another word: 签约, 最近, 赶超 …
_BLOCK_BEFORE = {
    "约": set("签预合节制邀履违契公条规相特婉赴隐简纽践缔"),
    "近": set("最附就临亲邻贴靠走逼将接"),
    "超": set("赶高远"),
    "逾": set("逾"),
}

PREFIX_RE = "|".join(PREFIX_QUALIFIERS)
SUFFIX_RE = "|".join(SUFFIX_QUALIFIERS)
RANGE_SEP = "至到~～\\-－—–"
# A run: optional vague head, then numerals (Arabic/Chinese, 余/多/几 may sit inside).
RUN_RE = (
    f"(?:[数几上])?[{AR_DIGIT}零〇○一二两兩三四五六七八九壹贰叁肆伍陆柒捌玖十拾百佰千仟万萬亿億]"
    f"[{AR_DIGIT}.．,点零〇○一二两兩三四五六七八九壹贰叁肆伍陆柒捌玖十拾百佰千仟万萬亿億几余多]*"
)

_CAN_START = set("零〇○一二两兩三四五六七八九壹贰叁肆伍陆柒捌玖十拾百佰千仟数几上")
_PAIR = re.compile(r"^([一二两三四五六七八])([二三四五六七八九])([十百千万亿萬億]+)$")
_UNIT_TAIL = re.compile(r"[十拾百佰千仟万萬亿億]+$")
_BIG_TAIL = re.compile(r"[万萬亿億]+$")


@dataclass(frozen=True, slots=True)
class Amount:
    value: float | None
    low: float | None
    high: float | None
    qualifier: str | None


def qualifier_ok(text: str, start: int, qualifier: str) -> bool:
    """False when the qualifier's first char is really the end of another word (签约)."""
    if start == 0:
        return True
    blocked = _BLOCK_BEFORE.get(qualifier[0])
    return blocked is None or text[start - 1] not in blocked


def bounds_for(value: float, qualifier: str | None) -> tuple[float | None, float | None]:
    if qualifier is None:
        return value, value
    if qualifier in _OVER:
        return value, None
    if qualifier in _UNDER:
        return None, value
    return None, None


def _vague(run: str) -> Amount | None:
    head = run[0]
    rest = run[1:]
    if not rest or rest[0] not in "十拾百佰千仟万萬亿億":
        return None
    if "几" in rest or "余" in rest or "多" in rest:
        return None
    one = parse_number("一" + rest) if rest[0] not in "十拾" else parse_number(rest)
    if one is None:
        return None
    if head == "上":
        return Amount(None, one, one * 9.9, "上")
    return Amount(None, one * 2, one * 9.9, head)


def read_run(run: str) -> Amount | None:
    """Read one run (no range); None if it is not a number we trust."""
    run = fold_digits(run)
    if not run:
        return None
    if run[0] in "数几上":
        return _vague(run)
    pair = _PAIR.match(run)
    if pair:
        # 三五亿 / 两三千万: two neighbouring digits before the units mean "3 to 5".
        a, b = CN_DIGITS[pair.group(1)], CN_DIGITS[pair.group(2)]
        lo = parse_number(pair.group(1) + pair.group(3))
        hi = parse_number(pair.group(2) + pair.group(3))
        if a < b <= a + 2 and lo is not None and hi is not None:
            return Amount(None, lo, hi, "范围")
        return None
    if "几" in run:
        # 十几亿 / 二十几万: 几 is a digit from 1 to 9.
        if run.count("几") != 1:
            return None
        lo = parse_number(run.replace("几", "一"))
        hi = parse_number(run.replace("几", "九"))
        if lo is None or hi is None:
            return None
        return Amount(None, lo, hi, "几")
    qualifier = None
    for q in ("余", "多"):
        if q in run:
            if run.count(q) != 1 or run.startswith(q):
                return None
            qualifier = q
            run = run.replace(q, "")
    value = parse_number(run)
    if value is None:
        return None
    low, high = bounds_for(value, qualifier)
    return Amount(value, low, high, qualifier)


def read_range(first: str, second: str) -> Amount | None:
    """`50` + `80亿` → 5e9..8e9; the first end inherits the second's missing units."""
    first, second = fold_digits(first), fold_digits(second)
    if first[-1].isdigit() or first[-1] in "零〇○一二两兩三四五六七八九壹贰叁肆伍陆柒捌玖":
        tail = _UNIT_TAIL.search(second)
        if tail and not _BIG_TAIL.search(first):
            first += tail.group(0)
    elif not any(c in first for c in "万萬亿億"):
        tail = _BIG_TAIL.search(second)
        if tail:
            first += tail.group(0)
    a, b = read_run(first), read_run(second)
    if a is None or b is None or a.value is None or b.value is None:
        return None
    if not a.value < b.value:
        return None
    return Amount(None, a.value, b.value, "范围")


def trim_run(run: str) -> int:
    """How many leading chars to drop so the run starts like a number (`点100万` → 1)."""
    for i, ch in enumerate(run):
        if ch.isdigit() or ch in _CAN_START:
            return i
    return len(run)
