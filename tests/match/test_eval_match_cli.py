"""`chainatlas eval match FILE` recognises the matcher from the gold file and refuses
files it cannot read with a clear message."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from chainatlas.cli import app
from chainatlas.match.evaluation_cli import _kind

runner = CliRunner()


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ({"id": "T1", "need": "量子计算", "expected": []}, "tech"),
        ({"id": "S1", "need_type": "factory", "expected": []}, "site"),
        ({"id": "I1", "region": "深圳", "chain": "nev", "expected": []}, "invest"),
    ],
)
def test_kind_from_the_first_line(line, kind):
    assert _kind(line) == kind


def test_unrecognised_or_broken_files_are_usage_errors(tmp_path):
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    odd = tmp_path / "odd.jsonl"
    odd.write_text('{"id": "x", "foo": 1}\n', encoding="utf-8")
    result = runner.invoke(app, ["--db", db, "eval", "match", str(odd)])
    assert result.exit_code == 2 and "unrecognised gold file" in result.output
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    result = runner.invoke(app, ["--db", db, "eval", "match", str(broken)])
    assert result.exit_code == 2 and "not JSON" in result.output


def test_json_output_for_scripts(demo_store, tmp_path):
    import json
    from pathlib import Path

    gold = tmp_path / "tech.jsonl"
    source = Path(__file__).resolve().parents[2] / "eval" / "match_tech_gold.jsonl"
    lines = source.read_text(encoding="utf-8").splitlines()[:4]
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["--db", demo_store.url, "eval", "match", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["kind"] == "tech" and report["file"] == "tech.jsonl"
    assert report["all"]["n"] == 4 and 0.0 <= report["all"]["recall_at_5"] <= 1.0
