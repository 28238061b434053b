"""招商 matcher: pure ranking on hand-made records, and end to end on the demo corpus."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from chainatlas.chains.diagnose import Diagnosis, Placement, SegmentDiagnosis
from chainatlas.jobs.invest import EMPTY_STORE_MESSAGE, invest_region
from chainatlas.match.evaluate_invest import name_match, score_ranking
from chainatlas.match.invest import Candidate, EvidenceSentence, Signal, match_invest
from chainatlas.store.db import Store

CHAIN = "medical-devices"


def _seg(seg_id: str, verdict: str, declared: bool = False) -> SegmentDiagnosis:
    return SegmentDiagnosis(seg_id, seg_id, "midstream", "中游", verdict=verdict, declared=declared)


def _diagnosis() -> Diagnosis:
    segs = [_seg("imaging", "missing", declared=True), _seg("ivd", "weak"), _seg("life", "strong")]
    return Diagnosis("440300", CHAIN, "高端医疗器械", None, segs, [], {}, [], {}, "深圳市")


def _cand(name, seg, conf=0.8, regions=("310000",), **kw) -> Candidate:
    return Candidate(
        id=name,
        name=name,
        regions=frozenset(regions),
        placements=(Placement(CHAIN, seg, conf, f"{seg} 证据"),),
        sentences=(EvidenceSentence(f"{name}的报道。", "doc1"),),
        **kw,
    )


def test_only_outside_candidates_on_weak_or_missing_segments():
    cands = [
        _cand("区外影像", "imaging"),
        _cand("本地影像", "imaging", regions=("440000", "440300")),
        _cand("强环节企业", "life"),
        _cand("区外诊断", "ivd"),
    ]
    names = [m.name for m in match_invest(_diagnosis(), cands)]
    assert names == ["区外影像", "区外诊断"]  # declared missing segment outranks weak


def test_expansion_and_scale_raise_rank_and_parts_explain_it():
    quiet = _cand("甲", "imaging")
    busy = _cand(
        "乙",
        "imaging",
        signals=(Signal("financing", "A轮 2亿元", "乙完成A轮融资。", "doc2", 2e8),),
    )
    top = match_invest(_diagnosis(), [quiet, busy])
    assert [m.name for m in top] == ["乙", "甲"]
    assert top[0].parts["expansion"] > 0 and top[1].parts["expansion"] == 0
    assert top[0].parts["scale"] > top[1].parts["scale"]
    assert {"sentence": "乙完成A轮融资。", "document_id": "doc2"} in top[0].evidence


def test_growth_of_a_weakly_placed_firm_does_not_outrank_a_firm_that_fits():
    # A start-up placed on the gap by one weak word raises money: the raise is news, but a
    # 招商 list for the segment should still lead with the firm that makes its products.
    maker = _cand("影像整机厂", "imaging", conf=0.55)
    startup = _cand(
        "视觉初创",
        "imaging",
        conf=0.4,
        signals=(Signal("financing", "Pre-A轮", "视觉初创完成Pre-A轮融资。", "doc3", None),),
    )
    top = match_invest(_diagnosis(), [startup, maker])
    assert [m.name for m in top] == ["影像整机厂", "视觉初创"]
    # The same raise counts in full for a firm that fits the gap as well as the maker.
    strong = _cand(
        "影像新锐",
        "imaging",
        conf=0.9,
        signals=(Signal("financing", "Pre-A轮", "影像新锐完成Pre-A轮融资。", "doc4", None),),
    )
    assert match_invest(_diagnosis(), [maker, strong])[0].name == "影像新锐"


def test_segment_option_narrows_and_unknown_segment_raises():
    cands = [_cand("影像", "imaging"), _cand("诊断", "ivd"), _cand("生命", "life")]
    assert [m.name for m in match_invest(_diagnosis(), cands, segment="life")] == ["生命"]
    with pytest.raises(KeyError):
        match_invest(_diagnosis(), cands, segment="不存在")


def test_scoring_metrics():
    assert name_match("中芯国际(688981)", "中芯国际")
    assert name_match("万东医疗", "北京万东医疗科技股份有限公司")
    s = score_ranking(["x", "甲", "乙"], ["甲", "乙"])
    assert s["mrr"] == 0.5 and s["recall@5"] == 1.0 and 0 < s["ndcg@10"] < 1


# --------------------------------------------------------------------------- demo store


def test_shenzhen_devices_matches_fill_gaps_with_evidence(demo_store):
    result = invest_region(demo_store, "深圳", "高端医疗器械", top=10)
    d = result.diagnosis
    gaps = {s.segment_id for s in d.segments if s.verdict in ("weak", "missing")}
    assert result.matches and gaps
    names = [m.name for m in result.matches]
    assert any("联影" in n for n in names[:3])
    for m in result.matches:
        assert {s["segment_id"] for s in m.segments} <= gaps
        assert m.evidence and all(e["sentence"] and e["document_id"] for e in m.evidence)
        assert "深圳" not in m.region_name
        assert "迈瑞" not in m.name


def test_empty_store_gives_no_matches_and_says_why(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    result = invest_region(store, "深圳", "高端医疗器械")
    assert result.matches == [] and result.message == EMPTY_STORE_MESSAGE
    store.close()


def test_cli_invest_json(demo_store, monkeypatch):
    from chainatlas import cli
    from chainatlas.cli_invest import invest_cmd

    app = typer.Typer()
    app.command("invest")(invest_cmd)
    app.command("noop")(lambda: None)  # keep `invest` a named sub-command
    monkeypatch.setattr(cli, "open_store", lambda: demo_store)
    monkeypatch.setattr(demo_store, "close", lambda: None)
    runner = CliRunner(env={"COLUMNS": "200"})
    res = runner.invoke(app, ["invest", "深圳", "--chain", "高端医疗器械", "--top", "3", "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.output)
    assert len(payload["matches"]) == 3 and payload["region_code"] == "440300"
    res = runner.invoke(app, ["invest", "深圳", "--chain", "高端医疗器械", "--segment", "ivd"])
    assert res.exit_code == 0, res.output
    assert "精准招商" in res.output
