"""Money amounts: exact spans, CNY/other currencies, vague and range forms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainatlas.extract.records import Money
from chainatlas.extract.values.money import find_money, parse_money

# (sentence, span text, value, low, high, qualifier, currency)
CASES = [
    ("该项目总投资650亿元，分三期建设。", "650亿元", 6.5e10, 6.5e10, 6.5e10, None, "CNY"),
    ("一期工程计划投资2000亿元。", "2000亿元", 2e11, 2e11, 2e11, None, "CNY"),
    ("公司完成1.5亿元B轮融资。", "1.5亿元", 1.5e8, 1.5e8, 1.5e8, None, "CNY"),
    ("注册资本3000万元。", "3000万元", 3e7, 3e7, 3e7, None, "CNY"),
    ("近日获得数千万元天使轮投资。", "数千万元", None, 2e7, 9.9e7, "数", "CNY"),
    ("拟建设近百亿元的产业基金。", "近百亿元", 1e10, None, 1e10, "近", "CNY"),
    ("全年营收超10亿元。", "超10亿元", 1e9, 1e9, None, "超", "CNY"),
    ("带动投资超过5亿元。", "超过5亿元", 5e8, 5e8, None, "超过", "CNY"),
    ("累计纳税逾3亿元。", "逾3亿元", 3e8, 3e8, None, "逾", "CNY"),
    ("引进亿元项目3个，其中10亿元以上项目1个。", "10亿元以上", 1e9, 1e9, None, "以上", "CNY"),
    ("新增授信10余亿元。", "10余亿元", 1e9, 1e9, None, "余", "CNY"),
    ("预计总投资约20亿元。", "约20亿元", 2e9, None, None, "约", "CNY"),
    ("年产值3亿元左右。", "3亿元左右", 3e8, None, None, "左右", "CNY"),
    ("研发投入100多万元。", "100多万元", 1e6, 1e6, None, "多", "CNY"),
    ("获得政府补贴五千万元。", "五千万元", 5e7, 5e7, 5e7, None, "CNY"),
    ("总投资一百二十亿元。", "一百二十亿元", 1.2e10, 1.2e10, 1.2e10, None, "CNY"),
    ("设立十亿元专项基金。", "十亿元", 1e9, 1e9, 1e9, None, "CNY"),
    ("完成两千万元Pre-A轮融资。", "两千万元", 2e7, 2e7, 2e7, None, "CNY"),
    ("项目投资额达６５０亿元。", "６５０亿元", 6.5e10, 6.5e10, 6.5e10, None, "CNY"),
    ("实现销售收入1,200万元。", "1,200万元", 1.2e7, 1.2e7, 1.2e7, None, "CNY"),
    ("基金规模100亿人民币。", "100亿人民币", 1e10, 1e10, 1e10, None, "CNY"),
    ("海外工厂投资10亿美元。", "10亿美元", 1e9, 1e9, 1e9, None, "USD"),
    ("在港募资2亿港元。", "2亿港元", 2e8, 2e8, 2e8, None, "HKD"),
    ("并购价约5亿欧元。", "约5亿欧元", 5e8, None, None, "约", "EUR"),
    ("二期投资50亿至80亿元。", "50亿至80亿元", None, 5e9, 8e9, "范围", "CNY"),
    ("二期投资50-80亿元。", "50-80亿元", None, 5e9, 8e9, "范围", "CNY"),
    ("单笔授信5000万元至1亿元。", "5000万元至1亿元", None, 5e7, 1e8, "范围", "CNY"),
    ("首轮融资三五亿元。", "三五亿元", None, 3e8, 5e8, "范围", "CNY"),
    ("每人奖励5000元。", "5000元", 5000.0, 5000.0, 5000.0, None, "CNY"),
    ("撬动社会资本上百亿元。", "上百亿元", None, 1e10, 9.9e10, "上", "CNY"),
    ("吸引数十亿元投资。", "数十亿元", None, 2e9, 9.9e9, "数", "CNY"),
    ("产值十几亿元。", "十几亿元", None, 1.1e9, 1.9e9, "几", "CNY"),
    ("融资几百万元。", "几百万元", None, 2e6, 9.9e6, "几", "CNY"),
    ("出资人民币100亿元。", "100亿元", 1e10, 1e10, 1e10, None, "CNY"),
    ("注册资本5000万元人民币。", "5000万元人民币", 5e7, 5e7, 5e7, None, "CNY"),
    ("经济总量3.5万亿元。", "3.5万亿元", 3.5e12, 3.5e12, 3.5e12, None, "CNY"),
    ("共签约项目18个，签约金额50亿元。", "50亿元", 5e9, 5e9, 5e9, None, "CNY"),
    ("双方签约50亿元。", "50亿元", 5e9, 5e9, 5e9, None, "CNY"),
    ("2025年计划投资5亿元。", "5亿元", 5e8, 5e8, 5e8, None, "CNY"),
    ("总投资将近8亿元。", "将近8亿元", 8e8, None, 8e8, "将近", "CNY"),
    ("规模不足1亿元。", "不足1亿元", 1e8, None, 1e8, "不足", "CNY"),
    ("单个项目1亿元以下。", "1亿元以下", 1e8, None, 1e8, "以下", "CNY"),
    ("营收两千余万元。", "两千余万元", 2e7, 2e7, None, "余", "CNY"),
    ("收入1亿多元。", "1亿多元", 1e8, 1e8, None, "多", "CNY"),
    ("投资千万元建设中试线。", "千万元", 1e7, 1e7, 1e7, None, "CNY"),
]


@pytest.mark.parametrize(("sentence", "span", "value", "low", "high", "qualifier", "cur"), CASES)
def test_find_money(sentence, span, value, low, high, qualifier, cur) -> None:
    found = find_money(sentence)
    assert len(found) == 1, found
    start, end, money = found[0]
    assert (start, end) == (sentence.index(span), sentence.index(span) + len(span))
    assert money.text == span == sentence[start:end]
    assert money.value == pytest.approx(value)
    assert money.low == pytest.approx(low)
    assert money.high == pytest.approx(high)
    assert money.qualifier == qualifier
    assert money.currency == cur


def test_several_amounts_with_exact_offsets() -> None:
    text = "项目总投资650亿元，其中一期2000亿元，已到位资金超10亿元。"
    spans = [(s, e, m.text) for s, e, m in find_money(text)]
    assert spans == [(5, 10, "650亿元"), (15, 21, "2000亿元"), (27, 32, "超10亿元")]


@pytest.mark.parametrize(
    "sentence",
    [
        "打造千亿元级产业集群。",
        "建设百亿元级新能源基地。",
        "主攻三元锂电池正极材料。",
        "推动投资主体多元化。",
        "布局元宇宙和元器件产业。",
        "工业电价0.55元/千瓦时。",
        "成本降至3元每瓦。",
        "2025年全市工业增加值增长8%。",
        "联系电话0755-12345678。",
        "亿元GDP能耗持续下降。",
        "一元复始，万象更新。",
    ],
)
def test_no_false_positives(sentence: str) -> None:
    assert find_money(sentence) == []


def test_year_before_a_range_dash_is_not_part_of_the_amount() -> None:
    text = "2024-100亿元"
    [(start, end, money)] = find_money(text)
    assert text[start:end] == "100亿元"
    assert money.value == 1e10


def test_qualifier_inside_a_word_is_dropped() -> None:
    # 约 in 纽约 is a place name, not "about".
    [(start, _, money)] = find_money("纽约10亿美元")
    assert start == 2
    assert money.qualifier is None
    assert money.low == money.high == 1e9


def test_parse_money() -> None:
    assert parse_money("总投资：650亿元") == Money("650亿元", 6.5e10, 6.5e10, 6.5e10, None, "CNY")
    assert parse_money("没有金额") is None


_PIECES = st.sampled_from(
    [
        "亿元",
        "万元",
        "元",
        "美元",
        "超",
        "约",
        "近",
        "数",
        "几",
        "上",
        "余",
        "多",
        "至",
        "-",
        "以上",
        "级",
        "/",
        "1",
        "0",
        "5",
        ".",
        ",",
        "万",
        "亿",
        "十",
        "百",
        "千",
        "两",
        "三",
        "，",
        "签",
        "😀",
        "Ω",
        "ab",
        " ",
        "\n",
        "６",
        "99999999999999999999",
    ]
)


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=80), st.lists(_PIECES, max_size=40).map("".join)))
def test_never_crashes_and_spans_are_sane(text: str) -> None:
    found = find_money(text)
    prev_end = 0
    for start, end, money in found:
        assert 0 <= prev_end <= start < end <= len(text)
        assert money.text == text[start:end]
        for v in (money.value, money.low, money.high):
            assert v is None or (v >= 0 and v != float("inf"))
        if money.low is not None and money.high is not None:
            assert money.low <= money.high
        prev_end = end


# A unit with no numeral but a qualifier reads as one of the unit (written for chainatlas).
@pytest.mark.parametrize(
    ("sentence", "span", "value", "low", "high", "qualifier"),
    [
        ("医疗器械企业获得近亿元Pre-A轮融资。", "近亿元", 1e8, None, 1e8, "近"),
        ("公司完成超亿元A+轮融资。", "超亿元", 1e8, 1e8, None, "超"),
        ("项目总投资逾亿元。", "逾亿元", 1e8, 1e8, None, "逾"),
        ("带动就业，年纳税将近万元。", "将近万元", 1e4, None, 1e4, "将近"),
    ],
)
def test_bare_unit_with_qualifier(sentence, span, value, low, high, qualifier):
    ((start, end, money),) = find_money(sentence)
    assert sentence[start:end] == span
    assert (money.value, money.low, money.high, money.qualifier) == (value, low, high, qualifier)


@pytest.mark.parametrize(
    "sentence", ["今年引进亿元项目12个。", "打造超亿元级产业集群。", "签约3个亿元以上项目。"]
)
def test_bare_unit_without_amount_reading(sentence):
    assert find_money(sentence) == []
