from hypothesis import given
from hypothesis import strategies as st

from chainatlas.web.highlight import Span, paragraphs

TEXT = "深圳迈瑞医疗发布新品。\n\n比亚迪总工程师廉玉波表示，研发投入持续增加。"


def test_mentions_become_typed_pieces_within_paragraphs():
    paras = paragraphs(
        TEXT, [Span(2, 6, "company"), Span(13, 16, "company"), Span(21, 24, "person")], {13}
    )
    assert len(paras) == 2
    first = [(p.text, p.type) for p in paras[0]]
    assert first == [("深圳", None), ("迈瑞医疗", "company"), ("发布新品。", None)]
    second = paras[1]
    assert second[0].text == "比亚迪" and second[0].anchor
    assert "".join(p.text for p in second) == TEXT[13:]


def test_overlaps_and_out_of_range_spans_are_dropped():
    paras = paragraphs(TEXT, [Span(2, 6, "company"), Span(4, 8, "industry"), Span(90, 99, "x")])
    assert [p.type for p in paras[0]].count("company") == 1
    assert "industry" not in [p.type for p in paras[0]]


@given(
    st.text(alphabet="深圳迈瑞\n 。a", max_size=60),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8),
)
def test_pieces_reassemble_the_text(text, raw):
    spans = [Span(min(a, b), max(a, b), "company") for a, b in raw]
    paras = paragraphs(text, spans, {a for a, _ in raw})
    for para in paras:
        for piece in para:
            assert text[piece.start : piece.start + len(piece.text)] == piece.text


def test_fact_arguments_display_as_written():
    from chainatlas.web.labels import display_args

    shown = dict(
        display_args(
            {
                "metric": "增加值",
                "value": 6.5e10,
                "value_text": "650亿元",
                "year": 2025.0,
                "target": True,
                "position_arg": "x",
                "org": None,
            }
        )
    )
    assert shown == {"指标": "增加值", "数值": "650亿元", "年份": "2025", "目标值": "是"}
