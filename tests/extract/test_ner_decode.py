"""Decoding hooks of the entity tagger: raw piece scores, optional per-tag biases, splits."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from chainatlas.extract.ner import load_tagger
from chainatlas.extract.ner.evaluate import selection_indices, split_indices
from chainatlas.extract.ner.spans import bio_to_spans
from chainatlas.extract.ner.tagger import load_decode_bias, viterbi_batch

TAGS = ["O", "B-name", "I-name", "B-address", "I-address"]


def _write_decode(tmp_path, body: dict) -> dict:
    raw = json.dumps(body).encode("utf-8")
    (tmp_path / "decode.json").write_bytes(raw)
    return {"decode": {"file": "decode.json", "sha256": hashlib.sha256(raw).hexdigest()}}


def test_no_decode_entry_means_zero_bias(tmp_path):
    assert load_decode_bias(tmp_path, {}, TAGS).tolist() == [0.0] * len(TAGS)


def test_decode_bias_is_read_by_tag_name(tmp_path):
    meta = _write_decode(tmp_path, {"bias": {"B-address": 0.5, "I-address": -0.25}})
    assert load_decode_bias(tmp_path, meta, TAGS).tolist() == [0.0, 0.0, 0.0, 0.5, -0.25]


def test_edited_decode_file_is_refused(tmp_path):
    # A bias change that does not also change meta.json would not re-version extractions.
    meta = _write_decode(tmp_path, {"bias": {"B-name": 1.0}})
    (tmp_path / "decode.json").write_text('{"bias": {"B-name": 2.0}}', encoding="utf-8")
    with pytest.raises(ValueError, match="digest"):
        load_decode_bias(tmp_path, meta, TAGS)


def test_selection_slice_is_disjoint_from_held_out_and_stable():
    fit, sel = selection_indices(1000)
    train, held = split_indices(1000)
    assert len(sel) == round(len(train) * 0.05)
    assert sorted(fit + sel) == train and not set(sel) & set(held)
    assert selection_indices(1000) == (fit, sel)


def test_piece_emissions_decode_to_the_same_spans_as_tag():
    tagger = load_tagger()
    m = tagger._m
    texts = ["张三在北京市海淀区中关村大街工作。他是阿里巴巴集团的首席技术官！", "国务院办公厅"]
    expected = [[(s.start, s.end, s.type) for s in row] for row in tagger.tag(texts)]
    got = []
    for pieces in tagger.piece_emissions(texts):
        spans = []
        for start, em in pieces:
            path = viterbi_batch(
                (em + m.bias)[None], np.array([len(em)]), m.transitions, m.start, m.end
            )[0]
            spans += [
                (start + a, start + z, t) for a, z, t in bio_to_spans(path.tolist(), m.tag_names)
            ]
        got.append(sorted(spans))
    assert got == expected
    assert any(expected)  # the check must compare real entities, not two empty lists
