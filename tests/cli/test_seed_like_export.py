"""The foundation issue's acceptance check, on our own seed-structured fixture: ingest it,
export documents, and find title, category, tag, date, a clean body and 8 related links."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chainatlas.cli import app

FIXTURES = Path(__file__).parents[1] / "fixtures"
RELATED = [
    "产业链图谱怎么画：招商部门的三个常用方法",
    "生物医药中试平台为何成为园区招商新抓手",
    "新能源汽车零部件配套园区的选址逻辑",
    "链长制推行以来地方产业链工作有哪些变化",
    "标准厂房承重与层高：制造企业选址前要问清的几件事",
    "专精特新企业扎堆的园区有什么共同点",
    "半导体材料国产化：园区能为企业做些什么",
    "县域经济如何找准自己的产业链位置",
]
STRIPPED = [
    "400 000 0000",
    "13800138000",
    "请说明您的需求",
    "扫一扫",
    "扫描二维码",
    "版权声明",
    "本文链接",
    "分享给朋友",
    "相关文章",
]


@pytest.mark.parametrize("name", ["seed_like.txt", "seed_like.html"])
def test_seed_structured_page_exports_as_expected(tmp_path, name):
    page = tmp_path / name
    page.write_bytes((FIXTURES / name).read_bytes())
    # A saved page's mtime is its fetch time: the fixture assumes 2025-01-20 10:00 (+08:00).
    fetched = datetime.fromisoformat("2025-01-20T10:00:00+08:00").timestamp()
    os.utime(page, (fetched, fetched))
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    assert runner.invoke(app, ["--db", db, "ingest", str(page)]).exit_code == 0
    out = runner.invoke(app, ["--db", db, "export", "documents", "--format", "jsonl"])
    doc = json.loads(out.output.splitlines()[0])
    assert doc["title"].replace(" ", "") == "长三角生物医药链条加速贯通苏州上海合肥协同发力"
    assert doc["category"] == "产业地产资讯"
    assert doc["tags"] == ["产业链"]
    assert doc["published_at"].startswith("2024-09-2")  # 2024-09-21 Shanghai = 09-20T16:00Z
    assert doc["url"] == "http://news.example-park-news.cn/index.php/post/21300.html"
    assert doc["text"].startswith("今年以来，长三角三省一市")
    assert doc["text"].endswith("更多可以比较的方案。")
    for line in STRIPPED:
        assert line not in doc["text"], line
    assert [link["title"] for link in doc["links"]] == RELATED
    assert all(link["teaser"] for link in doc["links"])
