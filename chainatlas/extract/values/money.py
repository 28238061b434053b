"""Money amounts in Chinese text: `650亿元`, `超10亿元`, `数千万元`, `10亿美元`, `50-80亿元`.

Values are in units of the stated currency (`10亿美元` → 1e9, currency "USD"); there is no
FX conversion. Vague and range forms follow the rules in `_amount` (value None, bounds
set). Per-unit prices (`0.5元/千瓦时`, `3元每吨`) and scale adjectives (`千亿元级产业`)
are not amounts and are skipped.
"""

from __future__ import annotations

import re

from chainatlas.extract.records import Money
from chainatlas.extract.values._amount import (
    PREFIX_RE,
    RANGE_SEP,
    RUN_RE,
    Amount,
    bounds_for,
    qualifier_ok,
    read_range,
    read_run,
    trim_run,
)

__all__ = ["CURRENCIES", "find_money", "parse_money"]

# Surface form → ISO 4217 code; longest forms first in the regex.
CURRENCIES: dict[str, str] = {
    "元人民币": "CNY",
    "人民币": "CNY",
    "块钱": "CNY",
    "元": "CNY",
    "美元": "USD",
    "美金": "USD",
    "港元": "HKD",
    "港币": "HKD",
    "欧元": "EUR",
    "日元": "JPY",
    "英镑": "GBP",
    "韩元": "KRW",
    "新台币": "TWD",
}
_CUR_RE = "|".join(sorted(CURRENCIES, key=len, reverse=True))
_POST_RE = "以上|以下|以内|左右|上下|有余|之多"

_MONEY = re.compile(
    f"(?P<pre>{PREFIX_RE})?"
    f"(?P<run>{RUN_RE})"
    f"(?:(?P<cur1>{_CUR_RE})?(?P<sep>[{RANGE_SEP}])(?P<run2>{RUN_RE}))?"
    f"(?P<cur>{_CUR_RE})"
    f"(?P<post>{_POST_RE})?"
)
# After the currency: 级 makes a scale adjective; / or 每 makes a price; the rest make
# words where 元 is not the currency (多元化, 元器件, 元宇宙, 元旦 …).
_AFTER_BLOCK = set("级/每化素器件宇旦宵首帅老月朝代气组")
_CN_ONLY = re.compile(r"^[零〇○一二两兩三四五六七八九壹贰叁肆伍陆柒捌玖]$")


def find_money(text: str) -> list[tuple[int, int, Money]]:
    """All money amounts in `text` as (start, end, Money), sorted, non-overlapping."""
    out: list[tuple[int, int, Money]] = []
    for m in _MONEY.finditer(text):
        cur_text = m.group("cur")
        cur_end = m.end("cur")
        if cur_end < len(text) and text[cur_end] in _AFTER_BLOCK:
            continue
        if cur_text == "元" and _CN_ONLY.match(m.group("run")) and m.group("run2") is None:
            continue  # 三元锂电池, 二元结构: a lone Chinese digit before 元 is a term
        cur1 = m.group("cur1")
        if cur1 is not None and CURRENCIES[cur1] != CURRENCIES[cur_text]:
            continue
        pre = m.group("pre")
        start = m.start("run")
        amount: Amount | None = None
        trimmed: tuple[int, Amount] | None = None
        if m.group("run2") is not None:
            amount = read_range(m.group("run"), m.group("run2"))
            if amount is None:
                # "2024-100亿元" is not a range: keep only the second number.
                start = m.start("run2")
                trimmed = _read_trimmed(m.group("run2"))
        else:
            trimmed = _read_trimmed(m.group("run"))
        if trimmed is not None:
            start += trimmed[0]
            amount = trimmed[1]
        if amount is None:
            continue
        if pre is not None and start == m.start("run") and qualifier_ok(text, m.start(), pre):
            start = m.start()
        else:
            pre = None
        money = _to_money(text, start, m, amount, pre)
        out.append((start, m.end(), money))
    return _with_bare_units(text, out)


# 近亿元 / 超亿元 / 逾万元: a unit with no numeral reads as one of it (近亿元 → 1e8). Only
# with a qualifier: a bare 亿元 is mostly an adjective (亿元项目, 亿元级).
_BARE_UNIT = re.compile(
    r"(?P<pre>将近|超过|近|超|逾|约|达)(?P<unit>亿|万)(?P<cur>元|人民币)(?P<post>以上|左右)?"
)
_NUMERAL_BEFORE = re.compile(r"[0-9０-９零〇○一二两兩三四五六七八九十百千万亿数几上]$")


def _with_bare_units(
    text: str, found: list[tuple[int, int, Money]]
) -> list[tuple[int, int, Money]]:
    extra = []
    for m in _BARE_UNIT.finditer(text):
        if any(s < m.end() and m.start() < e for s, e, _ in found):
            continue
        if m.end() < len(text) and text[m.end()] in _AFTER_BLOCK:
            continue  # 超亿元级: a scale adjective
        if _NUMERAL_BEFORE.search(text[: m.start()]) or not qualifier_ok(
            text, m.start(), m.group("pre")
        ):
            continue
        value = 1e8 if m.group("unit") == "亿" else 1e4
        qualifier = m.group("pre")
        low, high = bounds_for(value, qualifier)
        money = Money(m.group(), value, low, high, qualifier, CURRENCIES[m.group("cur")])
        extra.append((m.start(), m.end(), money))
    return sorted(found + extra, key=lambda t: t[0]) if extra else found


def _read_trimmed(run: str) -> tuple[int, Amount] | None:
    """Read `run`, dropping leading chars that cannot start the number (点100万 → 100万)."""
    offset = 0
    while offset < len(run):
        skip = trim_run(run[offset:])
        offset += skip
        if offset >= len(run):
            return None
        amount = read_run(run[offset:])
        if amount is not None:
            return offset, amount
        offset += 1
    return None


def _to_money(text: str, start: int, m: re.Match[str], a: Amount, pre: str | None) -> Money:
    post = m.group("post")
    qualifier = pre or a.qualifier or post
    low, high = a.low, a.high
    if a.value is not None and qualifier is not None and qualifier != a.qualifier:
        low, high = bounds_for(a.value, qualifier)
    return Money(
        text=text[start : m.end()],
        value=a.value,
        low=low,
        high=high,
        qualifier=qualifier,
        currency=CURRENCIES[m.group("cur")],
    )


def parse_money(s: str) -> Money | None:
    """The first money amount in `s` (e.g. `总投资650亿元` → 6.5e10 CNY), or None."""
    found = find_money(s)
    return found[0][2] if found else None
