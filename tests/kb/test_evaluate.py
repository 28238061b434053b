"""Pairwise resolution scoring: corpus built from the pair contexts, real resolver,
precision / recall per type and per why-label."""

from __future__ import annotations

import json
from pathlib import Path

from chainatlas.kb.evaluate import (
    Score,
    evaluate_pairs,
    evaluate_resolution,
    read_pairs,
    why_labels,
)

GOLD = Path(__file__).resolve().parents[2] / "eval" / "resolution_gold.jsonl"


def _pair(pid, a, b, same, why, ta="company", tb="company", src_a="d1", src_b="d2"):
    def m(text, etype, src):
        return {"source": src, "text": text, "type": etype, "context": f"{text}今天发布了新产品。"}

    return json.dumps({"id": pid, "a": m(a, ta, src_a), "b": m(b, tb, src_b), "same": same,
                       "why": why}, ensure_ascii=False)  # fmt: skip


def _no_extractor(doc_id, text):
    return [], []  # every gold mention enters bare, with its gold type


def test_score_arithmetic():
    s = Score()
    for gold, pred in [(True, True), (True, False), (False, True), (False, False)]:
        s.add(gold, pred)
    assert (s.precision, s.recall) == (0.5, 0.5)
    assert why_labels("alias + stock code: detail") == ["alias", "stock code"]


def test_pairs_scored_with_the_resolver(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join([
        _pair("p1", "苏州澄镜医疗科技有限公司", "苏州澄镜医疗科技有限公司", True, "same name, other document"),
        _pair("p2", "苏州澄镜医疗科技有限公司", "澄镜医疗", True, "alias + legal form", src_b="d1"),
        _pair("p3", "苏州澄镜医疗科技有限公司", "合肥擎远动力科技有限公司", False, "different entity"),
    ]), encoding="utf-8")  # fmt: skip
    report = evaluate_pairs(read_pairs(path), extractor=_no_extractor)
    assert report.overall.pairs == 3 and report.not_extracted == 4
    assert report.by_why["same name, other document"].tp == 1
    assert report.by_why["different entity"].tn == 1
    assert report.overall.fp == 0


def test_gold_file_runs_end_to_end():
    report = evaluate_resolution(GOLD, gold_spans=True)
    d = report.as_dict()
    assert d["overall"]["pairs"] == 433
    assert set(d["by_type"]) >= {"company", "park", "person", "mixed"}
    # Scores are reported, not tuned here; the floor only catches a broken harness.
    assert d["overall"]["precision"] > 0.8 and d["overall"]["recall"] > 0.4
