"""Region diagnosis end to end on the demo corpus: ingest → extract → resolve → diagnose."""

from __future__ import annotations

import json
from datetime import date

import pytest
import typer
from typer.testing import CliRunner

from chainatlas.chains.templates import load_chains
from chainatlas.jobs.diagnose import (
    RegionNotFound,
    compare,
    diagnose_region,
    overview,
    resolve_region,
)


@pytest.fixture(scope="module")
def catalog():
    return load_chains()


@pytest.fixture(scope="module")
def shenzhen(demo_store, catalog):
    return diagnose_region(demo_store, "深圳", "高端医疗器械", catalog=catalog)


def test_region_names_and_codes_resolve():
    assert resolve_region("深圳").code == "440300"
    assert resolve_region("广州市黄埔区").code == "440112"
    assert resolve_region("440112").full_name == "广东省广州市黄埔区"
    with pytest.raises(RegionNotFound):
        resolve_region("不存在的地方")


def test_mindray_sits_on_life_support_in_shenzhen(shenzhen):
    assert shenzhen.region_code == "440300"
    seg = shenzhen.segment("life-support")
    assert seg.name == "生命信息与支持设备"
    mindray = [e for e in seg.enterprises if "迈瑞" in e["name"]]
    assert mindray and mindray[0]["listed"] and mindray[0]["stock_code"] == "300760"
    assert seg.verdict in ("present", "strong")
    assert seg.lq_store is not None and seg.lq_store > 1


def test_shenzhen_targets_are_declared_and_gaps_listed(shenzhen):
    targets = {(d.metric, d.value, d.year) for d in shenzhen.declared if d.kind == "target"}
    assert ("增加值", 65_000_000_000.0, 2025) in targets
    assert ("营业收入", 200_000_000_000.0, 2025) in targets
    labels = [d.label for d in shenzhen.declared]
    assert "增加值 650亿元（2025年）" in labels
    missing = shenzhen.by_verdict()["missing"]
    assert len(missing) >= 3
    assert "ivd" in shenzhen.declared_without_evidence
    assert "life-support" not in shenzhen.declared_without_evidence
    # The baseline says Shenzhen has listed IVD companies: shown, not counted as evidence.
    assert shenzhen.segment("ivd").national_listed > 0


def test_huangpu_declared_structure(demo_store, catalog):
    o = overview(demo_store, "广州市黄埔区", catalog=catalog)
    assert o["region_code"] == "440112"
    roles = [g["role"] for g in o["structure"]]
    assert roles[0] == "主导产业链群"
    assert "新兴产业和未来产业" in roles
    assert any("服务业" in r for r in roles)
    body = o["structure"][0]
    assert body["metaphor"] == "躯干"
    terms = {t["term"]: t["chain_id"] for t in body["terms"]}
    assert terms["新一代信息技术"] == "electronic-info"
    assert terms["汽车制造"] == "automotive"
    declared = [c["chain_id"] for c in o["chains"] if c["declared"]]
    assert "electronic-info" in declared and "automotive" in declared


def test_since_and_compare(demo_store, catalog):
    later = diagnose_region(
        demo_store, "合肥", "新能源汽车", since=date(2100, 1, 1), catalog=catalog
    )
    assert later.observed["projects"] == 0
    everything = diagnose_region(demo_store, "合肥", "新能源汽车", catalog=catalog)
    assert everything.observed["projects"] >= 1
    a, b = compare(demo_store, "深圳", "合肥", "新能源汽车", catalog=catalog)
    assert (a.region_code, b.region_code) == ("440300", "340100")
    assert [s.segment_id for s in a.segments] == [s.segment_id for s in b.segments]


def test_cli_commands(demo_store, monkeypatch):
    from chainatlas import cli
    from chainatlas.cli_chains import chains_app, compare_cmd, diagnose_cmd

    app = typer.Typer()
    app.add_typer(chains_app, name="chains")
    app.command("diagnose")(diagnose_cmd)
    app.command("compare")(compare_cmd)
    monkeypatch.setattr(cli.state, "db_url", str(demo_store.engine.url), raising=False)
    runner = CliRunner(env={"COLUMNS": "200"})  # no wrapping inside table cells

    res = runner.invoke(app, ["diagnose", "深圳", "--chain", "高端医疗器械", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["chain_id"] == "medical-devices"
    assert "life-support" in data["by_verdict"]["present"] + data["by_verdict"]["strong"]

    res = runner.invoke(app, ["diagnose", "广州市黄埔区"])
    assert res.exit_code == 0, res.output
    assert "主导产业链群" in res.output and "躯干" in res.output

    res = runner.invoke(app, ["compare", "深圳", "合肥", "--chain", "nev"])
    assert res.exit_code == 0, res.output
    assert "动力电池" in res.output

    res = runner.invoke(app, ["chains", "show", "高端医疗器械"])
    assert res.exit_code == 0 and "生命信息与支持设备" in res.output
    res = runner.invoke(app, ["diagnose", "深圳", "--chain", "不存在"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["diagnose", "火星", "--chain", "nev"])
    assert res.exit_code == 2
