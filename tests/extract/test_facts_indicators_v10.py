"""indicator rules of `extract.core.v10` (docs/fact-extraction-notes.md, unseen set 3).
Sentences written for these tests; places and figures are invented."""

from __future__ import annotations

from tests.extract._facts_helpers import of_kind, run


def _indicators(text: str) -> set[tuple[str, str, float]]:
    return {(f["subject"], f["metric"], f["value"]) for f in of_kind(run(text), "indicator")}


def test_growth_after_a_price_basis_clause():
    text = "前三季度全市实现地区生产总值3120亿元，按可比价格计算，同比增长5.4%。"
    got = _indicators(text)
    assert ("全市", "地区生产总值增速", 5.4) in got


def test_growth_after_another_clause_is_not_taken():
    # Near miss: a clause that is not a price basis still ends the figure.
    text = "前三季度全市实现地区生产总值3120亿元，工业投资同比增长5.4%。"
    assert not any(m == "地区生产总值增速" for _s, m, _v in _indicators(text))


def test_figures_without_a_subject_belong_to_the_place_the_text_opened_with():
    text = "苏州澜湖高新区近日发布2025年经济运行情况。全年实现地区生产总值1560亿元，同比增长6.8%。"
    got = _indicators(text)
    assert ("苏州澜湖高新区", "地区生产总值", 156_000_000_000) in got
    assert ("苏州澜湖高新区", "地区生产总值增速", 6.8) in got


def test_previous_sentence_not_opened_by_a_place_gives_no_subject():
    # Near miss: the sentence before opens with a person, not a place.
    text = "记者近日走访苏州澜湖高新区。全年实现地区生产总值1560亿元。"
    assert not any(s == "苏州澜湖高新区" for s, _m, _v in _indicators(text))
