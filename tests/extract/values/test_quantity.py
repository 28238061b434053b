"""Quantities: counts, areas, capacities and percentages with canonical units."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainatlas.extract.values.quantity import find_quantities

# (sentence, span text, value, unit, qualifier)
CASES = [
    ("项目达产后可年产10万辆新能源汽车。", "10万辆", 1e5, "辆", None),
    ("年处理废旧电池5000吨。", "5000吨", 5000, "吨", None),
    ("项目用地200亩。", "200亩", 200, "亩", None),
    ("新建厂房4万平方米。", "4万平方米", 4e4, "平方米", None),
    ("建筑面积4万㎡。", "4万㎡", 4e4, "平方米", None),
    ("集中签约项目95个。", "95个", 95, "个", None),
    ("新增专精特新企业10家。", "10家", 10, "家", None),
    ("园区从业人员4万名。", "4万名", 4e4, "名", None),
    ("带动就业超4万名。", "超4万名", 4e4, "名", "超"),
    ("同比增长21.9%。", "21.9%", 21.9, "%", None),
    ("本地配套率达到百分之二十。", "百分之二十", 20, "%", None),
    ("规划产能40GWh。", "40GWh", 40, "GWh", None),
    ("集聚上下游企业1100家。", "1100家", 1100, "家", None),
    ("月产能2万片/月。", "2万片/月", 2e4, "片/月", None),
    ("引进生产设备500台。", "500台", 500, "台", None),
    ("交付检测系统30套。", "30套", 30, "套", None),
    ("累计服务约3000人次。", "约3000人次", 3000, "人次", "约"),
    ("拥有研发人员近500人。", "近500人", 500, "人", "近"),
    ("吸引百余家企业入驻。", "百余家", 100, "家", "余"),
    ("集聚数十家配套企业。", "数十家", 20, "家", "数"),
    ("带动上百家中小企业。", "上百家", 100, "家", "上"),
    ("预计引进50-80家企业。", "50-80家", 50, "家", "范围"),
    ("占比提高2.5个百分点。", "2.5个百分点", 2.5, "百分点", None),
    ("装机容量30万千瓦。", "30万千瓦", 3e5, "kW", None),
    ("建成5G基站1.2万个。", "1.2万个", 1.2e4, "个", None),
    ("增速为５０％。", "５０％", 50, "%", None),
    ("设计产能10.5万吨/年以上。", "10.5万吨/年以上", 1.05e5, "吨/年", "以上"),
    ("新增两个国家级平台。", "两个", 2, "个", None),
    ("储能规模100 MWh。", "100 MWh", 100, "MWh", None),
    ("占地面积3.2平方公里。", "3.2平方公里", 3.2, "平方公里", None),
    ("逾300项专利。", "逾300项", 300, "项", "逾"),
    ("突破7纳米工艺。", "7纳米", 7, "纳米", None),
]


@pytest.mark.parametrize(("sentence", "span", "value", "unit", "qualifier"), CASES)
def test_find_quantities(sentence, span, value, unit, qualifier) -> None:
    found = find_quantities(sentence)
    assert len(found) == 1, found
    start, end, q = found[0]
    assert (start, end) == (sentence.index(span), sentence.index(span) + len(span))
    assert q.text == span
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert q.qualifier == qualifier


def test_several_with_exact_offsets() -> None:
    text = "园区已入驻企业1100家，从业人员超4万名，产值增长21.9%。"
    got = [(s, e, q.unit) for s, e, q in find_quantities(text)]
    assert got == [(7, 12, "家"), (17, 21, "名"), (26, 31, "%")]


@pytest.mark.parametrize(
    "sentence",
    [
        "这是一个重要项目。",
        "第三家工厂投产。",
        "惠及千家万户。",
        "三部门联合印发通知。",
        "项目总投资50亿元。",
        "2025年建成投产。",
        "万人空巷。",
        "一名工人",
    ],
)
def test_no_false_positives(sentence: str) -> None:
    assert find_quantities(sentence) == []


@settings(max_examples=300)
@given(
    st.one_of(
        st.text(max_size=80),
        st.lists(
            st.sampled_from(
                [
                    "万",
                    "亿",
                    "1",
                    "2.5",
                    "%",
                    "家",
                    "个",
                    "吨",
                    "GWh",
                    "超",
                    "近",
                    "约",
                    "数",
                    "上",
                    "余",
                    "-",
                    "至",
                    "百分之",
                    "二十",
                    "第",
                    "一",
                    "😀",
                    "/月",
                    " ",
                    "９",
                ]
            ),
            max_size=40,
        ).map("".join),
    )
)
def test_never_crashes_and_spans_are_sane(text: str) -> None:
    prev_end = 0
    for start, end, q in find_quantities(text):
        assert 0 <= prev_end <= start < end <= len(text)
        assert q.text == text[start:end]
        assert q.value >= 0 and q.value != float("inf")
        prev_end = end
