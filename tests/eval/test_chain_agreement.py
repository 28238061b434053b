"""scripts/chain_agreement.py: a second labeller scored like the classifier against the
first, per kind; and the shipped second-labeller files cover their sets exactly."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from chainatlas.chains.evaluate import read_gold

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "chain_agreement", ROOT / "scripts" / "chain_agreement.py"
)
chain_agreement = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(chain_agreement)


def _line(id_, kind, gold, top, **extra):
    return json.dumps(
        {
            "id": id_,
            "kind": kind,
            "name": id_,
            "texts": [],
            "gold": [{"chain_id": c, "segment_id": s} for c, s in gold],
            "top_chain": top,
            **extra,
        }
    )


def test_second_labeller_is_scored_like_the_classifier(tmp_path):
    first = tmp_path / "first.jsonl"
    first.write_text(
        "\n".join(
            [
                _line("a", "company", [("c1", "s1"), ("c2", "s2")], "c1"),
                _line("b", "company", [("c1", "s3")], "c1"),
                _line("c", "listed", [("c2", "s2")], "c2"),
            ]
        ),
        encoding="utf-8",
    )
    second = tmp_path / "second.jsonl"
    second.write_text(
        "\n".join(
            json.dumps({"id": i, "gold": [{"chain_id": c, "segment_id": s}], "top_chain": t})
            for i, c, s, t in [
                ("a", "c2", "s2", "c2"),
                ("b", "c1", "s3", "c1"),
                ("c", "c1", "s9", "c1"),
            ]
        ),
        encoding="utf-8",
    )
    result = chain_agreement.agreement(first, second)
    # a: their first segment is acceptable to the first labeller, but another home chain.
    assert result["company"] == {
        "n": 2,
        "segment": 1.0,
        "segment_reverse": 0.5,
        "same_first": 0.5,
        "chain": 0.5,
    }
    assert result["listed"]["segment"] == 0.0
    assert result["all"]["n"] == 3


def test_an_unknown_id_is_an_error(tmp_path):
    first = tmp_path / "first.jsonl"
    first.write_text(_line("a", "company", [("c1", "s1")], "c1"), encoding="utf-8")
    second = tmp_path / "second.jsonl"
    second.write_text(
        json.dumps(
            {"id": "zz", "gold": [{"chain_id": "c1", "segment_id": "s1"}], "top_chain": "c1"}
        ),
        encoding="utf-8",
    )
    with pytest.raises(SystemExit, match="'zz' is not in"):
        chain_agreement.agreement(first, second)


def test_a_malformed_line_is_a_clear_error(tmp_path):
    first = tmp_path / "first.jsonl"
    first.write_text(_line("a", "company", [("c1", "s1")], "c1"), encoding="utf-8")
    second = tmp_path / "second.jsonl"
    second.write_text('{"id": "a", "gold": []}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"second.jsonl:1: not a labelled item"):
        chain_agreement.agreement(first, second)


@pytest.mark.parametrize("number", [7, 8, 9])
def test_shipped_second_labels_cover_their_set(number):
    gold = {item.id for item in read_gold(ROOT / "eval" / f"chain_gold_fresh{number}.jsonl")}
    path = ROOT / "eval" / "agreement" / f"chain_gold_fresh{number}_second.jsonl"
    ids = [
        json.loads(line)["id"]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert sorted(ids) == sorted(gold)
