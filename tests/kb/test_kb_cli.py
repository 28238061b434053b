"""Knowledge-base commands through the main `chainatlas` app (resolve, entity, curate)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from chainatlas import cli
from tests.kb.test_kb_store import filled  # noqa: F401  (fixture)

runner = CliRunner()


@pytest.fixture
def kb_cli(filled):  # noqa: F811
    def invoke(*args):
        result = runner.invoke(cli.app, ["--db", filled.url, *args])
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_resolve_show_curate_and_log(kb_cli):
    assert "消歧完成" in kb_cli("resolve")
    profile = json.loads(kb_cli("entity", "show", "300760", "--json"))
    assert profile["name"] == "深圳迈瑞生物医疗电子股份有限公司"
    text = kb_cli("entity", "show", "迈瑞")
    assert "来源文章" in text and "光明" in text
    kb_cli("curate", "rename", "迈瑞", "迈瑞医疗", "--author", "分析员甲", "--reason", "用简称")
    kb_cli("curate", "alias-add", "迈瑞医疗", "Mindray", "-a", "分析员甲")
    fact_id = str(profile["facts"]["investment_project"][0]["fact_id"])
    kb_cli("curate", "reject-fact", fact_id, "-a", "分析员乙", "-r", "金额有误")
    assert json.loads(kb_cli("entity", "show", "Mindray", "--json"))["name"] == "迈瑞医疗"
    log = json.loads(kb_cli("curate", "log", "--json"))
    assert [d["op"] for d in log] == ["rename", "alias-add", "reject-fact"]
    assert all(d["last_status"] == "applied" for d in log)
    assert "分析员乙" in kb_cli("curate", "log")


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_ambiguous_names_and_missing_authors_are_usage_errors(kb_cli, filled):  # noqa: F811
    kb_cli("resolve")
    result = runner.invoke(cli.app, ["--db", filled.url, "entity", "show", "张伟"])
    assert result.exit_code == 2  # two people: pick by id
    result = runner.invoke(
        cli.app, ["--db", filled.url, "curate", "rename", "迈瑞", "X", "--author", " "]
    )
    assert result.exit_code == 2
