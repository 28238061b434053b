"""Plain-text page dumps: breadcrumb, title, glued meta line, body, footer, related list."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from chainatlas.ingest.dates import SHANGHAI
from chainatlas.ingest.records import ParsedPage
from chainatlas.ingest.text_page import parse_meta_line, parse_text_dump

FIXTURES = Path(__file__).parent / "fixtures"
FETCHED = datetime(2026, 1, 10, 4, 0, tzinfo=UTC)

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
    "版权声明",
    "转载",
    "本文链接",
    "标签",
    "分享",
)


@pytest.fixture(scope="module")
def dump_page() -> ParsedPage:
    text = (FIXTURES / "park_article_dump.txt").read_text(encoding="utf-8")
    return parse_text_dump(text, fetched_at=FETCHED)


def test_seed_structured_dump_metadata(dump_page: ParsedPage) -> None:
    assert dump_page.title == "江海市打造储能电池全产业链集群"
    assert dump_page.breadcrumb == ["首页", "园区招商动态", "正文内容"]
    assert dump_page.category == "园区招商动态"
    assert dump_page.tags == ["储能", "新能源"]
    assert dump_page.author == "editor"
    assert dump_page.published_raw == "3个月前 (10-08)"
    assert dump_page.published_at == datetime(2025, 10, 8, tzinfo=SHANGHAI)
    assert dump_page.url == "https://park.example.cn/post/4021.html"
    assert dump_page.site == "示例产业园区网"
    assert dump_page.warnings == []


def test_seed_structured_dump_related_links(dump_page: ParsedPage) -> None:
    assert [link.title for link in dump_page.links] == RELATED_TITLES
    assert all(link.url is None for link in dump_page.links)
    assert all(link.teaser and link.teaser.endswith("...") for link in dump_page.links)
    assert dump_page.links[0].teaser.startswith("河谷县与一家光伏企业签约")


def test_seed_structured_dump_body_is_clean(dump_page: ParsedPage) -> None:
    paragraphs = dump_page.text.split("\n\n")
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("江海市近日召开储能产业推进会")
    assert paragraphs[-1].startswith("下一步，江海市将围绕链长制")
    # The full-width indent of the fourth paragraph is gone.
    assert paragraphs[3].startswith("市里还设立了")
    for marker in FURNITURE_MARKERS:
        assert marker not in dump_page.text, marker
    for title in RELATED_TITLES:
        assert title not in dump_page.text
    assert "editor" not in dump_page.text and "3个月前" not in dump_page.text
    # What was stripped is kept for review.
    assert "扫一扫关注公众号" in dump_page.boilerplate
    assert any(line.startswith("版权声明") for line in dump_page.boilerplate)


def test_glued_and_labelled_meta_lines() -> None:
    glued = parse_meta_line("admin4个月前 (09-21)产业资讯12", fetched_at=FETCHED)
    assert glued is not None
    assert (glued.author, glued.category, glued.views) == ("admin", "产业资讯", 12)
    assert glued.published_at == datetime(2025, 9, 21, tzinfo=SHANGHAI)

    known = parse_meta_line(
        "admin4个月前 (09-21)产业资讯12", fetched_at=FETCHED, known_category="产业资讯"
    )
    assert known is not None and known.category == "产业资讯" and known.views == 12

    labelled = parse_meta_line("作者：王五 发布时间：2024-09-21 10:32 浏览：88", fetched_at=FETCHED)
    assert labelled is not None
    assert (labelled.author, labelled.views) == ("王五", 88)
    assert labelled.published_at == datetime(2024, 9, 21, 10, 32, tzinfo=SHANGHAI)
    assert labelled.published_raw == "2024-09-21 10:32"

    assert parse_meta_line("园区今年新增企业三十家", fetched_at=FETCHED) is None


def test_dump_without_breadcrumb_or_meta_still_yields_title_and_body() -> None:
    text = "临港园区开工仪式举行\n\n园区当天集中开工六个项目。\n\n项目总投资约十二亿元。\n"
    page = parse_text_dump(text, url="https://news.example.org/a/1", fetched_at=FETCHED)
    assert page.title == "临港园区开工仪式举行"
    assert page.text == "园区当天集中开工六个项目。\n\n项目总投资约十二亿元。"
    assert page.site == "news.example.org"
    assert page.published_at is None
    assert "no date found" in page.warnings


def test_related_titles_without_teasers_or_duplicates() -> None:
    text = (
        "标题示例新闻\n2025-03-02 09:00\n正文第一段写在这里。\n"
        "推荐阅读\n第一篇相关报道\n第二篇相关报道\n"
    )
    page = parse_text_dump(text, fetched_at=FETCHED)
    assert [link.title for link in page.links] == ["第一篇相关报道", "第二篇相关报道"]
    assert page.text == "正文第一段写在这里。"
    assert page.published_at == datetime(2025, 3, 2, 9, 0, tzinfo=SHANGHAI)


def test_dated_first_sentence_stays_in_body() -> None:
    text = "园区年度回顾\n2024年，园区累计引进项目四十个。\n其中制造业项目占七成。\n"
    page = parse_text_dump(text, fetched_at=FETCHED)
    assert page.text.split("\n\n")[0] == "2024年，园区累计引进项目四十个。"
    assert page.published_at is None


@pytest.mark.parametrize("text", ["", "\n\n  \u3000\n", "扫一扫关注公众号\n版权所有"])
def test_empty_or_all_furniture_dump_warns(text: str) -> None:
    page = parse_text_dump(text, fetched_at=FETCHED)
    assert page.text == ""
    assert page.warnings
