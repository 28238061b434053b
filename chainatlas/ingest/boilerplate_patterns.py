"""Boilerplate patterns for Chinese news and park-promotion sites, kept as data.

Each pattern has a kind (what the line is), a regex and the longest line it may judge:
body paragraphs sometimes mention 二维码 or 版权, so a pattern only fires on lines
short enough to be page furniture. The limits were set by reading footers of
investment-promotion and news sites: contact ads and copyright notices stay under
~120 characters, while real paragraphs that mention these words are longer.
Re-run `tests/ingest/test_boilerplate.py` after changing any limit.
"""

from __future__ import annotations

from typing import NamedTuple


class Pattern(NamedTuple):
    kind: str
    regex: str
    max_len: int


# Headings that open a related-articles list; the list becomes links, never body text.
RELATED_HEADINGS: tuple[str, ...] = (
    "相关文章",
    "相关阅读",
    "推荐阅读",
    "相关新闻",
    "延伸阅读",
    "相关推荐",
    "相关资讯",
    "猜你喜欢",
    "热门文章",
    "最新文章",
    "喜欢此内容的人还喜欢",
    # Traditional-script sites (Taiwan, Hong Kong) use the same furniture.
    "相關文章",
    "相關閱讀",
    "推薦閱讀",
    "相關新聞",
    "延伸閱讀",
    "熱門文章",
)

# Breadcrumb items that carry no category meaning.
BREADCRUMB_NOISE: frozenset[str] = frozenset(
    {
        "首页",
        "主页",
        "网站首页",
        "正文",
        "正文内容",
        "内容",
        "详情",
        "文章详情",
        "当前位置",
        "您的位置",
        "你的位置",
        "您现在的位置",
        "home",
        "Home",
        "HOME",
    }
)

# Separators used between breadcrumb items.
BREADCRUMB_SEPARATORS = r"\s*(?:>>|>|»|›|→|＞|/|\\|-{1,2}>)\s*"

# Prefix labels that introduce a breadcrumb line.
BREADCRUMB_LABEL = r"^(?:当前位置|您的位置|你的位置|您现在的位置|所在位置|位置|當前位置|您的位置|目前位置)\s*[:：]?\s*"

_PHONE = r"(?:[48]00[\s-]?\d{3,4}[\s-]?\d{3,4}|1[3-9]\d{9}|0\d{2,3}-?\d{7,8})"

PATTERNS: tuple[Pattern, ...] = (
    # Contact and lead-generation ads (产业招商 / 厂房土地租售 sites).
    Pattern("contact", r"(?:产业招商|厂房土地|土地租售|厂房租售|招商热线).{0,30}" + _PHONE, 120),
    Pattern(
        "contact", r"^(?:产业招商|厂房土地租售|厂房租售|土地租售|招商热线)\S{0,12}\s*[:：]", 60
    ),
    Pattern(
        "contact",
        r"^(?:或|加)?(?:微信|手机|电话|联系电话|咨询电话)(?:[/／、](?:微信|手机|电话))*\s*[:：]",
        120,
    ),
    Pattern("contact", r"请说明您的需求", 150),
    Pattern("contact", r"(?:长按|扫一扫|扫码).{0,10}加.{0,12}微信", 60),
    Pattern("contact", r"微信号\s*$", 30),
    Pattern("contact", r"仅微信|同微信|微信同号", 80),
    Pattern(
        "contact", r"^(?:咨询|服务|招商|联系)?(?:热线|电话|手机|联系方式)\s*[:：]?\s*" + _PHONE, 60
    ),
    Pattern("contact", r"^\s*" + _PHONE + r"[\d\s]*$", 60),
    # QR codes and follow prompts.
    Pattern("qr", r"扫一扫|扫描二维码|二维码|扫码关注|扫码", 60),
    Pattern("qr", r"关注(?:我们的)?(?:微信)?公众号|微信公众号", 60),
    # Copyright, reprint and disclaimer notices.
    Pattern("copyright", r"^(?:版权声明|免责声明|声明)\s*[:：]", 300),
    Pattern(
        "copyright",
        r"转载请注明|转载请联系|如需转载|未经(?:书面)?(?:许可|授权).{0,10}(?:转载|使用)",
        200,
    ),
    Pattern("copyright", r"如有侵权|侵权请联系|联系(?:我们|本站)?删除|请联系我们删除", 200),
    Pattern("copyright", r"版权所有|版权归.{0,20}所有|Copyright|©|All Rights Reserved", 160),
    Pattern("copyright", r"部[份分]内容(?:收集|来源)于网络", 200),
    # Permalink lines.
    Pattern(
        "permalink",
        r"^(?:本文链接|原文链接|本文地址|文章链接|原文地址|本文網址|原文連結|本文連結)\s*[:：]",
        300,
    ),
    # Tag / keyword lines.
    Pattern("tags", r"^(?:标签|關鍵字|標籤|关键词|关键字|主题词|Tags?)\s*[:：]", 120),
    Pattern("tags", r"^(?:#[^\s#]{1,20}\s*){1,12}$", 160),
    # Share widgets.
    Pattern("share", r"^分享(?:给朋友|给好友|到|至)\s*[:：]?|^分享\s*[:：]?\s*$", 40),
    Pattern("share", r"(?:分享到|分享至)\s*[:：]?\s*(?:微信|微博|QQ|朋友圈)", 80),
    # Print / close / font-size widgets.
    Pattern(
        "widget", r"[【\[](?:打印本页|打印|关闭窗口|关闭|收藏|字体|大|中|小|返回顶部)[】\]]", 80
    ),
    Pattern("widget", r"^(?:打印本页|关闭窗口|返回顶部|返回列表|字号\s*[:：])", 40),
    # ICP filing and public-security filing footers.
    Pattern("icp", r"ICP\s*(?:备|证)|公网安备|备案号", 200),
    # View counters.
    Pattern("counter", r"^(?:阅读|浏览|点击|访问)(?:量|数|次数)?\s*[:：]?\s*\d+\s*次?$", 30),
    Pattern("counter", r"^\d+\s*(?:次阅读|人阅读|次浏览|人浏览|阅读|浏览)$", 30),
    # Previous / next article navigation.
    Pattern("nav", r"^(?:上一篇|下一篇|上一条|下一条)\s*[:：]?", 120),
    # Breadcrumb and menu lines.
    Pattern("nav", r"^(?:当前位置|您的位置|你的位置|您现在的位置|所在位置)\s*[:：]", 120),
    Pattern("nav", r"^首页(?:" + BREADCRUMB_SEPARATORS + r"[^>»›→＞/]{1,20}){1,6}$", 120),
    Pattern("nav", r"^(?:[^\s|｜]{1,8}\s*[|｜]\s*){3,}[^\s|｜]{1,8}$", 120),
    # Editor bylines at the end of a body.
    Pattern(
        "byline",
        r"^[(（\[]?(?:(?:责任编辑|编辑|审核|校对|来源|作者|记者|排版|摄影|責任編輯|編輯)\s*[:：]\s*"
        r"\S{1,20}\s*)+[)）\]]?$",
        60,
    ),
    # Site footers and article-end markers.
    Pattern(
        "footer", r"^(?:主办单位|承办单位|技术支持|网站地图|联系我们|关于我们)\s*[:：|｜]?", 160
    ),
    Pattern("footer", r"^[-—–=\s]*(?:END|完|全文完)[-—–=\s]*$", 20),
    Pattern("footer", r"^(?:阅读原文|点击上方.{0,6}关注|在看|点赞)", 40),
    # Engagement prompts and reaction buttons of WeChat-style pages.
    Pattern("footer", r"^(?:赞|在看|分享|点赞|收藏|留言|写留言)$", 4),
    Pattern(
        "footer", r"(?:欢迎|请)?(?:在)?(?:评论区|文末)?留言(?:讨论|交流|互动)|欢迎在评论区", 40
    ),
)
