"""Stock codes need stock-code context; bare six-digit numbers are not codes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainatlas.extract.values.stock import exchange_of, find_stock_codes

CASES = [
    ("卫星化学(002648)发布年报。", "002648", "002648", "SZ"),
    ("比亚迪（002594）宣布新基地落地。", "002594", "002594", "SZ"),
    ("迈瑞医疗(300760.SZ)股价上涨。", "300760.SZ", "300760", "SZ"),
    ("联影医疗688271.SH披露公告。", "688271.SH", "688271", "SH"),
    ("浦发银行SH600000", "SH600000", "600000", "SH"),
    ("行情代码sz000001", "sz000001", "000001", "SZ"),
    ("公告称（股票代码：600519）拟回购。", "600519", "600519", "SH"),
    ("证券代码：002648，证券简称：卫星化学", "002648", "002648", "SZ"),
    ("颖泰生物（920819）在北交所上市。", "920819", "920819", "BJ"),
    ("某公司（430489）", "430489", "430489", "BJ"),
    ("平安银行(SZ:000001)", "SZ:000001", "000001", "SZ"),
    ("贵州茅台(600519.SS)", "600519.SS", "600519", "SH"),
    ("腾讯控股(00700.HK)", "00700.HK", "00700", "HK"),
    ("公司（深交所：301236）", "301236", "301236", "SZ"),
]


@pytest.mark.parametrize(("sentence", "span", "code", "exchange"), CASES)
def test_find_stock_codes(sentence, span, code, exchange) -> None:
    found = find_stock_codes(sentence)
    start = sentence.index(span)
    assert found == [(start, start + len(span), code, exchange)]


def test_codes_listed_in_one_bracket() -> None:
    assert find_stock_codes("两家公司(600000、000001)") == [
        (5, 11, "600000", "SH"),
        (12, 18, "000001", "SZ"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "联系电话：0755-123456",
        "邮编(518000)",
        "邮编：200000",
        "（200000）上海市",
        "2024年营收123456万元",
        "ETF（510300）份额增加",
        "订单号1234567",
        "产值600000吨",
        "编号（600000）",
    ],
)
def test_no_false_positives(sentence: str) -> None:
    assert find_stock_codes(sentence) == [], sentence


@pytest.mark.parametrize(
    ("code", "exchange"),
    [
        ("600000", "SH"),
        ("688981", "SH"),
        ("000001", "SZ"),
        ("300750", "SZ"),
        ("920819", "BJ"),
        ("830799", "BJ"),
        ("510300", None),
        ("100000", None),
    ],
)
def test_exchange_of(code: str, exchange: str | None) -> None:
    assert exchange_of(code) == exchange


@settings(max_examples=300)
@given(
    st.one_of(
        st.text(max_size=60),
        st.lists(
            st.sampled_from(
                [
                    "(",
                    ")",
                    "（",
                    "）",
                    "600000",
                    "00259",
                    "4",
                    ".SZ",
                    "SH",
                    "代码：",
                    "、",
                    "邮编",
                    "公司",
                    "９",
                    "😀",
                    ".HK",
                ]
            ),
            max_size=20,
        ).map("".join),
    )
)
def test_never_crashes_and_spans_are_sane(text: str) -> None:
    prev_end = 0
    for start, end, code, exchange in find_stock_codes(text):
        assert 0 <= prev_end <= start < end <= len(text)
        assert code.isdigit() and len(code) in (5, 6)
        assert exchange in {"SH", "SZ", "BJ", "HK"}
        prev_end = end
