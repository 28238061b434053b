"""`chainatlas ingest` end to end: good pages land, each bad input gets one clear line,
the batch goes on, and nothing partial is written."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chainatlas.bench.pages import make_page
from chainatlas.cli import app

runner = CliRunner()

GOOD = """<!doctype html><html><head><meta charset="utf-8"><title>{title}_园区招商示例网</title></head>
<body><div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/c/1">产业资讯</a> &gt; 正文</div>
<h1>{title}</h1><div class="info">作者：admin　发布时间：2024-10-12 09:30</div>
<div class="content"><p>{body}</p><p>{body2}</p></div>
<div class="qr">扫一扫关注公众号</div><div class="copy">版权声明：本文由园区招商示例网发布，转载请注明出处。</div>
</body></html>"""


def good_page(
    title: str,
    body: str,
    body2: str = "项目建成后将带动上下游配套企业集聚，形成较为完整的产业链条。",
) -> str:
    return GOOD.format(title=title, body=body, body2=body2)


def invoke(db: Path, *args: str, input: bytes | None = None):
    return runner.invoke(app, ["--db", f"sqlite:///{db}", *args], input=input)


def doc_count(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "store.sqlite"


def test_ingest_directory_then_reingest_adds_nothing(tmp_path, db):
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    (pages / "a.html").write_text(
        good_page(
            "合肥新能源汽车项目签约",
            "合肥经开区与一家整车企业签约，总投资约120亿元建设新能源汽车生产基地。",
        ),
        encoding="utf-8",
    )
    (pages / "sub" / "b.html").write_text(
        good_page(
            "苏州生物医药产业园新添企业",
            "苏州工业园区生物医药产业园近日迎来一家抗体药物企业入驻，计划明年投产。",
        ),
        encoding="utf-8",
    )
    first = invoke(db, "ingest", str(pages))
    assert first.exit_code == 0, first.output
    assert "新增" in first.output
    assert doc_count(db) == 2
    second = invoke(db, "ingest", str(pages))
    assert second.exit_code == 0
    assert doc_count(db) == 2


def test_each_bad_input_gets_one_clear_line_and_the_batch_continues(tmp_path, db):
    d = tmp_path / "mixed"
    d.mkdir()
    (d / "01_good.html").write_text(
        good_page(
            "武汉光谷激光产业项目开工", "武汉东湖高新区一家激光设备企业新基地开工，总投资约15亿元。"
        ),
        encoding="utf-8",
    )
    (d / "02_empty.html").write_bytes(b"")
    (d / "03_blank.txt").write_text("   \n\n  ", encoding="utf-8")
    (d / "04_binary.html").write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    (d / "05_truncated.html").write_text(
        good_page("截断", "这一页在传输中被截断了，后面的内容没有到达。")[:-60], encoding="utf-8"
    )
    (d / "06_nobody.html").write_text(
        "<html><head><title>空页面</title></head><body><div></div></body></html>", encoding="utf-8"
    )
    (d / "07_malformed.html").write_text(
        "<html><body><div><p>西安高新区一家半导体企业宣布扩产，新增晶圆产能每月两万片，项目计划年内竣工投产。<p><b>未闭合<div><span>而且标签混乱，但正文仍可读取，应当正常入库。</body></html>",
        encoding="utf-8",
    )
    (d / "08_gbk_no_charset.html").write_bytes(
        good_page(
            "成都人工智能产业园揭牌",
            "成都高新区人工智能产业园揭牌，首批入驻企业二十余家，涵盖算法、芯片与应用。",
        )
        .replace('<meta charset="utf-8">', "")
        .encode("gbk")
    )
    (d / "09_wrong_charset.html").write_bytes(
        good_page(
            "宁波新材料项目投产", "宁波一家新材料企业的高性能纤维项目投产，年产能五千吨。"
        ).encode("gb18030")
    )
    (d / "10_too_big.html").write_bytes(
        b"<html><body><p>" + "大".encode() * (7 * 1024 * 1024) + b"</p></body></html>"
    )
    result = invoke(db, "ingest", str(d), str(tmp_path / "does-not-exist.html"))
    assert result.exit_code == 1, result.output  # partial failure is reported in the exit code
    out = result.output
    expected_failures = {
        "02_empty.html": "empty",
        "03_blank.txt": "empty",
        "04_binary.html": "binary",
        "05_truncated.html": "truncated",
        "06_nobody.html": "no article text",
        "10_too_big.html": "MB",
        "does-not-exist.html": "",
    }
    lines = [line for line in out.splitlines() if "✗" in line]
    for name, phrase in expected_failures.items():
        matching = [line for line in lines if name in line]
        assert len(matching) == 1, (name, out)
        assert phrase.lower() in matching[0].lower(), matching[0]
    assert len(lines) == len(expected_failures)
    with sqlite3.connect(db) as con:
        titles = {row[0] for row in con.execute("SELECT title FROM documents")}
        texts = " ".join(row[0] for row in con.execute("SELECT text FROM documents"))
    assert {"武汉光谷激光产业项目开工", "成都人工智能产业园揭牌", "宁波新材料项目投产"} <= titles
    assert len(titles) == 4  # the three above and the malformed page
    assert "而且标签混乱" in texts  # malformed HTML still yields its text
    assert "首批入驻企业二十余家" in texts  # GBK without a declared charset decoded
    assert "年产能五千吨" in texts  # wrongly declared charset overruled


def test_export_documents_jsonl_and_csv(tmp_path, db):
    page = tmp_path / "p.html"
    page.write_text(
        good_page(
            "惠州石化产业链再延伸", "惠州大亚湾石化区一家企业的乙烯下游项目签约，总投资约80亿元。"
        ),
        encoding="utf-8",
    )
    assert invoke(db, "ingest", str(page)).exit_code == 0
    out = tmp_path / "docs.jsonl"
    assert invoke(db, "export", "documents", "--format", "jsonl", "-o", str(out)).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 1
    rec = records[0]
    for key in (
        "id",
        "url",
        "site",
        "title",
        "published_at",
        "category",
        "tags",
        "author",
        "text",
        "links",
        "dup_of",
    ):
        assert key in rec
    assert rec["title"] == "惠州石化产业链再延伸"
    assert rec["published_at"].startswith("2024-10-12T")
    assert rec["category"] == "产业资讯"
    assert "扫一扫" not in rec["text"] and "版权声明" not in rec["text"]
    csv_out = invoke(db, "export", "documents", "--format", "csv")
    assert csv_out.exit_code == 0
    assert csv_out.output.splitlines()[0].startswith("id,url,site,title,published_at")
    bad = invoke(db, "export", "documents", "--format", "xml")
    assert bad.exit_code == 2 and "xml" in bad.output


def test_stdin_page(db):
    data = good_page(
        "东莞智能装备项目竣工",
        "东莞松山湖一家机器人企业新厂房竣工，将形成年产五千台工业机器人的能力。",
    ).encode()
    result = invoke(db, "ingest", "-", input=data)
    assert result.exit_code == 0, result.output
    assert doc_count(db) == 1


def test_unopenable_store_is_a_clear_error(tmp_path):
    (tmp_path / "dir.sqlite").mkdir()
    result = runner.invoke(
        app, ["--db", f"sqlite:///{tmp_path / 'dir.sqlite'}", "search", "比亚迪"]
    )
    assert result.exit_code == 4
    assert "无法打开数据库" in result.output


@pytest.mark.slow
def test_killing_ingest_midway_then_rerunning_leaves_whole_documents_only(tmp_path, db):
    import random

    pages = tmp_path / "many"
    pages.mkdir()
    rng = random.Random(7)
    n = 120
    for i in range(n):
        (pages / f"{i:04d}.html").write_text(make_page(i, rng, 20), encoding="utf-8")
    cmd = [
        sys.executable,
        "-m",
        "chainatlas.cli",
        "--db",
        f"sqlite:///{db}",
        "ingest",
        "-q",
        str(pages),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if db.exists():
            try:
                if doc_count(db) >= 15:
                    break
            except sqlite3.OperationalError:
                pass  # schema not created yet
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = doc_count(db)
    assert 0 < partial < n, "the kill must land mid-run for this test to mean anything"
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == n
        assert con.execute("SELECT count(DISTINCT content_hash) FROM documents").fetchone()[0] == n
        # every document is whole: a source row, a signature and a full-text row
        assert (
            con.execute(
                "SELECT count(*) FROM documents d WHERE NOT EXISTS "
                "(SELECT 1 FROM document_sources s WHERE s.document_id = d.id)"
            ).fetchone()[0]
            == 0
        )
        assert con.execute("SELECT count(*) FROM document_minhash").fetchone()[0] == n
        assert con.execute("SELECT count(*) FROM document_sources").fetchone()[0] == n
        con.execute("INSERT INTO documents_fts(documents_fts) VALUES('integrity-check')")
        assert (
            con.execute(
                "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH '产业链'"
            ).fetchone()[0]
            > 0
        )


def test_runs_shows_stored_reports_with_failures(tmp_path, db):
    (tmp_path / "ok.html").write_text(
        good_page(
            "佛山智能家电产业链补链", "佛山顺德一家家电企业引进压缩机配套项目，总投资约12亿元。"
        ),
        encoding="utf-8",
    )
    (tmp_path / "empty.html").write_bytes(b"")
    invoke(db, "ingest", str(tmp_path / "ok.html"), str(tmp_path / "empty.html"))
    result = invoke(db, "runs", "--failed")
    assert result.exit_code == 0, result.output
    assert "#1" in result.output
    assert "empty.html" in result.output and "empty" in result.output.lower()
