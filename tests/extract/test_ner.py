"""The shipped entity tagger: loads offline, finds obvious entities, never crashes on odd input."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from chainatlas.extract.ner import PRODUCT_TYPES, Span, load_tagger
from chainatlas.extract.ner.evaluate import score, split_indices
from chainatlas.extract.ner.spans import bio_tag_names, bio_to_spans, spans_to_bio
from chainatlas.extract.ner.tagger import segment, viterbi_batch


@pytest.fixture(scope="module")
def tagger():
    return load_tagger()


def _found(text: str, spans: list[Span]) -> set[tuple[str, str]]:
    return {(text[s.start : s.end], s.type) for s in spans}


def test_tags_typical_news_sentences(tagger):
    texts = [
        "浙江省人民政府副省长王文序出席了签约仪式。",
        "华为技术有限公司董事长梁华表示，公司将继续加大研发投入。",
        "中国科学院院长侯建国在北京市海淀区中关村大街考察。",
    ]
    result = tagger.tag(texts)
    assert len(result) == 3
    found = set().union(*(_found(t, r) for t, r in zip(texts, result, strict=True)))
    expected = {
        ("王文序", "name"),
        ("华为技术有限公司", "company"),
        ("梁华", "name"),
        ("董事长", "position"),
        ("侯建国", "name"),
        ("院长", "position"),
    }
    # A statistical model may miss one; most must be there.
    assert len(expected & found) >= 5, found
    for spans in result:
        for sp in spans:
            assert 0.0 <= sp.score <= 1.0


def test_spans_lie_within_text_and_are_ordered(tagger):
    texts = ["李明是北京大学的教授。", "上海市浦东新区张江高科技园区", "无实体的一句话。"]
    for text, spans in zip(texts, tagger.tag(texts), strict=True):
        for sp in spans:
            assert 0 <= sp.start < sp.end <= len(text)
            assert text[sp.start : sp.end].strip()
        assert [sp.start for sp in spans] == sorted(sp.start for sp in spans)


def test_odd_inputs_do_not_crash(tagger):
    long_text = "国家发展和改革委员会主任郑栅洁在会上讲话，" * 400 + "完"
    texts = ["", "   ", "😀🚀👍", "ＡＢＣ公司和ABC公司", "\n\n", long_text]
    result = tagger.tag(texts)
    assert [len(r) for r in result[:3]] == [0, 0, 0]
    assert result[4] == []
    assert len(result[5]) >= 400  # entities are found all along a long text
    assert all(sp.end <= len(long_text) for sp in result[5])
    assert tagger.tag([]) == []


def test_batching_does_not_change_results(tagger):
    texts = ["张三在阿里巴巴集团担任首席技术官。", "短句。", "国务院办公厅印发了一份通知。"]
    together = tagger.tag(texts)
    alone = [tagger.tag([t])[0] for t in texts]
    assert [[(s.start, s.end, s.type) for s in r] for r in together] == [
        [(s.start, s.end, s.type) for s in r] for r in alone
    ]


def test_segment_covers_text_without_gaps():
    text = "第一句。第二句很长" + "，很长" * 60 + "！结尾"
    pieces = list(segment(text, 50))
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))
    assert all(0 < e - s <= 50 for s, e in pieces)


def test_bio_round_trip():
    names = bio_tag_names(PRODUCT_TYPES)
    index = {t: i for i, t in enumerate(names)}
    spans = [(0, 2, "name"), (3, 7, "company"), (7, 8, "position")]
    assert bio_to_spans(spans_to_bio(9, spans, index), names) == spans


def test_viterbi_respects_lengths_and_transitions():
    em = np.array([[[0.0, 1.0], [0.0, 1.0], [5.0, 0.0]], [[1.0, 0.0], [0.0, 0.0], [0.0, 9.0]]])
    trans = np.array([[0.0, -10.0], [0.0, 0.0]])
    paths = viterbi_batch(em, np.array([3, 1]), trans, np.zeros(2), np.zeros(2))
    assert paths[0].tolist() == [1, 1, 0]
    assert paths[1, 0] == 0  # padding after length 1 must not pull the row to tag 1


def test_score_and_split():
    per, macro, _ = score([[(0, 2, "name")]], [[(0, 2, "name"), (3, 4, "company")]])
    assert per["name"].f1 == 1.0 and per["company"].precision == 0.0
    assert macro == pytest.approx(1 / 6)
    train, held = split_indices(100)
    assert len(held) == 10 and not set(train) & set(held)
    assert split_indices(100) == (train, held)
