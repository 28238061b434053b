"""`chainatlas ingest` over HTTP, URL lists and feeds against a local server: errors are one
line each, good pages still land, nothing partial is written."""

from __future__ import annotations

import sqlite3

import pytest
from typer.testing import CliRunner

from chainatlas.cli import app
from tests.cli.test_ingest_cli import good_page

pytestmark = pytest.mark.network
runner = CliRunner()


def count(db) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]


def test_url_list_with_http_errors_and_timeout(http_server, tmp_path, closed_port):
    ok = http_server.page(
        "/ok.html",
        good_page(
            "南京集成电路设计企业完成B轮融资",
            "南京江北新区一家芯片设计企业完成数亿元B轮融资，由多家产业资本联合投资。",
        ).encode("gbk"),
        headers={"Content-Type": "text/html; charset=GBK"},
    )
    missing = http_server.url("/gone.html")
    http_server.page("/boom.html", b"server exploded", status=500)
    slow = http_server.page("/slow.html", good_page("慢", "这一页永远不会及时到达。"), delay=3.0)
    listing = tmp_path / "urls.txt"
    listing.write_text(
        f"# 测试用网址列表\n{ok}\n{missing}\n{http_server.url('/boom.html')}\n{slow}\n"
        f"http://127.0.0.1:{closed_port}/x.html\nftp://example.invalid/a.html\n",
        encoding="utf-8",
    )
    db = tmp_path / "s.sqlite"
    result = runner.invoke(
        app, ["--db", str(db), "ingest", "--urls", str(listing), "--timeout", "1", "--delay", "0"]
    )
    assert result.exit_code == 1, result.output
    failures = [line for line in result.output.splitlines() if "✗" in line]
    assert len(failures) == 5, result.output
    text = "\n".join(failures)
    assert "404" in text and "500" in text
    assert "timed out" in text.lower() or "超时" in text
    assert "ftp" in text
    assert count(db) == 1  # only the good page, decoded from GBK


def test_feed_entries_are_fetched_and_a_broken_feed_is_one_line(http_server, tmp_path):
    a = http_server.page(
        "/a.html",
        good_page(
            "青岛海洋装备项目开工", "青岛西海岸新区一座海洋工程装备基地开工，总投资约40亿元。"
        ),
    )
    b = http_server.page(
        "/b.html",
        good_page(
            "长沙工程机械企业发布新品", "长沙一家工程机械企业发布国内首款纯电动大吨位起重机。"
        ),
    )
    rss = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>示例资讯</title>
    <item><title>青岛海洋装备项目开工</title><link>{a}</link></item>
    <item><title>长沙工程机械企业发布新品</title><link>{b}</link></item></channel></rss>"""
    feed = http_server.page("/feed.xml", rss, headers={"Content-Type": "application/rss+xml"})
    broken = http_server.page("/broken.xml", "<rss><channel><item><title>坏的</title></channel>")
    db = tmp_path / "s.sqlite"
    result = runner.invoke(app, ["--db", str(db), "ingest", "--feed", feed, broken, "--delay", "0"])
    assert result.exit_code == 1, result.output
    failures = [line for line in result.output.splitlines() if "✗" in line]
    assert len(failures) == 1 and "broken.xml" in failures[0]
    assert count(db) == 2
