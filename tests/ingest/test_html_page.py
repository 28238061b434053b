"""HTML pages: our metadata, trafilatura's body, boilerplate and related lists removed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from chainatlas.ingest.dates import SHANGHAI
from chainatlas.ingest.html_page import parse_html
from chainatlas.ingest.records import ParsedPage

FIXTURES = Path(__file__).parent / "fixtures"
FETCHED = datetime(2026, 1, 10, 4, 0, tzinfo=UTC)
PAGE_URL = "https://park.example.cn/post/4021.html?from=feed"

RELATED_TITLES = [
    "河谷县引进光伏组件项目",
    "东湖开发区发布氢能产业扶持办法",
    "北岭市新材料产业链链长会议召开",
    "南港综合保税区跨境电商产业园开园",
    "西坪镇农产品加工产业链持续延伸",
    "云台高新区集成电路设计企业增至百家",
    "临川市生物医药孵化器通过国家级认定",
    "东岸新区发布低空经济三年行动方案",
]
FURNITURE_MARKERS = (
    "微信",
    "400 0000",
    "扫一扫",
    "二维码",
    "版权",
    "转载",
    "本文链接",
    "标签",
    "分享",
    "ICP",
)


@pytest.fixture(scope="module")
def park_page() -> ParsedPage:
    html = (FIXTURES / "park_article.html").read_text(encoding="utf-8")
    return parse_html(html, url=PAGE_URL, fetched_at=FETCHED)


def test_park_page_metadata(park_page: ParsedPage) -> None:
    assert park_page.title == "江海市打造储能电池全产业链集群"
    assert park_page.site == "示例产业园区网"
    assert park_page.breadcrumb == ["首页", "园区招商动态", "正文内容"]
    assert park_page.category == "园区招商动态"
    # The 标签 line wins over <meta name="keywords">.
    assert park_page.tags == ["储能", "新能源"]
    assert park_page.author == "editor"
    assert park_page.published_raw == "3个月前 (10-08)"
    assert park_page.published_at == datetime(2025, 10, 8, tzinfo=SHANGHAI)
    assert park_page.url == "https://park.example.cn/post/4021.html"
    assert park_page.warnings == []


def test_park_page_related_links_are_links_not_text(park_page: ParsedPage) -> None:
    assert [link.title for link in park_page.links] == RELATED_TITLES
    assert park_page.links[0].url == "https://park.example.cn/post/5000.html"
    assert all(link.teaser and link.teaser.endswith("...") for link in park_page.links)
    for link in park_page.links:
        assert link.title not in park_page.text
        assert link.teaser not in park_page.text


def test_park_page_body_is_clean(park_page: ParsedPage) -> None:
    paragraphs = park_page.text.split("\n\n")
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("江海市近日召开储能产业推进会")
    assert paragraphs[3].startswith("市里还设立了")  # ideographic indent trimmed
    assert paragraphs[-1].endswith("协调用地、用能和人才保障。")
    for marker in FURNITURE_MARKERS:
        assert marker not in park_page.text, marker
    assert "产业招商/厂房土地租售:400 0000 000" in park_page.boilerplate
    assert "相关文章" in park_page.boilerplate


def test_head_metadata_iso_date_og_fields_and_title_suffix() -> None:
    html = """<html><head>
    <title>园区新签约五个项目 - 江北开发区门户</title>
    <meta property="og:site_name" content="江北开发区">
    <meta property="og:url" content="/news/88.html">
    <meta property="article:published_time" content="2025-06-03T09:15:00+08:00">
    <meta name="author" content="园区办">
    <meta name="keywords" content="签约, 开发区，项目">
    </head><body><div class="content">
    <p>江北开发区本周与五家企业签约，涉及新材料和智能装备两个方向，合计投资约二十亿元。</p>
    <p>开发区表示，签约项目将在年内完成供地，明年上半年开工建设。</p>
    </div></body></html>"""
    page = parse_html(html, url="https://kfq.example.cn/news/88.html?x=1", fetched_at=FETCHED)
    assert page.title == "园区新签约五个项目"
    assert page.site == "江北开发区"
    assert page.url == "https://kfq.example.cn/news/88.html"
    assert page.published_at == datetime(2025, 6, 3, 9, 15, tzinfo=SHANGHAI)
    assert page.published_raw == "2025-06-03T09:15:00+08:00"
    assert page.author == "园区办"
    assert page.tags == ["签约", "开发区", "项目"]  # keywords only because no 标签 line
    assert page.text.startswith("江北开发区本周与五家企业签约")


def test_labelled_author_and_related_reading_list_with_relative_urls() -> None:
    html = """<html><head><title>某县推进农机产业链|县融媒体中心</title></head><body>
    <h1>某县推进农机产业链建设</h1>
    <div class="meta">来源：县融媒体中心 作者：赵六 发布时间：2025-12-01 08:30</div>
    <div class="article">
    <p>该县把农机装备列为重点产业链，由县长担任链长，梳理出上游零部件企业十二家。</p>
    <p>县里计划用三年时间引进整机企业两家，带动本地配套率提高到六成。</p>
    <p>责任编辑：钱七</p>
    </div>
    <div class="box"><h3>相关阅读</h3><ul>
      <li><a href="/a/1.html">农机补贴政策调整</a></li>
      <li><a href="https://other.example.org/b/2">整机企业来县考察</a></li>
    </ul></div>
    </body></html>"""
    page = parse_html(html, url="https://county.example.cn/news/7.html", fetched_at=FETCHED)
    assert page.title == "某县推进农机产业链建设"
    assert page.site == "县融媒体中心"
    assert page.author == "赵六"
    assert page.published_at == datetime(2025, 12, 1, 8, 30, tzinfo=SHANGHAI)
    assert [(lnk.title, lnk.url) for lnk in page.links] == [
        ("农机补贴政策调整", "https://county.example.cn/a/1.html"),
        ("整机企业来县考察", "https://other.example.org/b/2"),
    ]
    assert "农机补贴政策调整" not in page.text
    assert "责任编辑" not in page.text
    assert page.text.count("\n\n") == 1


def test_very_short_page_falls_back_to_paragraphs() -> None:
    html = "<html><body><h1>园区短讯</h1><p>园区今天开工。</p></body></html>"
    page = parse_html(html, fetched_at=FETCHED)
    assert page.title == "园区短讯"
    assert page.text == "园区今天开工。"


def test_short_dated_sentences_are_body_not_meta() -> None:
    html = (
        "<html><body><h1>园区年度回顾</h1><p>2024年，园区累计引进项目四十个。</p>"
        "<p>园区今天发布了年度报告。</p></body></html>"
    )
    page = parse_html(html, fetched_at=FETCHED)
    assert page.text == "2024年，园区累计引进项目四十个。\n\n园区今天发布了年度报告。"


def test_page_without_body_returns_empty_text_and_warning() -> None:
    html = "<html><head><title>空页面_示例站</title></head><body><div></div></body></html>"
    page = parse_html(html, url="https://e.example.cn/x", fetched_at=FETCHED)
    assert page.text == ""
    assert "no body text" in page.warnings
    assert page.title == "空页面"
    assert page.site == "示例站"


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><h1>未闭合标题<p>第一段没有闭合<div><p>第二段也没有闭合<table><tr><td>表格",
        "<<<>>> 不是网页 &&& <p",
        "\x00\x01\x02 binary-ish \ufffd\ufffd",
        "",
        "<html><body><p>园区" + "<b>" * 500 + "深层嵌套</p></body></html>",
    ],
)
def test_malformed_input_never_raises(html: str) -> None:
    page = parse_html(html, url="https://bad.example.cn/1", fetched_at=FETCHED)
    assert isinstance(page, ParsedPage)
    assert isinstance(page.text, str)
    if not page.text:
        assert page.warnings


def test_unclosed_tags_still_give_text_and_title() -> None:
    html = (
        "<html><head><title>未闭合页面_示例站</title><body><h1>未闭合页面的标题"
        "<p>第一段内容讲述园区新引进的两家企业及其产品方向，文字足够长以便被识别为正文。"
        "<p>第二段说明项目的投资额和预计投产时间，同样写得较长一些。"
    )
    page = parse_html(html, fetched_at=FETCHED)
    assert page.title == "未闭合页面的标题"
    assert "第一段内容讲述园区" in page.text
    assert "第二段说明项目" in page.text
