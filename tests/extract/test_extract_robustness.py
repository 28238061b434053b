"""Property test: extraction never crashes and keeps every offset honest."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from chainatlas.extract.core import extract_document, load_resources
from chainatlas.extract.records import Arg

_PIECES = [
    "", "😀🚀", "ABC公司", "董事长张三", "總投資約十二億元", "ｆｕｌｌ－ｗｉｄｔｈ１２３",
    "锟斤拷烫烫烫", "深圳柏垠生物完成数千万元天使轮融资，", "到2025年，产值达到650亿元。",
    "\n\n", "（", "》", "项目", "。", "签约", "有限公司",
]  # fmt: skip


def _check(text: str) -> None:
    ms, facts = extract_document(text, published=date(2024, 1, 1), resources=load_resources())
    n = len(text)
    for m in ms:
        assert 0 <= m.start < m.end <= n and m.text == text[m.start : m.end]
    for f in facts:
        assert 0 <= f.sentence_start < f.sentence_end <= n
        assert f.sentence == text[f.sentence_start : f.sentence_end]
        for v in f.args.values():
            for a in v if isinstance(v, list) else [v]:
                if isinstance(a, Arg):
                    assert f.sentence_start <= a.start <= a.end <= f.sentence_end


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=20)), max_size=12))
def test_never_crashes_and_offsets_in_bounds(parts: list[str]) -> None:
    _check("".join(parts))


def test_empty_and_very_long_text():
    assert extract_document("", resources=load_resources()) == ([], [])
    _check("江东精密仪器有限公司董事长张立衡说，项目总投资30亿元。" * 400)
