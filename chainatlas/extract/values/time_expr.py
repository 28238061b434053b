"""Time expressions in article text, resolved against the publish date.

`find_dates(text, published=date(2025, 6, 1))` returns (start, end, DateValue) for forms
such as `2025年底`, `2024年12月`, `今年5月`, `去年上半年`, `一季度`, `年内`, `11月初`,
`2022-2024年`, `“十四五”期间`, `9月21日`.

Rules (the choices a reader of a fact needs to know):

* `年底` / `年末` is December (precision month); `年初` is January. `月初`/`上旬` are days
  1-10, `中旬` 11-20, `月底`/`下旬` 21 to month end (precision period).
* Precision names the calendar unit when the expression covers exactly one whole unit
  (day, month, quarter, half, year); anything else - ranges, 旬, `前三季度`, five-year
  plans, `年内` - is `period`.
* Five-year plans: 十一五 = 2006-2010, and each later plan five years on (十四五 =
  2021-2025, 十五五 = 2026-2030). `十四五末` is its last year. Bare `十五` (the 10th plan,
  or just 15) is not read.
* No year given (`9月21日`, `四季度`): the publish year, unless that lands more than 30
  days after the publish date in a non-target sentence - then the year before (a March
  article saying 四季度 means last year's).
* `年内` without a year runs from the publish date to 31 December and is a target.
* `expected=True` for targets: a marker (预计, 计划, 力争, 争取, 将于, 将在, 有望, 目标, 拟,
  确保, 到 - not 截至/达到 …) within 8 characters before, in the same clause; or the
  expression starts after the publish date (a future period is a plan, not a fact).
* `A至B` / `A-B` between two expressions becomes one period; B takes A's year when it has
  none. A month range that runs backwards (`2023年11月至2月`) keeps only the year. `X至今`
  ends on the publish date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from chainatlas.extract.records import DateValue
from chainatlas.extract.values.numbers import cn_to_number, fold_digits

__all__ = ["find_dates"]

_D = "[0-9０-９]"
_Y4 = f"(?<![0-9０-９])[12１２]{_D}{{3}}(?![0-9０-９])"
_CNY = "[一二][〇零○一二三四五六七八九]{3}"
_MN = f"(?<![0-9０-９.]){_D}{{1,2}}|十[一二]?|[一二三四五六七八九]"
_DN = f"{_D}{{1,2}}|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_SEP = "[至到\\-－—–~～]"
_NOT_START = "(?!步|次|级|心|衷|创|中|见|赛|稿|具|期|始)"
_QUARTER = "第?[一二三四1-4１-４]季度|首季度?|Q[1-4]"
_YEAR_PART = (
    f"上半年|下半年|年底|年末|年初{_NOT_START}|年内|前三季度|前[两二]季度|{_QUARTER}"
    f"|底|末|初{_NOT_START}|内"
)
_STANDALONE = (
    f"上半年|下半年|年底|年末|年初{_NOT_START}|年内|前三季度|前[两二]季度|{_QUARTER}"
    "|本月底|本月末|本月初|月底|月末|月初|本月|上月|下月"
)
_MONTH_DAY = (
    f"(?P<m>{_MN})月?{_SEP}(?P<m2>{_MN})月份?"
    f"|(?P<mo>{_MN})月份?(?:(?P<d>{_DN})[日号]?{_SEP}(?P<d2>{_DN})[日号]"
    f"|(?P<d1>{_DN})[日号]|(?P<mp>上旬|中旬|下旬|底|末|初{_NOT_START}))?"
)

_DATES = re.compile(
    f"(?P<iy>{_Y4})(?P<isep>[-/.])(?P<im>{_D}{{1,2}})(?P=isep)(?P<id>{_D}{{1,2}})(?![0-9０-９])"
    f"|(?P<ry1>{_Y4})年?\\s?{_SEP}\\s?(?P<ry2>{_Y4})(?:年度?)?"
    f'|(?P<fq>[“"「『])?十(?P<fyp>[一二三四五六七八九])五(?P<fq2>[”"」』])?'
    "(?P<ftail>期间|时期|末期|末|初期|以来)?"
    f"|(?:(?P<yfull>(?P<y>{_Y4}|{_CNY})\\s?年度?)|(?P<rel>今年|去年|前年|明年|后年|上年|本年)"
    f"|(?=(?:{_MN})月|{_STANDALONE}))"
    f"(?:{_MONTH_DAY}|(?P<yp>{_YEAR_PART})|(?P<sa>本月底|本月末|本月初|月底|月末|月初|本月|上月|下月))?"
)
_REL_YEARS = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1, "后年": 2}
_EXPECT = re.compile(r"预计|计划|力争|争取|将于|将在|有望|目标|拟|确保|预期|届时|到")
_NOT_TARGET_BEFORE_DAO = set("得受达来看遇提感做办找报收截直")
# The part of the look-back window after the last clause break.
_CLAUSE_TAIL = re.compile(r"[^，,。；;！!？?\n：:]*$")
_LOOKBACK = 8
_CONNECTORS = {"至", "到", "-", "－", "—", "–", "~", "～", "——"}
# A bare year-less form right after these is a duration or a habit (三年内, 每年底), not a date.
_STANDALONE_BLOCK = set(
    "每半全当同周几数多0123456789０１２３４５６７８９零一二两三四五六七八九十百千"
)


@dataclass(slots=True)
class _Atom:
    start: int
    end: int
    first: date
    last: date
    precision: str
    explicit_year: bool
    expected: bool


def find_dates(text: str, *, published: date) -> list[tuple[int, int, DateValue]]:
    """All time expressions in `text` as (start, end, DateValue), sorted, non-overlapping."""
    atoms: list[_Atom] = []
    for m in _DATES.finditer(text):
        if m.end() == m.start():
            continue
        try:
            atom = _atom(text, m, published)
        except (ValueError, OverflowError):
            atom = None  # impossible dates such as 2月30日
        if atom is not None:
            atoms.append(atom)
    merged = _merge_ranges(text, atoms, published)
    return [
        (
            a.start,
            a.end,
            DateValue(
                text=text[a.start : a.end],
                start=a.first.isoformat(),
                end=a.last.isoformat(),
                precision=a.precision,
                expected=a.expected or a.first > published,
            ),
        )
        for a in merged
    ]


def _is_expected(text: str, start: int) -> bool:
    window = text[max(0, start - _LOOKBACK) : start]
    clause = _CLAUSE_TAIL.search(window)
    window = clause.group(0) if clause else ""
    base = start - len(window)
    for hit in _EXPECT.finditer(window):
        if hit.group(0) == "到":
            before = base + hit.start() - 1
            if before >= 0 and text[before] in _NOT_TARGET_BEFORE_DAO:
                continue
        return True
    return False


def _num(s: str) -> int | None:
    v = cn_to_number(fold_digits(s))
    return int(v) if v is not None and v == int(v) else None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _year_of(s: str) -> int | None:
    y = _num(s)
    return y if y is not None and 1900 <= y <= 2099 else None


def _atom(text: str, m: re.Match[str], pub: date) -> _Atom | None:
    start, end = m.start(), m.end()
    expected = _is_expected(text, start)
    if m.group("iy"):
        y, mo, d = _year_of(m.group("iy")), _num(m.group("im")), _num(m.group("id"))
        if y is None or mo is None or d is None:
            return None
        day = date(y, mo, d)
        return _Atom(start, end, day, day, "day", True, expected)
    if m.group("ry1"):
        y1, y2 = _year_of(m.group("ry1")), _year_of(m.group("ry2"))
        if y1 is None or y2 is None or not y1 < y2 <= y1 + 30:
            return None
        return _Atom(start, end, date(y1, 1, 1), date(y2, 12, 31), "period", True, expected)
    if m.group("fyp"):
        return _five_year_plan(m, expected)

    year: int | None = None
    explicit = True
    if m.group("y"):
        year = _year_of(m.group("y"))
        if year is None:
            return None
    elif m.group("rel"):
        rel = m.group("rel")
        nxt = text[end : end + 1] if end == m.end("rel") else ""
        if rel in ("前年", "后年") and nxt and nxt in "均份度龄产限":
            return None  # 改造前年产能 / 此后年均增长
        if rel == "上年" and start > 0 and text[start - 1] in "以向之线":
            return None  # 亿元以上年营收
        year = pub.year + _REL_YEARS[rel]
    else:
        explicit = False
        if start > 0 and text[start - 1] in _STANDALONE_BLOCK:
            return None
        year = pub.year
    atom = _tail(m, year, start, end, expected, explicit, pub)
    if atom is None and explicit:
        # The tail did not read (2025年13月): keep the year alone.
        year_end = m.end("yfull") if m.group("y") else m.end("rel")
        atom = _Atom(start, year_end, date(year, 1, 1), date(year, 12, 31), "year", True, expected)
    return atom


def _five_year_plan(m: re.Match[str], expected: bool) -> _Atom:
    k = 10 + int(cn_to_number(m.group("fyp")) or 0)
    first_year = 2006 + 5 * (k - 11)
    start = m.start("fq") if m.group("fq") else m.start("fyp") - 1
    end = m.end()
    if m.group("fq") and not m.group("fq2"):
        start = m.start("fyp") - 1  # an unmatched quote belongs to something else
    tail = m.group("ftail")
    if tail in ("末", "末期"):
        y = first_year + 4
        return _Atom(start, end, date(y, 1, 1), date(y, 12, 31), "year", True, expected)
    if tail == "初期":
        y = first_year
        return _Atom(start, end, date(y, 1, 1), date(y, 12, 31), "year", True, expected)
    return _Atom(
        start, end, date(first_year, 1, 1), date(first_year + 4, 12, 31), "period", True, expected
    )


def _tail(
    m: re.Match[str], year: int, start: int, end: int, expected: bool, explicit: bool, pub: date
) -> _Atom | None:
    first: date
    last: date
    if m.group("m"):
        m1, m2 = _num(m.group("m")), _num(m.group("m2"))
        if m1 is None or m2 is None or not 1 <= m1 < m2 <= 12:
            return None
        first, last, precision = date(year, m1, 1), _month_end(year, m2), "period"
    elif m.group("mo"):
        mo = _num(m.group("mo"))
        if mo is None or not 1 <= mo <= 12:
            return None
        first, last, precision = _month_detail(m, year, mo)
    elif m.group("yp"):
        if not explicit and m.group("yp") in ("底", "末", "初", "内"):
            return None
        first, last, precision = _year_part(m.group("yp"), year, explicit, pub)
        # A bare 年内 covers only the rest of the year: always a target.
        expected = expected or (not explicit and m.group("yp") == "年内")
    elif m.group("sa"):
        first, last, precision = _month_relative(m.group("sa"), pub)
        return _Atom(start, end, first, last, precision, True, expected)
    else:
        return None
    if not explicit and not expected and first > pub + timedelta(days=30):
        first, last = _shift_year(first, -1), _shift_year(last, -1)
    return _Atom(start, end, first, last, precision, explicit, expected)


def _month_detail(m: re.Match[str], year: int, mo: int) -> tuple[date, date, str]:
    if m.group("d1"):
        d = _num(m.group("d1"))
        if d is None:
            raise ValueError("day")
        day = date(year, mo, d)
        return day, day, "day"
    if m.group("d"):
        d1, d2 = _num(m.group("d")), _num(m.group("d2"))
        if d1 is None or d2 is None or d1 >= d2:
            raise ValueError("day range")
        return date(year, mo, d1), date(year, mo, d2), "period"
    part = m.group("mp")
    if part in ("初", "上旬"):
        return date(year, mo, 1), date(year, mo, 10), "period"
    if part == "中旬":
        return date(year, mo, 11), date(year, mo, 20), "period"
    if part in ("底", "末", "下旬"):
        return date(year, mo, 21), _month_end(year, mo), "period"
    return date(year, mo, 1), _month_end(year, mo), "month"


_QUARTER_NUM = re.compile(r"[一二三四1-4１-４]")


def _year_part(part: str, year: int, explicit: bool, pub: date) -> tuple[date, date, str]:
    if part == "上半年":
        return date(year, 1, 1), date(year, 6, 30), "half"
    if part == "下半年":
        return date(year, 7, 1), date(year, 12, 31), "half"
    if part in ("年底", "年末", "底", "末"):
        return date(year, 12, 1), date(year, 12, 31), "month"
    if part in ("年初", "初"):
        return date(year, 1, 1), date(year, 1, 31), "month"
    if part in ("年内", "内"):
        if explicit:
            return date(year, 1, 1), date(year, 12, 31), "year"
        return pub, date(pub.year, 12, 31), "period"  # expected: see _tail
    if part == "前三季度":
        return date(year, 1, 1), date(year, 9, 30), "period"
    if part.startswith("前"):
        return date(year, 1, 1), date(year, 6, 30), "half"
    if part.startswith("首"):
        q = 1
    else:
        found = _QUARTER_NUM.search(part)
        q = _num(found.group(0)) if found else None
        if q is None:
            raise ValueError("quarter")
    first = date(year, 3 * q - 2, 1)
    return first, _month_end(year, 3 * q), "quarter"


def _month_relative(part: str, pub: date) -> tuple[date, date, str]:
    y, mo = pub.year, pub.month
    part = part.removeprefix("本") if len(part) == 3 else part
    if part in ("上月", "下月"):
        mo += -1 if part == "上月" else 1
        if mo == 0:
            y, mo = y - 1, 12
        elif mo == 13:
            y, mo = y + 1, 1
        return date(y, mo, 1), _month_end(y, mo), "month"
    if part == "本月":
        return date(y, mo, 1), _month_end(y, mo), "month"
    if part == "月初":
        return date(y, mo, 1), date(y, mo, 10), "period"
    return date(y, mo, 21), _month_end(y, mo), "period"


def _shift_year(d: date, years: int) -> date:
    y = d.year + years
    return date(y, d.month, min(d.day, calendar.monthrange(y, d.month)[1]))


def _merge_ranges(text: str, atoms: list[_Atom], pub: date) -> list[_Atom]:
    out: list[_Atom] = []
    for atom in atoms:
        prev = out[-1] if out else None
        if prev is not None and text[prev.end : atom.start].strip() in _CONNECTORS:
            last = atom.last
            if not atom.explicit_year:
                last = _shift_year(last, prev.first.year - atom.first.year)
            if last > prev.first:
                out[-1] = _Atom(
                    prev.start,
                    atom.end,
                    prev.first,
                    last,
                    "period",
                    prev.explicit_year,
                    prev.expected or atom.expected,
                )
                continue
        out.append(atom)
    for i, atom in enumerate(out):
        if text.startswith("至今", atom.end) and atom.first <= pub:
            out[i] = _Atom(atom.start, atom.end + 2, atom.first, pub, "period", True, atom.expected)
    return out
