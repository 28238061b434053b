"""A-share (and Hong Kong) stock codes written after company names.

`find_stock_codes("卫星化学(002648)")` → [(5, 11, "002648", "SZ")]. The span covers the code
as written, with an attached exchange tag (`300760.SZ`, `SH600000`) but without brackets
or labels.

Six-digit numbers are everywhere (postcodes, phone numbers, amounts), so a code needs
context: an exchange tag (`.SZ`, `SH`), a label (`股票代码：`, `证券代码`), or brackets
right after a name (`比亚迪（002594）`). Without a tag the prefix must be a listed-stock
range; the exchange is read from it:

* SH (上交所): 600 601 603 605 main board, 688 689 STAR market.
* SZ (深交所): 000 001 002 003 main board, 300 301 ChiNext. (B shares 200/900 only with
  a tag: 200xxx is also a Shanghai postcode.)
* BJ (北交所): 920 (new listings since April 2024; all existing BSE stocks moved to 920
  codes in October 2025) and the legacy NEEQ-era 43/83/87/88 codes that older
  articles still use.

Hong Kong codes are read only with an `.HK` tag (`00700.HK`), exchange "HK".
"""

from __future__ import annotations

import re

from chainatlas.extract.values.numbers import fold_digits

__all__ = ["exchange_of", "find_stock_codes"]

_D = "[0-9０-９]"
_CODE = re.compile(
    f"(?<![0-9０-９A-Za-z])"
    f"(?:(?P<pfx>[Ss][Hh]|[Ss][Zz]|[Bb][Jj])[.:：]?)?"
    f"(?P<code>{_D}{{6}})"
    f"(?:\\.(?P<sfx>[Ss][Hh]|[Ss][Zz]|[Bb][Jj]|[Ss][Ss]))?"
    f"(?![0-9０-９A-Za-z])"
    f"|(?<![0-9０-９A-Za-z])(?P<hk>{_D}{{4,5}})\\.[Hh][Kk](?![A-Za-z])"
)
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("600", "SH"),
    ("601", "SH"),
    ("603", "SH"),
    ("605", "SH"),
    ("688", "SH"),
    ("689", "SH"),
    ("000", "SZ"),
    ("001", "SZ"),
    ("002", "SZ"),
    ("003", "SZ"),
    ("300", "SZ"),
    ("301", "SZ"),
    ("920", "BJ"),
    ("43", "BJ"),
    ("83", "BJ"),
    ("87", "BJ"),
    ("88", "BJ"),
)
_TAGS = {"SH": "SH", "SS": "SH", "SZ": "SZ", "BJ": "BJ"}
# Text just before the code that makes it a code: a label, or an opening bracket with an
# optional exchange name inside.
_LABEL_BEFORE = re.compile(
    r"(?:(?:股票|证券|A股|B股|公司)?代码(?:为|是)?|(?:深交所|上交所|北交所|沪市|深市|科创板|创业板|北证)"
    r")[:：]?\s*$"
)
_OPEN_BEFORE = re.compile(
    r"[（(【\[]\s*(?:(?:深交所|上交所|北交所|沪市|深市|科创板|创业板|北证|A股)[:：]?\s*)?$"
)
_CLOSE_AFTER = re.compile(r"\s*[)）】\]、，,；;]")
# Brackets after these hold postcodes or phone numbers, not codes.
_NOT_CODE_BEFORE = re.compile(
    r"(?:邮编|邮政编码|电话|传真|手机|热线|QQ|编号)[:：]?\s*[（(【\[]?\s*$"
)


def _bracketed_after_name(text: str, before: str, m: re.Match[str]) -> bool:
    opening = _OPEN_BEFORE.search(before)
    if opening is None or not _CLOSE_AFTER.match(text, m.end()):
        return False
    bracket_at = m.start() - len(before) + opening.start()
    # The bracket must follow a name (CJK or Latin), not start a line or follow a number.
    return bracket_at > 0 and (text[bracket_at - 1].isalpha())


def exchange_of(code: str) -> str | None:
    """Exchange ("SH", "SZ", "BJ") for a 6-digit A-share code by prefix, or None."""
    for prefix, exchange in _PREFIXES:
        if code.startswith(prefix):
            return exchange
    return None


def find_stock_codes(text: str) -> list[tuple[int, int, str, str]]:
    """All stock codes in `text` as (start, end, code, exchange), sorted by position."""
    out: list[tuple[int, int, str, str]] = []
    for m in _CODE.finditer(text):
        if m.group("hk") is not None:
            code = fold_digits(m.group("hk")).zfill(5)
            out.append((m.start(), m.end(), code, "HK"))
            continue
        code = fold_digits(m.group("code"))
        tag = m.group("pfx") or m.group("sfx")
        if tag is not None:
            exchange = _TAGS[tag.upper()]
            out.append((m.start(), m.end(), code, exchange))
            continue
        by_prefix = exchange_of(code)
        if by_prefix is None:
            continue
        before = text[max(0, m.start() - 12) : m.start()]
        if _NOT_CODE_BEFORE.search(before):
            continue
        listed = bool(out) and text[out[-1][1] : m.start()].strip() in ("、", ",", "，", "/")
        if listed or _LABEL_BEFORE.search(before) or _bracketed_after_name(text, before, m):
            out.append((m.start(), m.end(), code, by_prefix))
    return out
