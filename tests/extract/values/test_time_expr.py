"""Time expressions resolved against the publish date."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainatlas.extract.values.time_expr import find_dates

PUB = date(2025, 6, 15)

# (sentence, span text, start, end, precision, expected)
CASES = [
    ("项目将于2025年底建成投产。", "2025年底", "2025-12-01", "2025-12-31", "month", True),
    (
        "截至2024年底，全市共有高新技术企业5000家。",
        "2024年底",
        "2024-12-01",
        "2024-12-31",
        "month",
        False,
    ),
    ("公司成立于2020年。", "2020年", "2020-01-01", "2020-12-31", "year", False),
    ("2024年12月，一期工程开工。", "2024年12月", "2024-12-01", "2024-12-31", "month", False),
    ("2020年12月完成备案。", "2020年12月", "2020-12-01", "2020-12-31", "month", False),
    ("今年5月，项目正式签约。", "今年5月", "2025-05-01", "2025-05-31", "month", False),
    ("去年实现营收12亿元。", "去年", "2024-01-01", "2024-12-31", "year", False),
    ("明年启动二期建设。", "明年", "2026-01-01", "2026-12-31", "year", True),
    ("前年获批国家级园区。", "前年", "2023-01-01", "2023-12-31", "year", False),
    ("上半年全市规上工业增加值增长6%。", "上半年", "2025-01-01", "2025-06-30", "half", False),
    ("下半年将启动三期。", "下半年", "2025-07-01", "2025-12-31", "half", True),
    ("今年一季度出口增长。", "今年一季度", "2025-01-01", "2025-03-31", "quarter", False),
    ("去年第三季度实现盈利。", "去年第三季度", "2024-07-01", "2024-09-30", "quarter", False),
    ("项目力争年内建成。", "年内", "2025-06-15", "2025-12-31", "period", True),
    ("设备于11月初进场。", "11月初", "2024-11-01", "2024-11-10", "period", False),
    ("计划11月初进场。", "11月初", "2025-11-01", "2025-11-10", "period", True),
    ("本月底前完成验收。", "本月底", "2025-06-21", "2025-06-30", "period", True),
    ("2022-2024年累计投资300亿元。", "2022-2024年", "2022-01-01", "2024-12-31", "period", False),
    ("2022—2024年，园区产值翻番。", "2022—2024年", "2022-01-01", "2024-12-31", "period", False),
    (
        "“十四五”期间，全省新增产能显著。",
        "“十四五”期间",
        "2021-01-01",
        "2025-12-31",
        "period",
        False,
    ),
    ("十四五时期是关键阶段。", "十四五时期", "2021-01-01", "2025-12-31", "period", False),
    ("谋划十五五重大项目。", "十五五", "2026-01-01", "2030-12-31", "period", True),
    ("到十四五末，产值突破千亿元。", "十四五末", "2025-01-01", "2025-12-31", "year", True),
    ("9月21日，签约仪式举行。", "9月21日", "2024-09-21", "2024-09-21", "day", False),
    ("6月10日，签约仪式举行。", "6月10日", "2025-06-10", "2025-06-10", "day", False),
    ("7月10日举行开工仪式。", "7月10日", "2025-07-10", "2025-07-10", "day", True),
    ("计划9月21日开工。", "9月21日", "2025-09-21", "2025-09-21", "day", True),
    ("于2019年6月30日注册。", "2019年6月30日", "2019-06-30", "2019-06-30", "day", False),
    ("发布时间：2025-03-01", "2025-03-01", "2025-03-01", "2025-03-01", "day", False),
    ("2023年5月至8月试运行。", "2023年5月至8月", "2023-05-01", "2023-08-31", "period", False),
    ("展会于5月21日至23日举办。", "5月21日至23日", "2025-05-21", "2025-05-23", "period", False),
    ("2020年至今累计投入50亿元。", "2020年至今", "2020-01-01", "2025-06-15", "period", False),
    ("二〇二五年工作要点", "二〇二五年", "2025-01-01", "2025-12-31", "year", False),
    ("力争到2027年产值翻番。", "2027年", "2027-01-01", "2027-12-31", "year", True),
    ("2023年1-5月出口增长。", "2023年1-5月", "2023-01-01", "2023-05-31", "period", False),
    ("2024年第四季度投产。", "2024年第四季度", "2024-10-01", "2024-12-31", "quarter", False),
    ("四季度订单饱满。", "四季度", "2024-10-01", "2024-12-31", "quarter", False),
    (
        "2023年5月至2024年3月建设。",
        "2023年5月至2024年3月",
        "2023-05-01",
        "2024-03-31",
        "period",
        False,
    ),
    ("2023年前三季度营收增长。", "2023年前三季度", "2023-01-01", "2023-09-30", "period", False),
    ("2024年上半年净利润下降。", "2024年上半年", "2024-01-01", "2024-06-30", "half", False),
    ("全市2024年度工业百强", "2024年度", "2024-01-01", "2024-12-31", "year", False),
    ("２０２４年１２月投产", "２０２４年１２月", "2024-12-01", "2024-12-31", "month", False),
    ("今年年初签约。", "今年年初", "2025-01-01", "2025-01-31", "month", False),
    ("3月中旬完成。", "3月中旬", "2025-03-11", "2025-03-20", "period", False),
    ("预计2026年上半年投产。", "2026年上半年", "2026-01-01", "2026-06-30", "half", True),
]


@pytest.mark.parametrize(("sentence", "span", "start", "end", "precision", "expected"), CASES)
def test_find_dates(sentence, span, start, end, precision, expected) -> None:
    found = find_dates(sentence, published=PUB)
    assert len(found) == 1, found
    s, e, d = found[0]
    assert (s, e) == (sentence.index(span), sentence.index(span) + len(span))
    assert d.text == span
    assert (d.start, d.end, d.precision, d.expected) == (start, end, precision, expected)


def test_several_with_exact_offsets() -> None:
    text = "该项目2024年12月签约，计划2025年底投产，到“十四五”末产值超百亿元。"
    got = [(s, e, d.text, d.expected) for s, e, d in find_dates(text, published=PUB)]
    assert got == [
        (3, 11, "2024年12月", False),
        (16, 22, "2025年底", True),
        (26, 32, "“十四五”末", True),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "改造前年产能仅为5万吨。",
        "三年内完成改造。",
        "每年底开展评估。",
        "研发周期12个月。",
        "月产能达到2万片。",
    ],
)
def test_no_false_positives(sentence: str) -> None:
    assert find_dates(sentence, published=PUB) == []


def test_chupu_is_not_month_start() -> None:
    [(s, e, d)] = find_dates("5月初步完成设计", published=PUB)
    assert (s, e, d.precision) == (0, 2, "month")


def test_impossible_dates_are_skipped() -> None:
    assert find_dates("2月30日", published=PUB) == []
    assert find_dates("2025年13月", published=PUB)[0][2].text == "2025年"


def test_year_rollover_for_month_without_year() -> None:
    jan = date(2025, 1, 10)
    [(_, _, d)] = find_dates("12月20日，项目竣工。", published=jan)
    assert d.start == "2024-12-20"
    [(_, _, d)] = find_dates("上月完成。", published=jan)
    assert (d.start, d.end) == ("2024-12-01", "2024-12-31")


@settings(max_examples=300)
@given(
    st.one_of(
        st.text(max_size=80),
        st.lists(
            st.sampled_from(
                [
                    "2025",
                    "年",
                    "月",
                    "日",
                    "12",
                    "31",
                    "2",
                    "29",
                    "十四五",
                    "“",
                    "”",
                    "至",
                    "-",
                    "今年",
                    "去年",
                    "上半年",
                    "季度",
                    "第",
                    "四",
                    "底",
                    "初",
                    "计划",
                    "到",
                    "😀",
                    "９",
                ]
            ),
            max_size=30,
        ).map("".join),
    ),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
)
def test_never_crashes_and_spans_are_sane(text: str, published: date) -> None:
    prev_end = 0
    for start, end, d in find_dates(text, published=published):
        assert 0 <= prev_end <= start < end <= len(text)
        assert d.text == text[start:end]
        assert d.start <= d.end
        prev_end = end


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("计划2025年建成。", True),
        ("计划投资10亿元，2025年建成。", False),  # the marker is in another clause
        ("受到2020年疫情影响。", False),  # 受到 is not "by (a target date)"
        ("截至2024年底已建成。", False),
        ("到2025年建成。", True),
    ],
)
def test_expected_markers(sentence: str, expected: bool) -> None:
    [(_, _, d)] = find_dates(sentence, published=date(2026, 6, 15))
    assert d.expected is expected


def test_backwards_month_range_keeps_the_year() -> None:
    [(s, e, d)] = find_dates("2023年11月至2月", published=PUB)
    assert (s, e, d.precision) == (0, 5, "year")
