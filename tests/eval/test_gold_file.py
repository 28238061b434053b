"""The gold fact set (eval/facts_gold.jsonl) stays valid, complete enough and documented."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from tests.gold_files import load_fact_checker

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "facts_gold.jsonl"
README = ROOT / "eval" / "README.md"


cg = load_fact_checker()


@pytest.fixture(scope="module")
def records() -> list[dict]:
    errors, rows = cg.check_file(GOLD)
    assert errors == []
    return rows


def test_gold_file_is_valid_and_large_enough(records):
    counts = cg.count_kinds(records)
    assert len(records) >= 30
    assert counts["holds_position"] >= 40
    assert counts["investment_project"] >= 40
    assert counts["financing"] >= 25
    assert counts["indicator"] >= 40
    for kind in ("launch", "milestone", "count", "located_in"):
        assert counts[kind] >= 5, kind


def test_gold_keeps_its_hard_cases(records):
    texts = [r["text"] for r in records]
    facts = [f for r in records for f in r["facts"]]
    assert any("億" in t for t in texts), "a Traditional-character article"
    assert any(re.search("[０-９]", t) for t in texts), "full-width digits"
    assert any(f.get("stage") == "在谈" for f in facts)
    assert any(
        f["kind"] == "financing" and f["amount_cny"] is None and f["amount_text"] for f in facts
    )
    assert any("万元" in (f.get("amount_text") or "") for f in facts)
    assert any("未获证实" in t for t in texts), "a hedged rumour with no facts"
    # Two different people called 李斌 at different organisations.
    li_bin = {f["org"] for f in facts if f["kind"] == "holds_position" and f["person"] == "李斌"}
    assert len(li_bin) == 2


def test_readme_counts_match_the_file(records):
    # Other gold sets document their own count tables in the same README: read only the
    # rows naming a fact kind.
    rows = re.findall(r"^\| `(\w+)` \| (\d+) \|", README.read_text("utf-8"), re.M)
    table = {k: int(v) for k, v in rows if k in cg.ROLES}
    counts = cg.count_kinds(records)
    assert table == {k: counts[k] for k in cg.ROLES}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("约30亿元", 3e9),
        ("五十亿元", 5e9),
        ("二十五亿元", 2.5e9),
        ("３０亿元", 3e9),
        ("8000萬元", 8e7),
        ("約十二億元", 1.2e9),
        ("八千万元", 8e7),
        ("120000万元", 1.2e9),
        ("超过20亿元", 2e9),
        ("近亿元", 1e8),
        ("86.5亿元", 8.65e9),
        ("数千万元", None),
        ("數千萬元", None),
        ("数亿元", None),
    ],
)
def test_parse_amount(text, value):
    parsed = cg.parse_amount(text)
    if value is None:
        assert parsed is None
    else:
        assert parsed == pytest.approx(value)


def _good() -> dict:
    return json.loads(GOLD.read_text("utf-8").splitlines()[0])


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r["facts"][1].update(person="张三"), "does not occur in the text"),
        (lambda r: r["facts"][1].pop("org"), "missing ['org']"),
        (lambda r: r["facts"][0].update(amount_cny=4e8), "reads as"),
        (lambda r: r["facts"][0]["investors"].append("无名资本"), "investor '无名资本'"),
        (lambda r: r["facts"][3].update(stage="动工"), "stage"),
        (lambda r: r["facts"][5].update(metric="收入规模"), "vocabulary"),
        (lambda r: r["facts"][5].update(unit="%"), "needs unit '元'"),
        (lambda r: r["facts"].append({"kind": "rumour"}), "unknown kind"),
        (lambda r: r.update(text=r["text"][:100]), "characters"),
        (lambda r: r.update(text=r["text"].replace("\n\n", "\n")), "blank line"),
        (lambda r: r.update(published="2024/06/18"), "ISO date"),
    ],
)
def test_check_record_rejects_broken_records(mutate, message):
    record = _good()
    assert cg.check_record(record, 1) == []
    broken = copy.deepcopy(record)
    mutate(broken)
    assert any(message in e for e in cg.check_record(broken, 1)), cg.check_record(broken, 1)


def test_main_reports_counts_and_fails_on_a_bad_file(tmp_path, capsys):
    assert cg.main([str(GOLD)]) == 0
    assert "holds_position" in capsys.readouterr().out
    bad = tmp_path / "bad.jsonl"
    record = _good()
    bad.write_text("\n".join([json.dumps(record, ensure_ascii=False)] * 2 + ["{not json"]), "utf-8")
    assert cg.main([str(bad)]) == 1
    err = capsys.readouterr().err
    assert "invalid JSON" in err
    assert "occurs 2 times" in err
