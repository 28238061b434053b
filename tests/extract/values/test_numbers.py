"""Chinese and mixed numeral reading shared by the value normalisers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainatlas.extract.values.numbers import cn_to_number, fold_digits, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一百二十", 120),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("两", 2),
        ("两千", 2000),
        ("一百零五", 105),
        ("一千零一十", 1010),
        ("三千五百万", 35_000_000),
        ("一亿二千万", 120_000_000),
        ("十亿", 1e9),
        ("百万", 1e6),
        ("一万亿", 1e12),
        ("十二万三千", 123_000),
        ("三千五", 3500),
        ("一万二", 12_000),
        ("两百五", 250),
        ("三点五", 3.5),
        ("二十点零五", 20.05),
        ("二〇二五", 2025),
        ("一九九八", 1998),
        ("1.5万", 15_000),
        ("1.5亿", 1.5e8),
        ("3.5万亿", 3.5e12),
        ("3千", 3000),
        ("壹佰贰拾", 120),
        ("叁萬", 30_000),
        ("兩億", 2e8),
    ],
)
def test_cn_to_number(text: str, value: float) -> None:
    assert cn_to_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    "text", ["", "亿", "万", "点", "三五", "3五", "五3", "abc", "十点", "一点万"]
)
def test_cn_to_number_rejects(text: str) -> None:
    assert cn_to_number(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,200", 1200),
        ("1,200.5", 1200.5),
        ("１２００", 1200),
        ("６５０亿", 6.5e10),
        ("0.35", 0.35),
        ("一百二十亿", 1.2e10),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["12,34", "1,2000", ",100"])
def test_parse_number_rejects_bad_grouping(text: str) -> None:
    assert parse_number(text) is None


def test_fold_digits_keeps_length() -> None:
    s = "６５０亿元，增长２１．９％"
    assert len(fold_digits(s)) == len(s)
    assert fold_digits(s) == "650亿元,增长21.9%"


def test_huge_numbers_are_refused_not_infinite() -> None:
    assert parse_number("9" * 400) is None
    assert cn_to_number("一" + "亿" * 60) is None


@given(st.text(alphabet="零一二两三四五六七八九十百千万亿点0123456789.,", max_size=30))
def test_never_crashes_and_is_finite(s: str) -> None:
    for fn in (cn_to_number, parse_number):
        v = fn(s)
        assert v is None or (v == v and abs(v) != float("inf"))


@given(st.integers(min_value=1, max_value=99_999_999))
def test_reads_written_numbers(n: int) -> None:
    assert cn_to_number(_write(n)) == n


def _write(n: int) -> str:
    """Standard Chinese numeral for 1 ≤ n < 1e8 (test oracle, written independently)."""
    digits = "零一二三四五六七八九"

    def below_10k(k: int, leading: bool) -> str:
        out, zero = "", False
        for unit, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
            d = k // size % 10
            if d == 0:
                zero = bool(out) or not leading
                continue
            if zero and (out or not leading):
                out += "零"
            zero = False
            out += digits[d] + unit
        return out

    high, low = divmod(n, 10_000)
    if not high:
        return below_10k(low, True)
    text = below_10k(high, True) + "万"
    if low:
        text += ("零" if low < 1000 else "") + below_10k(low, True)
    return text
