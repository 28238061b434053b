"""Publish-date parsing: absolute, ISO and relative forms resolved against the fetch time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chainatlas.ingest.dates import SHANGHAI, find_date, parse_date

# 2026-01-10 12:00 in Shanghai.
FETCHED = datetime(2026, 1, 10, 4, 0, tzinfo=UTC)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-09-21 10:32", sh(2024, 9, 21, 10, 32)),
        ("2024-09-21 10:32:07", sh(2024, 9, 21, 10, 32, 7)),
        ("2024-09-21", sh(2024, 9, 21)),
        ("2024年9月21日 10:20", sh(2024, 9, 21, 10, 20)),
        ("2024年09月21日", sh(2024, 9, 21)),
        ("2024/09/21", sh(2024, 9, 21)),
        ("2024.09.21", sh(2024, 9, 21)),
        ("２０２４－０９－２１", sh(2024, 9, 21)),
        ("发布时间：2024-9-1 8:05", sh(2024, 9, 1, 8, 5)),
    ],
)
def test_absolute_forms_are_shanghai_local(raw: str, expected: datetime) -> None:
    value = parse_date(raw, fetched_at=FETCHED)
    assert value == expected
    assert value.utcoffset() == timedelta(hours=8)


def test_iso_with_offset_is_converted_not_relabelled() -> None:
    assert parse_date("2024-09-21T02:32:00Z", fetched_at=FETCHED) == sh(2024, 9, 21, 10, 32)
    assert parse_date("2024-09-21T10:32:00+08:00", fetched_at=FETCHED) == sh(2024, 9, 21, 10, 32)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("刚刚", sh(2026, 1, 10, 12, 0)),
        ("5分钟前", sh(2026, 1, 10, 11, 55)),
        ("3小时前", sh(2026, 1, 10, 9, 0)),
        ("昨天 10:20", sh(2026, 1, 9, 10, 20)),
        ("前天", sh(2026, 1, 8)),
        ("今天 08:05", sh(2026, 1, 10, 8, 5)),
        ("2天前", sh(2026, 1, 8, 12, 0)),
        ("2周前", sh(2025, 12, 27, 12, 0)),
        ("3个月前", sh(2025, 10, 10, 12, 0)),
        ("1年前", sh(2025, 1, 10, 12, 0)),
        ("三天前", sh(2026, 1, 7, 12, 0)),
    ],
)
def test_relative_forms(raw: str, expected: datetime) -> None:
    assert parse_date(raw, fetched_at=FETCHED) == expected


def test_month_day_in_parentheses_wins_over_relative_hint() -> None:
    # Fetched in January: September is in the previous year.
    assert parse_date("4个月前 (09-21)", fetched_at=FETCHED) == sh(2025, 9, 21)
    # Fetched in late January of the same year as the page: year unchanged.
    late = datetime(2025, 1, 25, tzinfo=UTC)
    assert parse_date("4个月前 (09-21)", fetched_at=late) == sh(2024, 9, 21)


def test_month_day_year_follows_a_long_relative_hint() -> None:
    # "1年前" means more than a year: the latest 09-21 (4 months back) is inconsistent.
    assert parse_date("1年前 (09-21)", fetched_at=FETCHED) == sh(2024, 9, 21)
    assert parse_date("2年前 (09-21)", fetched_at=FETCHED) == sh(2023, 9, 21)


def test_month_day_never_after_fetch_time() -> None:
    value = parse_date("3天前 (01-07)", fetched_at=FETCHED)
    assert value == sh(2026, 1, 7)
    # A month-day later in the year than the fetch date belongs to last year.
    assert parse_date("11-30", fetched_at=FETCHED) == sh(2025, 11, 30)


def test_find_date_reports_span_inside_glued_meta_line() -> None:
    line = "admin4个月前 (09-21)资讯频道12"
    found = find_date(line, fetched_at=FETCHED)
    assert found is not None
    assert found.raw == "4个月前 (09-21)"
    assert line[found.start : found.end].strip() == found.raw
    assert found.value == sh(2025, 9, 21)


@pytest.mark.parametrize("raw", ["", "没有日期", "2024-13-45", "99:99", None])
def test_unparseable_returns_none(raw: str | None) -> None:
    assert parse_date(raw, fetched_at=FETCHED) is None


def test_naive_fetch_time_is_taken_as_utc() -> None:
    naive = datetime(2026, 1, 10, 4, 0)
    assert parse_date("刚刚", fetched_at=naive) == sh(2026, 1, 10, 12, 0)
