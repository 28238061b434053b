"""Shared number reading for the value normalisers: Arabic, Chinese and mixed numerals.

`parse_number("1.5亿") == 1.5e8`, `cn_to_number("一百二十") == 120`. The regex fragments
here are the single definition of "what a number looks like" for money, quantities and
dates, so the finders agree on where a number starts and ends.

Full-width digits are accepted everywhere (input may be the original, un-normalised
text); they are folded only inside a matched substring, which keeps offsets exact.
"""

from __future__ import annotations

import math
import re

__all__ = [
    "AR_DIGIT",
    "CN_DIGITS",
    "CN_UNITS",
    "NUM_CHARS",
    "cn_to_number",
    "fold_digits",
    "parse_number",
]

# Digits and separators that may appear full-width in original text.
_FOLD = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

AR_DIGIT = "0-9０-９"  # for use inside a regex character class

CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
# Units inside a section (十/百/千) and section multipliers (万/亿).
CN_UNITS: dict[str, float] = {
    "十": 10.0,
    "拾": 10.0,
    "百": 100.0,
    "佰": 100.0,
    "千": 1000.0,
    "仟": 1000.0,
    "万": 1e4,
    "萬": 1e4,
    "亿": 1e8,
    "億": 1e8,
}
_SECTION_UNITS = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}

# Everything that can be part of a numeral run (regex character-class body).
NUM_CHARS = AR_DIGIT + ".．,，点" + "".join(CN_DIGITS) + "".join(CN_UNITS)

_ARABIC = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_THOUSANDS = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?")
_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?|.", re.S)


def fold_digits(s: str) -> str:
    """Full-width digits, point, comma and percent → ASCII (same length)."""
    return s.translate(_FOLD)


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def cn_to_number(s: str) -> float | None:
    """Read a Chinese (or mixed Chinese/Arabic) numeral; None if `s` is not one.

    Handles positional forms (`一百二十` → 120, `一亿二千万` → 1.2e8, `十亿` → 1e9),
    digit strings (`二〇二五` → 2025), decimals with 点 (`三点五` → 3.5), Arabic digits
    followed by units (`1.5万` → 15000) and the spoken abbreviation `三千五` → 3500.
    """
    s = fold_digits(s)
    if not s:
        return None
    if "点" in s:
        whole, _, frac = s.partition("点")
        if not frac or any(ch not in CN_DIGITS and not ch.isdigit() for ch in frac):
            return None
        ipart = cn_to_number(whole) if whole else None
        if ipart is None:
            return None
        digits = "".join(ch if ch.isdigit() else str(CN_DIGITS[ch]) for ch in frac)
        # A decimal applies to the whole number, so units must not follow it ("三点五" only).
        return _finite(ipart + float("0." + digits))
    if all(ch in CN_DIGITS for ch in s) and (len(s) > 2 or any(CN_DIGITS[c] == 0 for c in s)):
        # 二〇二五 / 一九九八: read digit by digit (years, codes). Two plain digits (三五)
        # are a vague range, not 35.
        return float("".join(str(CN_DIGITS[ch]) for ch in s))
    return _positional(s)


def _positional(s: str) -> float | None:
    total = 0.0  # completed 亿 groups
    section = 0.0  # value below the current 万/亿 boundary
    number: float | None = None  # the digit waiting for its unit
    last_unit = 0.0
    after_zero = False
    seen_any = False
    for tok in _TOKEN.findall(s):
        if tok[0].isdigit():
            if number is not None:
                return None  # two numbers in a row: "3五"
            number = float(tok)
            seen_any = True
        elif tok in CN_DIGITS:
            if number is not None and not (number == 0 or CN_DIGITS[tok] == 0):
                return None  # "三五" is a vague range, not a numeral
            if CN_DIGITS[tok] == 0:
                after_zero = True
                number = None
                continue
            number = float(CN_DIGITS[tok])
            seen_any = True
        elif tok in _SECTION_UNITS:
            unit = _SECTION_UNITS[tok]
            if number is None and section == 0 and total == 0:
                return None  # a bare 万/亿 has nothing to multiply
            if unit == 1e8:
                total = (total + section + (number or 0.0)) * unit
                section = 0.0
            else:
                section = (section + (number or 0.0)) * unit
            number = None
            last_unit = unit
            after_zero = False
        elif tok in CN_UNITS:
            unit = CN_UNITS[tok]
            if number is None:
                if section % (unit * 10) != 0 and section > 0:
                    return None
                number = 1.0  # 十二 / 百万: the leading 一 is implied
            section += number * unit
            number = None
            last_unit = unit
            after_zero = False
            seen_any = True
        else:
            return None
    if not seen_any:
        return None
    if number is not None:
        if last_unit >= 100 and not after_zero:
            # 三千五 = 3500, 一万二 = 12000: a trailing digit counts in the next unit down.
            number *= last_unit / 10
        section += number
    return _finite(total + section)


def parse_number(s: str) -> float | None:
    """Read a numeral in any of our forms: `1,200`, `１２００`, `1.5亿`, `一百二十`."""
    folded = fold_digits(s)
    if "," in folded:
        m = _THOUSANDS.match(folded)
        if not m:
            return None
        folded = m.group(0).replace(",", "") + folded[m.end() :]
    m = _ARABIC.fullmatch(folded)
    if m:
        return _finite(float(folded))
    return cn_to_number(folded)
