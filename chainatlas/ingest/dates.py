"""Publish-date parsing for Chinese pages: absolute and relative forms.

Everything returned is an aware datetime in Asia/Shanghai. Naive page times are taken as
site-local (mainland sites publish in Beijing time); relative forms such as `3小时前` or
`4个月前 (09-21)` are resolved against the fetch time.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

try:
    from zoneinfo import ZoneInfo

    SHANGHAI = ZoneInfo("Asia/Shanghai")
except Exception:  # pragma: no cover - only without tz data
    # China has had no DST since 1991, so a fixed offset is exact for modern pages.
    SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")  # type: ignore[assignment]

__all__ = ["SHANGHAI", "DateMatch", "find_date", "parse_date"]

# Full-width digits and separators appear on some sites; fold them before matching.
_FOLD = str.maketrans("０１２３４５６７８９：－／．（）　", "0123456789:-/.() ")

_TIME = r"(?:\s*T?\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?(?:\.\d+)?)?"
_TZ = r"(?P<tz>Z|[+-]\d{2}:?\d{2})?"

# Order matters: longest and most specific forms first.
_ABSOLUTE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*[日号]?"
    r"|(?P<sep>[-/.])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2})(?!\d))" + _TIME + _TZ
)
_COMPACT = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
# Month-day without a year: "09-21", "9/21" or "9月21日". A one-digit day after "-" is
# refused because "1-2" in prose is a range, not a date.
_MONTH_DAY = re.compile(
    r"(?<!\d)(?P<m>\d{1,2})(?:[-/](?P<d>\d{2})|月(?P<d2>\d{1,2})[日号])(?!\d)" + _TIME
)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CLOCK = re.compile(r"(?P<H>\d{1,2})[:：](?P<M>\d{2})")

_UNITS = {
    "秒": "second",
    "分钟": "minute",
    "分": "minute",
    "小时": "hour",
    "个小时": "hour",
    "天": "day",
    "日": "day",
    "周": "week",
    "星期": "week",
    "个星期": "week",
    "月": "month",
    "个月": "month",
    "年": "year",
}
_RELATIVE = re.compile(
    r"(?P<n>\d{1,4}|[一二两三四五六七八九十半]{1,3})\s*"
    r"(?P<unit>秒|分钟|小时|个小时|天|周|个星期|星期|个月|年)\s*前"
    r"(?:\s*[(（\[]\s*(?P<md>[^)）\]]{3,20}?)\s*[)）\]])?"
)
_DAY_WORD = re.compile(r"(?P<word>刚刚|今天|昨天|前天)\s*(?:(?P<H>\d{1,2})[:：](?P<M>\d{2}))?")

_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found inside a longer string: value, matched text and its span."""

    value: datetime
    raw: str
    start: int
    end: int


def _cn_int(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if token == "半":
        return None  # "半年前" is too vague to place; callers fall back to other hints
    if token == "十":
        return 10
    if "十" in token:
        tens, _, ones = token.partition("十")
        return _CN_NUM.get(tens, 1) * 10 + (_CN_NUM.get(ones, 0) if ones else 0)
    return _CN_NUM.get(token)


def _local(fetched_at: datetime) -> datetime:
    if fetched_at.tzinfo is None:
        # The ingest contract says fetched_at is aware UTC; be lenient with naive input.
        fetched_at = fetched_at.replace(tzinfo=UTC)
    return fetched_at.astimezone(SHANGHAI)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _shift_months(moment: datetime, months: int) -> datetime:
    total = moment.year * 12 + (moment.month - 1) - months
    y, m = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(y, m + 1)[1])
    return moment.replace(year=y, month=m + 1, day=day)


def _relative_moment(n: int, unit: str, now: datetime) -> datetime:
    if unit == "second":
        return now - timedelta(seconds=n)
    if unit == "minute":
        return now - timedelta(minutes=n)
    if unit == "hour":
        return now - timedelta(hours=n)
    if unit == "day":
        return now - timedelta(days=n)
    if unit == "week":
        return now - timedelta(weeks=n)
    if unit == "month":
        return _shift_months(now, n)
    return _shift_months(now, 12 * n)


def _months_between(earlier: date, later: date) -> float:
    return (later - earlier).days / 30.44


def _year_for_month_day(
    month: int, day: int, now: datetime, hint: tuple[int, str] | None
) -> int | None:
    """Pick the year for a month-day shown without one.

    The latest year that keeps the date not after `now` wins, unless a relative hint
    (e.g. `1年前`) says the gap is longer; then the latest year consistent with it wins.
    """
    today = now.date()
    candidates = []
    for year in range(today.year, today.year - 12, -1):
        d = _safe_date(year, month, day)
        if d is not None and d <= today:
            candidates.append(d)
    if not candidates:
        return None
    if hint is None:
        return candidates[0].year
    n, unit = hint
    unit_months = {"year": 12.0, "month": 1.0, "week": 7 / 30.44, "day": 1 / 30.44}.get(unit, 0.0)
    # Sites floor the gap ("4个月前" covers 4.0-4.99 months), some round; half a unit of
    # slack on each side of [n, n + 1) absorbs both.
    low, high = (n - 0.5) * unit_months, (n + 1.5) * unit_months
    gap_months = (n + 0.5) * unit_months
    for d in candidates:
        if low <= _months_between(d, today) <= high:
            return d.year
    best = min(candidates, key=lambda d: abs(_months_between(d, today) - gap_months))
    return best.year


def _at(d: date, hh: str | None, mm: str | None, ss: str | None = None) -> datetime:
    t = time(int(hh), int(mm), int(ss or 0)) if hh is not None and mm is not None else time(0, 0)
    return datetime.combine(d, t, tzinfo=SHANGHAI)


def _valid_clock(hh: str | None, mm: str | None) -> bool:
    return hh is None or (int(hh) < 24 and mm is not None and int(mm) < 60)


def _parse_tz(token: str) -> timezone:
    if token == "Z":
        return UTC
    sign = -1 if token[0] == "-" else 1
    digits = token[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _absolute(m: re.Match[str]) -> datetime | None:
    y = int(m["y"])
    mo = int(m["m1"] or m["m2"])
    d = _safe_date(y, mo, int(m["d1"] or m["d2"]))
    if d is None or not _valid_clock(m["H"], m["M"]):
        return None
    if m["tz"] and m["H"] is not None:
        t = time(int(m["H"]), int(m["M"]), int(m["S"] or 0))
        return datetime.combine(d, t, tzinfo=_parse_tz(m["tz"])).astimezone(SHANGHAI)
    return _at(d, m["H"], m["M"], m["S"])


def _relative(m: re.Match[str], now: datetime) -> datetime | None:
    n = _cn_int(m["n"])
    unit = _UNITS[m["unit"]]
    if m["md"]:
        md = _MONTH_DAY.search(m["md"])
        if md is not None and _valid_clock(md["H"], md["M"]):
            month, day = int(md["m"]), int(md["d"] or md["d2"])
            year = _year_for_month_day(month, day, now, (n, unit) if n is not None else None)
            if year is not None:
                return _at(date(year, month, day), md["H"], md["M"], md["S"])
    if n is None:
        return None
    return _relative_moment(n, unit, now)


def _day_word(m: re.Match[str], now: datetime) -> datetime | None:
    word = m["word"]
    if word == "刚刚":
        return now
    if not _valid_clock(m["H"], m["M"]):
        return None
    back = {"今天": 0, "昨天": 1, "前天": 2}[word]
    return _at(now.date() - timedelta(days=back), m["H"], m["M"])


def _standalone_day_word(text: str, m: re.Match[str]) -> bool:
    """昨天 / 今天 with a clock time is a date; inside a sentence (Han on both sides) it is prose."""
    if m["H"] is not None:
        return True
    before = text[m.start() - 1 : m.start()]
    after = text[m.end() : m.end() + 1]
    return not (_HAN.match(before) and _HAN.match(after))


def find_date(text: str, *, fetched_at: datetime) -> DateMatch | None:
    """Find the first publish-date expression in `text` (a meta line, a label, a tag).

    Absolute dates win over relative ones when both occur; a bare month-day (`09-21`)
    is used only when nothing else is present.
    """
    if not text:
        return None
    folded = text.translate(_FOLD)  # same length, so spans map back to `text`
    now = _local(fetched_at)
    for m in _ABSOLUTE.finditer(folded):
        value = _absolute(m)
        if value is not None:
            return DateMatch(value, text[m.start() : m.end()].strip(), m.start(), m.end())
    m = _RELATIVE.search(folded)
    if m is not None:
        value = _relative(m, now)
        if value is not None:
            return DateMatch(value, text[m.start() : m.end()].strip(), m.start(), m.end())
    m = _DAY_WORD.search(folded)
    if m is not None and _standalone_day_word(folded, m):
        value = _day_word(m, now)
        if value is not None:
            return DateMatch(value, text[m.start() : m.end()].strip(), m.start(), m.end())
    for m in _COMPACT.finditer(folded):
        d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if d is not None:
            return DateMatch(_at(d, None, None), m.group(), m.start(), m.end())
    m = _MONTH_DAY.search(folded)
    if m is not None and m["m"] and _valid_clock(m["H"], m["M"]):
        month, day = int(m["m"]), int(m["d"] or m["d2"])
        if 1 <= month <= 12:
            year = _year_for_month_day(month, day, now, None)
            if year is not None:
                value = _at(date(year, month, day), m["H"], m["M"], m["S"])
                return DateMatch(value, text[m.start() : m.end()].strip(), m.start(), m.end())
    return None


def parse_date(raw: str | None, *, fetched_at: datetime) -> datetime | None:
    """Parse one date string (absolute, ISO or relative) to an aware Asia/Shanghai time."""
    if not raw:
        return None
    found = find_date(raw.strip(), fetched_at=fetched_at)
    return found.value if found is not None else None
