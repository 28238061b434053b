"""chainatlas/chains/ngram_guess.py: a segment guess from shared character pieces, and
the classifier's use of it as the last fallback for an entity no word places."""

from __future__ import annotations

from chainatlas.chains import classify
from chainatlas.chains.classify import classify_company, classify_institution
from chainatlas.chains.ngram_guess import fit, guess
from chainatlas.jobs import diagnose as diagnose_job

CAL = ("precision-instruments", "testing-calibration")
SOFT = ("software-it", "enterprise-software")
TERMS = [
    ("仪表校准", CAL),
    ("计量校准", CAL),
    ("校准服务", CAL),
    ("财务软件", SOFT),
    ("记账软件", SOFT),
    ("办公软件", SOFT),
    ("设备", CAL),
    ("设备", SOFT),
]


def test_pieces_shared_by_several_terms_of_a_segment_point_at_it():
    model = fit(TERMS)
    found = guess("承接压力表的校准业务", model)
    assert found[0].key == CAL
    assert "校准" in found[0].pieces
    assert guess("推出订阅式报税软件", model)[0].key == SOFT


def test_a_piece_from_one_term_only_says_nothing():
    # 记账 occurs in one software term: too little to describe the segment.
    assert guess("代理记账", fit(TERMS)) == []


def test_a_piece_common_to_many_segments_says_nothing():
    terms = [(f"设备{i}{j}", (f"c{i}", "s")) for i in range(6) for j in range(3)]
    assert guess("一批设备", fit(terms)) == []


def test_nothing_shared_is_no_guess():
    assert guess("今天天气很好", fit(TERMS)) == []


def test_an_entity_no_word_places_gets_a_weak_piece_guess(catalog):
    name = "某市计量测试研究院"
    text = "新建的压力和流量标准装置通过考核，今后可对外承接仪表校准业务。"
    result = classify_institution(name, [text], catalog)
    assert result.segments, "the fallback should give at least a guess"
    top = result.segments[0]
    assert top.chain_id == "precision-instruments"
    assert top.evidence[0].kind == "ngram"
    assert top.evidence[0].value.startswith("近似「")  # shown to users as a guess
    # Below the diagnosis placement floor: a guess never makes a segment present.
    assert top.confidence < diagnose_job._MIN_CONFIDENCE


def test_the_guess_is_only_a_last_resort(catalog, monkeypatch):
    calls = []
    real = classify._ngram_tallies
    monkeypatch.setattr(classify, "_ngram_tallies", lambda *a: calls.append(a) or real(*a))
    classify_company("甲乙丙公司", texts=["公司生产动力电池。"], catalog=catalog)
    assert calls == []
