"""Whatever bytes arrive, `prepare` returns a document or raises RejectedInput with a
message — never another exception that would end a batch."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainatlas.ingest.pipeline import PreparedDocument, RejectedInput, prepare
from chainatlas.ingest.records import RawItem, SourceKind

NOW = datetime(2025, 1, 20, 2, 0, tzinfo=UTC)
CHINESE = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=0, max_size=80
)
TAGS = st.sampled_from(
    [
        "<html>",
        "<body>",
        "<p>",
        "</p>",
        "<div class='content'>",
        "</div>",
        "<h1>",
        "</h1>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<meta charset='gbk'>",
        "标签：",
        "当前位置：首页 > ",
        "相关文章",
        "扫一扫",
        "\n",
        "<br>",
        "&nbsp;",
        "&#x4e2d;",
        "<",
        ">",
    ]
)


def check(data: bytes) -> None:
    item = RawItem("fuzz", SourceKind.FILE, data, NOW)
    try:
        doc = prepare(item)
    except RejectedInput as exc:
        assert str(exc)  # a message the user can read
        return
    assert isinstance(doc, PreparedDocument)
    assert len(doc.norm_text) == len(doc.text)
    assert doc.text.strip()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(data):
    check(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(TAGS, CHINESE), max_size=60), st.sampled_from(["utf-8", "gb18030", "utf-16"])
)
def test_html_like_soup_in_several_encodings(parts, encoding):
    check("".join(parts).encode(encoding, errors="replace"))
