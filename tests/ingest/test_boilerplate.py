"""Boilerplate line classification: site furniture goes, body sentences stay."""

from __future__ import annotations

import pytest

from chainatlas.ingest.boilerplate import (
    category_from_breadcrumb,
    classify_line,
    clean_line,
    filter_lines,
    is_related_heading,
    split_breadcrumb,
    split_tags,
)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("产业招商/厂房土地租售:400 0000 000", "contact"),
        ("厂房土地租售：400-000-0000", "contact"),
        ("或微信/手机:13800000000 13900000000", "contact"),
        ("请说明您的需求、用途、税收、公司、联系人、手机号,以便快速帮您对接资源。", "contact"),
        ("长按/扫一扫加王经理的微信号", "contact"),
        ("李主任微信号", "contact"),
        ("招商热线：400 000 0000", "contact"),
        ("扫一扫关注公众号", "qr"),
        ("扫描二维码推送至手机访问。", "qr"),
        ("关注我们的微信公众号", "qr"),
        ("版权声明:本文由示例网发布,如需转载请注明出处。", "copyright"),
        ("转载请注明出处", "copyright"),
        ("文章来源于网络，如有侵权请联系删除", "copyright"),
        ("Copyright © 2025 示例网 版权所有", "copyright"),
        ("本文链接:https://park.example.cn/post/1.html", "permalink"),
        ("标签: 储能 新能源", "tags"),
        ("分享给朋友:", "share"),
        ("分享到：微信 微博 QQ", "share"),
        ("【打印本页】【关闭窗口】", "widget"),
        ("沪ICP备00000000号-1", "icp"),
        ("京公网安备 11000000000000号", "icp"),
        ("阅读：1234", "counter"),
        ("浏览次数: 56", "counter"),
        ("当前位置:首页 > 资讯 > 正文", "nav"),
        ("首页 > 园区动态 > 正文内容", "nav"),
        ("上一篇：某某园区开工", "nav"),
        ("首页 | 新闻 | 政策 | 园区 | 联系我们", "nav"),
        ("（责任编辑：张三）", "byline"),
        ("相关文章", "related"),
        ("【推荐阅读】", "related"),
    ],
)
def test_furniture_is_classified(line: str, kind: str) -> None:
    assert classify_line(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "江海市近日召开储能产业推进会，宣布规划一片约三平方公里的园区。",
        # Mentions a furniture word but is a real, long sentence.
        "随着移动支付普及，扫码付款已经覆盖县城菜市场，园区也在推广二维码门禁，"
        "管理方表示这一做法让访客登记时间缩短了一半以上，并计划明年推广到所有厂区。",
        "分析人士认为，相关政策将推动链主企业带动本地配套。",
        "2024年，园区累计引进项目四十个。",
        "",
    ],
)
def test_body_sentences_are_not_boilerplate(line: str) -> None:
    assert classify_line(line) is None


def test_clean_line_trims_ideographic_indent_and_collapses_spaces() -> None:
    assert clean_line("\u3000\u3000园区  开工\xa0 了\u200b ") == "园区 开工 了"


def test_filter_lines_keeps_order_and_reports_removed() -> None:
    lines = ["　　第一段。", "", "扫一扫关注公众号", "  第二段。", "标签: 储能"]
    out = filter_lines(lines)
    assert out.kept == ["第一段。", "第二段。"]
    assert out.removed == ["扫一扫关注公众号", "标签: 储能"]


def test_related_heading_variants() -> None:
    for heading in ("相关文章", "相关阅读：", "延伸阅读", "相关新闻", "【推荐阅读】"):
        assert is_related_heading(heading), heading
    assert not is_related_heading("相关文章显示该园区去年营收增长")


def test_breadcrumb_category_skips_home_and_body_markers() -> None:
    items = split_breadcrumb("当前位置:首页 > 园区招商动态 > 正文内容")
    assert items == ["首页", "园区招商动态", "正文内容"]
    assert category_from_breadcrumb(items) == "园区招商动态"
    assert category_from_breadcrumb(split_breadcrumb("您的位置：首页 » 政策 » 正文")) == "政策"
    assert category_from_breadcrumb(["首页", "正文"]) is None


def test_split_tags_handles_mixed_separators_and_duplicates() -> None:
    assert split_tags("标签: 储能 新能源、储能，电池") == ["储能", "新能源", "电池"]
    assert split_tags("关键词：") == []
