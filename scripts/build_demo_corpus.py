"""Render the bundled demo corpus from the article sources in scripts/demo_src/.

Deterministic: the same sources always give byte-identical pages, manifest and fixtures
(no clock, no randomness beyond hashes of article ids). Stdlib only.

    python scripts/build_demo_corpus.py            # write chainatlas/data/demo + tests/fixtures
    python scripts/build_demo_corpus.py --check    # exit 1 if shipped files differ from sources

Each source TOML is one article, or one repost group (`[[variant]]` tables that override
fields of the shared story). Pages are written as `pages/NNN_slug.(html|txt)` in the
encoding the source asks for; `manifest.json` holds the golden expectations for ingestion.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC_DIR = ROOT / "scripts" / "demo_src"
OUT_DIR = ROOT / "chainatlas" / "data" / "demo"
FIXTURE_DIR = ROOT / "tests" / "fixtures"

# Every relative date on the pages ("4个月前 (09-21)", "3天前", "昨天 10:20") is rendered as
# a crawler fetching at this instant would have seen it; the manifest records it per page.
FETCHED_AT = datetime.fromisoformat("2025-01-20T10:00:00+08:00")

ENCODINGS = {"utf-8", "gbk", "gb18030", "big5"}
# Styles that show no clock time on the page; their expected date has day precision
# unless the site also exposes a machine-readable time (meta tag, WeChat `ct`).
DAY_ONLY_STYLES = {"rel_months", "rel_days", "cn_date", "slash"}
BODY_MIN, BODY_MAX = 300, 1200
# Closed vocabularies so the manifest's coverage labels stay comparable across pages.
PROVINCES = {"广东", "上海", "江苏", "浙江", "安徽", "湖北", "四川", "福建", "陕西"}
# Coverage label -> ids of the chain templates in chainatlas/data/chains/ it touches (coarse).
CHAINS: dict[str, tuple[str, ...]] = {
    "高端医疗器械": ("medical-devices",),
    "生物医药": ("biomedicine",),
    "新能源汽车": ("nev",),
    "动力电池": ("nev", "new-energy"),
    "半导体与集成电路": ("semiconductor",),
    "新材料/绿色石化": ("green-petrochem", "advanced-materials"),
    "高端装备/机器人": ("high-end-equipment", "robotics"),
    "量子信息": ("blockchain-quantum",),
    "人工智能": ("artificial-intelligence",),
    "光电子信息": ("electronic-info",),
    "光伏/新能源": ("new-energy",),
    "核技术应用": ("high-end-equipment", "precision-instruments"),
}


@dataclass(frozen=True, slots=True)
class Related:
    title: str
    url: str
    teaser: str


@dataclass(slots=True)
class Article:
    id: str
    slug: str
    site: str
    format: str
    encoding: str
    declare_charset: bool
    title: str
    published: datetime
    date_style: str
    author: str
    source: str
    category: str
    tags: list[str]
    body: list[str]
    provinces: list[str]
    chains: list[str]
    related: list[Related] = field(default_factory=list)
    related_auto: int = 0
    repost_group: str | None = None
    lead: str | None = None  # repost-only line shown before the body (editor's note)
    title_simplified: str | None = None
    note: str = ""
    people: list[list[str]] = field(default_factory=list)
    stock_codes: list[str] = field(default_factory=list)
    fixture: bool = False

    @property
    def number(self) -> int:
        return int(self.id)

    @property
    def filename(self) -> str:
        return f"{self.id}_{self.slug}.{self.format}"


# ---------------------------------------------------------------------------- sources


def _article_from(data: dict) -> Article:
    related = [Related(r["title"], r["url"], r["teaser"]) for r in data.get("related", [])]
    return Article(
        id=data["id"],
        slug=data["slug"],
        site=data["site"],
        format=data.get("format", "html"),
        encoding=data.get("encoding", "utf-8"),
        declare_charset=data.get("declare_charset", True),
        title=data["title"],
        published=datetime.fromisoformat(data["published"]),
        date_style=data["date_style"],
        author=data.get("author", ""),
        source=data.get("source", ""),
        category=data["category"],
        tags=list(data.get("tags", [])),
        body=[p.strip() for p in data["body"]],
        provinces=list(data.get("provinces", [])),
        chains=list(data.get("chains", [])),
        related=related,
        related_auto=data.get("related_auto", 0),
        repost_group=data.get("repost_group"),
        lead=data.get("lead"),
        title_simplified=data.get("title_simplified"),
        note=data.get("note", ""),
        people=[list(p) for p in data.get("people", [])],
        stock_codes=list(data.get("stock_codes", [])),
        fixture=data.get("fixture", False),
    )


def load_sources(src_dir: Path = SRC_DIR) -> tuple[list[Article], list[Article]]:
    """Return (corpus articles sorted by id, fixture articles)."""
    articles: list[Article] = []
    for path in sorted(src_dir.glob("*.toml")):
        if path.name.startswith("_"):  # corpus-level metadata, not an article
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        variants = data.pop("variant", None)
        if variants is None:
            articles.append(_article_from(data))
            continue
        for v in variants:
            merged = {**data, **v}
            # A variant may drop or replace paragraphs of the shared story (near-duplicate).
            body = [p for i, p in enumerate(data["body"]) if i not in set(v.get("drop", []))]
            for idx, text in v.get("replace", {}).items():
                body[int(idx)] = text
            merged["body"] = body
            articles.append(_article_from(merged))
    corpus = sorted((a for a in articles if not a.fixture), key=lambda a: a.number)
    fixtures = [a for a in articles if a.fixture]
    return corpus, fixtures


def load_meta(src_dir: Path = SRC_DIR) -> dict:
    path = src_dir / "_corpus.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def validate(articles: list[Article]) -> None:
    seen: set[str] = set()
    for a in articles:
        where = f"{a.id} {a.slug}"
        if a.id in seen:
            raise ValueError(f"duplicate id {where}")
        seen.add(a.id)
        if a.site not in SITES:
            raise ValueError(f"unknown site {a.site!r} in {where}")
        if a.format not in {"html", "txt"} or a.encoding not in ENCODINGS:
            raise ValueError(f"bad format/encoding in {where}")
        n = body_chars(a)
        if not a.fixture and not BODY_MIN <= n <= BODY_MAX:
            raise ValueError(f"body of {where} has {n} chars, want {BODY_MIN}-{BODY_MAX}")
        unknown = (set(a.provinces) - PROVINCES) | (set(a.chains) - set(CHAINS))
        if unknown:
            raise ValueError(f"unknown province/chain labels {sorted(unknown)} in {where}")
        if a.published.utcoffset() != timedelta(hours=8):
            raise ValueError(f"published of {where} must be +08:00")
        if a.published >= FETCHED_AT:
            raise ValueError(f"{where} is published after the fetch time")
        date_text(a)  # raises on an unknown style or an impossible relative date


def body_chars(a: Article) -> int:
    return sum(len(p) for p in a.body)


# ---------------------------------------------------------------------------- dates


def date_text(a: Article, style: str | None = None) -> str:
    """The date as the page shows it, relative forms computed against FETCHED_AT."""
    p = a.published
    style = style or a.date_style
    age = FETCHED_AT.date() - p.date()
    if style == "rel_months":
        months = age.days // 30  # zblog's "N个月前" counts 30-day blocks
        if months < 1:
            raise ValueError(f"{a.id}: rel_months needs an age of 30+ days")
        return f"{months}个月前 ({p:%m-%d})"
    if style == "rel_days":
        if not 2 <= age.days <= 29:
            raise ValueError(f"{a.id}: rel_days needs an age of 2-29 days")
        return f"{age.days}天前"
    if style == "yesterday":
        if age.days != 1:
            raise ValueError(f"{a.id}: yesterday needs an age of one day")
        return f"昨天 {p:%H:%M}"
    formats = {
        "iso_min": "%Y-%m-%d %H:%M",
        "iso_sec": "%Y-%m-%d %H:%M:%S",
        "cn_date": f"{p.year}年{p.month}月{p.day}日",
        "cn_datetime": "%Y年%m月%d日 %H:%M",
        "slash": "%Y/%m/%d",
        "slash_min": "%Y/%m/%d %H:%M",
    }
    if style not in formats:
        raise ValueError(f"{a.id}: unknown date_style {style!r}")
    return p.strftime(formats[style])


def expected_published(a: Article) -> str:
    minute = a.date_style not in DAY_ONLY_STYLES or SITES[a.site].machine_time(a)
    return a.published.isoformat(timespec="seconds") if minute else a.published.date().isoformat()


# ---------------------------------------------------------------------------- helpers


def h(text: str) -> str:
    return html.escape(text, quote=True)


def stable_int(key: str, lo: int, hi: int) -> int:
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return lo + int.from_bytes(digest[:4], "big") % (hi - lo + 1)


def teaser_of(a: Article, limit: int = 110) -> str:
    text = "".join(a.body)
    return text[:limit].rstrip("，。、；：") + "..."


def desc_of(a: Article) -> str:
    return "".join(a.body)[:80]


def views(a: Article) -> int:
    return stable_int("views" + a.id, 12, 3000) if a.site != "parknews" else stable_int(a.id, 5, 60)


def resolve_related(articles: list[Article]) -> None:
    """Fill automatic related lists with other corpus pages (prefer same site, then any)."""
    for a in articles:
        if not a.related_auto:
            continue
        # Traditional-script pages never feed simplified sites (and vice versa): a title
        # may not even be encodable in the other page's charset.
        trad = a.site == "twportal"
        pool = [
            b
            for b in articles
            if b is not a and b.repost_group is None and (b.site == "twportal") == trad
        ]
        same = [b for b in pool if b.site == a.site]
        other = [b for b in pool if b.site != a.site]
        key = lambda b, a=a: hashlib.sha256((a.id + b.id).encode()).hexdigest()  # noqa: E731
        picks = (sorted(same, key=key) + sorted(other, key=key))[: a.related_auto]
        a.related = [Related(b.title, SITES[a.site].url_for(b), teaser_of(b)) for b in picks]


# ---------------------------------------------------------------------------- sites


@dataclass(frozen=True, slots=True)
class Site:
    key: str
    name: str
    domain: str
    html: Callable[[Article], str]
    txt: Callable[[Article], str]
    url_pattern: str
    machine_time: Callable[[Article], bool] = lambda a: False

    def url_for(self, a: Article) -> str:
        p = a.published
        return self.url_pattern.format(
            n=15000 + a.number * 7,
            ym=f"{p:%Y%m}",
            ymd=f"{p:%Y%m%d}",
            d=f"{p:%d}",
            y_m=f"{p:%Y-%m}",
            hexid=hashlib.sha256(a.slug.encode()).hexdigest()[:16],
        )


def charset_meta(a: Article, http_equiv: bool = False) -> str:
    if not a.declare_charset:
        return ""
    label = {"utf-8": "utf-8", "gbk": "gbk", "gb18030": "gb18030", "big5": "big5"}[a.encoding]
    if http_equiv:
        return f'<meta http-equiv="Content-Type" content="text/html; charset={label}" />\n'
    return f'<meta charset="{label}">\n'


def paragraphs_html(a: Article, indent: str = "") -> str:
    return "\n".join(f"<p>{indent}{h(p)}</p>" for p in a.body)


def paragraphs_txt(a: Article) -> str:
    return "\n\n".join(f"  {p}" for p in a.body)


CSS_FILLER = (
    "/* layout */ .wrap{width:1200px;margin:0 auto}.fl{float:left}.fr{float:right}"
    ".clearfix:after{content:'';display:block;clear:both}"
)


def analytics(site_id: str) -> str:
    return (
        "<script>\nvar _hmt = _hmt || [];\n(function() {\n"
        '  var hm = document.createElement("script");\n'
        f'  hm.src = "/stat/hm.js?{hashlib.md5(site_id.encode()).hexdigest()}";\n'
        '  var s = document.getElementsByTagName("script")[0];\n'
        "  s.parentNode.insertBefore(hm, s);\n})();\n</script>"
    )


# --- 1. parknews: a z-blog style industrial-park news site (the seed's archetype) ----------

PARK_NAV = [
    "首页",
    "产业地产资讯",
    "园区招商",
    "厂房出租",
    "土地出售",
    "产业政策",
    "招商引资",
    "联系我们",
]
PARK_PHONE = "400 000 0000"
PARK_MOBILE = "13800138000"


def park_related_html(a: Article) -> str:
    items = []
    for r in a.related:
        items.append(
            f'<li class="clearfix"><a href="{h(r.url)}" class="pic"><img src="/zb_users/theme/'
            f'parkx/style/images/nopic.jpg" alt="{h(r.title)}" title="{h(r.title)}"></a>'
            f'<h4><a href="{h(r.url)}">{h(r.title)}</a></h4><p>  {h(r.teaser)}</p></li>'
        )
    return "\n".join(items)


def park_html(a: Article) -> str:
    site = SITES["parknews"]
    url = site.url_for(a)
    nav = "".join(
        f'<li><a href="/index.php/category-{i}.html">{n}</a></li>' for i, n in enumerate(PARK_NAV)
    )
    tags = " ".join(f'<a href="/index.php/tags-{h(t)}.html" rel="tag">{h(t)}</a>' for t in a.tags)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{charset_meta(a)}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{h(a.title)} - {site.name}</title>
<meta name="keywords" content="{h(",".join(a.tags))}">
<meta name="description" content="{h(desc_of(a))}">
<link rel="stylesheet" href="/zb_users/theme/parkx/style/style.css" type="text/css">
<script src="/zb_system/script/jquery-2.2.4.min.js"></script>
<script src="/zb_system/script/zblogphp.js"></script>
<style>{CSS_FILLER}</style>
</head>
<body class="single post-{a.number}">
<div id="topbar"><div class="wrap">欢迎访问{site.name}！全国产业园区、厂房、土地招商信息一站对接 <span class="fr">招商热线：{PARK_PHONE}</span></div></div>
<header id="header"><div class="wrap"><a class="logo" href="/"><img src="/zb_users/upload/logo.png" alt="{site.name}"></a>
<ul id="nav">{nav}</ul>
<form class="search" action="/zb_system/cmd.php?act=search" method="post"><input name="q" placeholder="搜索资讯、园区、厂房"><button>搜索</button></form></div></header>
<div class="wrap"><div class="place">当前位置:<a href="/">首页</a> &gt; <a href="/index.php/category-1.html">{h(a.category)}</a> &gt; 正文内容</div>
<div id="main" class="fl">
<article class="post">
<h1 class="post-title">{h(a.title)}</h1>
<div class="post-meta"><span class="author">{h(a.author)}</span><span class="time">{date_text(a)}</span><span class="cat"><a href="/index.php/category-1.html">{h(a.category)}</a></span><span class="view">{views(a)}</span></div>
<div class="post-content">
{paragraphs_html(a, "　　")}
</div>
<div class="contact-ad">
<p class="wx-name">葛经理微信号</p>
<p>产业招商/厂房土地租售：{PARK_PHONE}</p>
<p>或微信/手机：{PARK_MOBILE}</p>
<p>请说明您的需求、用途、税收、公司、联系人、手机号，以便快速帮您对接资源。</p>
<p><img src="/zb_users/upload/wx-qr.jpg" alt="微信二维码">长按/扫一扫加葛经理的微信号</p>
</div>
<div class="qr-follow"><img src="/zb_users/upload/mp-qr.jpg" alt="公众号二维码"><p>扫一扫关注公众号</p></div>
<div class="qr-mobile"><p>扫描二维码推送至手机访问。</p></div>
<div class="copyright"><p>版权声明：本文由{site.name}发布，如需转载请注明出处。部分内容收集于网络，如有不妥之处请联系我们删除 {PARK_MOBILE} 仅微信</p></div>
<div class="post-link">本文链接：<a href="{url}">{url}</a></div>
<div class="post-tags">标签: {tags}</div>
<div class="share">分享给朋友:<a class="s-wx">微信</a><a class="s-wb">微博</a><a class="s-qq">QQ</a></div>
</article>
<div class="related"><h3>相关文章</h3><ul>
{park_related_html(a)}
</ul></div>
</div>
<aside id="sidebar" class="fr"><div class="widget"><h3>热门园区</h3><ul><li>示例智能制造产业园招商中</li><li>示例生物医药孵化基地招商中</li><li>示例新材料产业园标准厂房出租</li></ul></div>
<div class="widget"><h3>联系我们</h3><p>招商热线：{PARK_PHONE}</p><p>微信/手机：{PARK_MOBILE}</p></div></aside>
</div>
<footer id="footer"><div class="wrap"><p>Copyright 2016-2025 {site.name} 版权所有 | <a href="https://beian.example-miit.cn/">沪ICP备00000000号-1</a></p><p>本站部分信息来源于网络，仅供参考，不代表本站立场。</p></div></footer>
{analytics("parknews")}
</body>
</html>
"""


def park_txt(a: Article) -> str:
    site = SITES["parknews"]
    related = "\n\n".join(f"{r.title}\n\n{r.title}\n\n  {r.teaser}" for r in a.related)
    tags = " ".join(a.tags)
    return (
        f"当前位置:首页 > {a.category} > 正文内容\n\n{a.title}\n\n"
        f"{a.author}{date_text(a)}{a.category}{views(a)}\n\n{paragraphs_txt(a)}\n\n"
        f"葛经理微信号\n产业招商/厂房土地租售:{PARK_PHONE}\n或微信/手机:{PARK_MOBILE} \n"
        "请说明您的需求、用途、税收、公司、联系人、手机号,以便快速帮您对接资源。 \n"
        "长按/扫一扫加葛经理的微信号\n\n扫一扫关注公众号\n\n扫描二维码推送至手机访问。\n\n"
        f"版权声明:本文由{site.name}发布,如需转载请注明出处。部分内容收集于网络,"
        f"如有不妥之处请联系我们删除 {PARK_MOBILE} 仅微信\n\n"
        f"本文链接:{site.url_for(a)}\n\n标签: {tags}\n分享给朋友:\n\n相关文章\n\n{related}\n"
    )


# --- 2. gov: an investment-promotion bureau portal ------------------------------------------

GOV_NAV = ["首页", "机构概况", "政务公开", "投资指南", "招商动态", "产业政策", "项目库", "互动交流"]


def gov_html(a: Article) -> str:
    site = SITES["gov"]
    nav = "".join(f'<li><a href="/{i}/">{n}</a></li>' for i, n in enumerate(GOV_NAV))
    rel = "\n".join(
        f'<li><a href="{h(r.url)}" target="_blank" title="{h(r.title)}">{h(r.title)}</a>'
        f'<span class="zy">{h(r.teaser)}</span></li>'
        for r in a.related
    )
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
{charset_meta(a, http_equiv=True)}<title>{h(a.title)}_{h(a.category)}_{site.name}</title>
<meta name="SiteName" content="{site.name}" />
<meta name="SiteDomain" content="{site.domain}" />
<meta name="ColumnName" content="{h(a.category)}" />
<meta name="ArticleTitle" content="{h(a.title)}" />
<meta name="PubDate" content="{a.published:%Y-%m-%d %H:%M}" />
<meta name="ContentSource" content="{h(a.source)}" />
<meta name="Keywords" content="{h(",".join(a.tags))}" />
<link href="/images/common.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/js/jquery-1.7.2.min.js"></script>
</head>
<body>
<div class="top"><div class="top_con"><span class="rq">今天是：<script>document.write(new Date().toLocaleDateString());</script></span><a href="/wza/">无障碍浏览</a> | <a href="/en/">English</a></div></div>
<div class="banner"><img src="/images/banner.jpg" alt="{site.name}" /></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="main">
<div class="dqwz">当前位置：<a href="/">首页</a> &gt; <a href="/zsdt/">招商动态</a> &gt; <a href="/zsdt/xmqy/">{h(a.category)}</a> &gt; 正文</div>
<div class="article">
<div class="article_title"><h2>{h(a.title)}</h2></div>
<div class="article_info">发布时间：{date_text(a)}&nbsp;&nbsp;来源：{h(a.source)}&nbsp;&nbsp;作者：{h(a.author)}&nbsp;&nbsp;浏览次数：{views(a)}&nbsp;&nbsp;字体：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]</div>
<div class="article_con TRS_Editor" id="zoom">
{paragraphs_html(a, "　　")}
</div>
<div class="article_ztc">主题词：{h("　".join(a.tags))}</div>
<div class="article_tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a> <a href="#top">【返回顶部】</a></div>
<div class="article_share">分享到：<a class="wx">微信</a> <a class="wb">微博</a></div>
<div class="xgyd"><h3>相关阅读</h3><ul>
{rel}
</ul></div>
</div>
</div>
<div class="footer"><p>主办单位：{site.name}　承办单位：示例市投资促进局信息中心</p>
<p>地址：示例市新城大道1号　邮编：000000　投资咨询电话：0000-12345678</p>
<p>网站标识码：0000000000　<a href="https://beian.example-miit.cn/">粤ICP备00000001号</a>　公网安备 00000000000001号</p>
<p><img src="/images/jiucuo.png" alt="政府网站找错" /> 扫一扫在手机打开当前页</p></div>
{analytics("gov")}
</body>
</html>
"""


def gov_txt(a: Article) -> str:
    site = SITES["gov"]
    rel = "\n".join(f"{r.title}\n  {r.teaser}" for r in a.related)
    return (
        f"当前位置：首页 > 招商动态 > {a.category} > 正文\n\n{a.title}\n\n"
        f"发布时间：{date_text(a)}  来源：{a.source}  作者：{a.author}  浏览次数：{views(a)}"
        "  字体：[大 中 小]\n\n"
        f"{paragraphs_txt(a)}\n\n主题词：{'　'.join(a.tags)}\n\n【打印本页】 【关闭窗口】 【返回顶部】\n\n分享到：\n\n相关阅读\n\n{rel}\n\n"
        f"主办单位：{site.name}\n网站标识码：0000000000 粤ICP备00000001号\n扫一扫在手机打开当前页\n"
    )


# --- 3. scinews: a science-news portal with machine-readable date metas ----------------------

SCI_NAV = ["首页", "要闻", "科研", "产业", "创新", "大科学装置", "科普", "视频", "专题"]


def sci_html(a: Article) -> str:
    site = SITES["scinews"]
    url = site.url_for(a)
    nav = "".join(f'<a href="/{i}/" class="nav-item">{n}</a>' for i, n in enumerate(SCI_NAV))
    rel = "\n".join(
        f'<div class="rec-item"><a href="{h(r.url)}"><span class="rec-title">{h(r.title)}</span></a>'
        f'<p class="rec-sum">{h(r.teaser)}</p></div>'
        for r in a.related
    )
    tags = "".join(f'<a class="kw" href="/tag/{h(t)}">{h(t)}</a>' for t in a.tags)
    lead = f'<p class="editor-note">【编者按】{h(a.lead)}</p>\n' if a.lead else ""
    iso = a.published.isoformat()
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
{charset_meta(a)}<title>{h(a.title)}--{site.name}</title>
<meta name="publishdate" content="{a.published:%Y-%m-%d}">
<meta property="article:published_time" content="{iso}">
<meta property="og:type" content="article">
<meta property="og:title" content="{h(a.title)}">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="{site.name}">
<meta name="author" content="{h(a.author)}">
<meta name="source" content="{h(a.source)}">
<meta name="keywords" content="{h(",".join(a.tags))}">
<link rel="canonical" href="{url}">
<link rel="stylesheet" href="/static/css/detail.v3.css">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":{json.dumps(a.title, ensure_ascii=False)},"datePublished":"{iso}"}}</script>
</head>
<body>
<div class="site-header"><div class="logo-box"><a href="/"><img src="/static/img/logo.png" alt="{site.name}"></a></div><nav class="main-nav">{nav}</nav></div>
<div class="crumbs"><a href="/">首页</a> &gt; <a href="/chanye/">{h(a.category)}</a> &gt; 正文</div>
<div class="detail-wrap">
<h1 class="detail-title">{h(a.title)}</h1>
<div class="detail-info"><span class="pub-time">{date_text(a)}</span><span class="pub-source">来源：{h(a.source)}</span><span class="pub-author">作者：{h(a.author)}</span></div>
<div class="detail-content" id="articleText">
{lead}{paragraphs_html(a)}
</div>
<div class="detail-editor">（责任编辑：{h(EDITORS[a.number % len(EDITORS)])}）</div>
<div class="detail-keywords">关键词：{tags}</div>
<div class="share-bar">分享到：<a class="wechat">微信</a><a class="weibo">微博</a><a class="qzone">QQ空间</a><div class="qr-pop">用微信扫描二维码<br>分享至好友和朋友圈</div></div>
<div class="statement">版权声明：凡本网注明“来源：{site.name}”的所有作品，版权均属于{site.name}，未经授权不得转载、摘编或利用其它方式使用。已经授权使用作品的，应在授权范围内使用，并注明“来源：{site.name}”。</div>
<div class="recommend"><h3>推荐阅读</h3>
{rel}
</div>
</div>
<div class="site-footer"><p>关于我们 | 联系我们 | 广告服务 | 网站地图</p><p>{site.name} 版权所有 京ICP备00000002号-3 京公网安备00000000000002号</p></div>
<script src="/static/js/detail.v3.js"></script>
{analytics("scinews")}
</body>
</html>
"""


def sci_txt(a: Article) -> str:
    site = SITES["scinews"]
    rel = "\n".join(f"{r.title}\n{r.teaser}" for r in a.related)
    lead = f"【编者按】{a.lead}\n\n" if a.lead else ""
    return (
        f"首页 > {a.category} > 正文\n\n{a.title}\n\n"
        f"{date_text(a)}  来源：{a.source}  作者：{a.author}\n\n{lead}{paragraphs_txt(a)}\n\n"
        f"（责任编辑：{EDITORS[a.number % len(EDITORS)]}）\n\n关键词：{' '.join(a.tags)}\n\n"
        "分享到：\n用微信扫描二维码\n分享至好友和朋友圈\n\n"
        f"版权声明：凡本网注明“来源：{site.name}”的所有作品，版权均属于{site.name}，未经授权不得转载。\n\n"
        f"推荐阅读\n\n{rel}\n\n{site.name} 版权所有 京ICP备00000002号-3\n"
    )


EDITORS = ["王晓", "李可", "陈思远", "刘畅"]


# --- 4. wechat: a WeChat official-account article mirrored on a repost site ----------------


def wx_runtime_script() -> str:
    """Inline page-runtime config, as mirrored WeChat pages carry (mostly noise, ~14 KB)."""
    keys = ["report", "like", "share", "comment", "reward", "audio", "video", "qqmusic", "weapp"]
    lines = []
    for i in range(160):
        k = keys[i % len(keys)]
        lines.append(
            f'  "{k}_{i:03d}": {{"enabled": {str(i % 3 != 0).lower()}, "ver": "{i % 7}.{i % 5}.{i % 11}"}},'
        )
    return (
        "<script>\nwindow.__appmsg_conf = {\n" + "\n".join(lines) + '\n  "end": {}\n};\n</script>'
    )


def wx_html(a: Article) -> str:
    site = SITES["wechat"]
    rel = "\n".join(
        f'<li><a href="{h(r.url)}">{h(r.title)}</a><p class="desc">{h(r.teaser)}</p></li>'
        for r in a.related
    )
    lead = f'<p style="color:#888;font-size:14px;">{h(a.lead)}</p>\n' if a.lead else ""
    ct = int(a.published.timestamp())
    body = "\n".join(
        f'<section style="margin-bottom:16px;line-height:1.75;"><span style="font-size:15px;">{h(p)}</span></section>'
        for p in a.body
    )
    return f"""<!DOCTYPE html>
<html>
<head>
{charset_meta(a)}<meta name="viewport" content="width=device-width,initial-scale=1.0,maximum-scale=1.0,user-scalable=0">
<title>{h(a.title)}</title>
<meta property="og:title" content="{h(a.title)}">
<meta property="og:description" content="{h(desc_of(a))}">
<meta property="twitter:card" content="summary">
<link rel="stylesheet" href="/static/mp/page_mp_article.css">
</head>
<body id="activity-detail" class="zh_CN wx_wap_page">
<div class="rich_media"><div class="rich_media_inner"><div id="page-content">
<div class="repost-banner">本页内容转自微信公众号“{h(a.source)}”，由{site.name}自动收录，版权归原作者所有。</div>
<h1 class="rich_media_title" id="activity-name">{h(a.title)}</h1>
<div id="meta_content" class="rich_media_meta_list"><span class="rich_media_meta rich_media_meta_text">{h(a.author)}</span> <span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a href="javascript:void(0);" id="js_name">{h(a.source)}</a></span> <em id="publish_time" class="rich_media_meta rich_media_meta_text">{date_text(a)}</em></div>
<div class="rich_media_content" id="js_content">
<section style="text-align:center;color:#576b95;">点击上方蓝字 · 关注我们</section>
{lead}{body}
<section style="color:#576b95;">{h(" ".join("#" + t for t in a.tags))}</section>
<section style="color:#888;">你怎么看？欢迎在评论区留言讨论。</section>
<section style="text-align:center;">— END —</section>
<section style="font-size:12px;color:#999;">来源：{h(a.source)}　编辑：{h(EDITORS[a.number % len(EDITORS)])}<br>声明：本文仅供交流学习，转载请注明出处；如涉及版权问题，请联系我们删除。</section>
<section style="text-align:center;"><img data-src="/mmbiz/qrcode.jpg" alt="二维码"><br>长按识别二维码 · 关注我们</section>
</div>
<div class="rich_media_tool"><a id="js_view_source" href="#">阅读原文</a> <span>阅读 {views(a)}</span> <span>分享</span> <span>在看</span> <span>赞</span></div>
<div class="related_article"><h3>推荐阅读</h3><ul>
{rel}
</ul></div>
<div class="like_list">喜欢此内容的人还喜欢</div>
</div></div></div>
<div class="footer">{site.name} · 公众号文章收录 · 浙ICP备00000003号</div>
<script type="text/javascript">
var nickname = {json.dumps(a.source, ensure_ascii=False)};
var ct = "{ct}";
var msg_title = {json.dumps(a.title, ensure_ascii=False)};
</script>
{wx_runtime_script()}
<script src="/static/mp/appmsg.js"></script>
</body>
</html>
"""


def wx_txt(a: Article) -> str:
    rel = "\n".join(f"{r.title}\n{r.teaser}" for r in a.related)
    lead = f"{a.lead}\n\n" if a.lead else ""
    return (
        f"{a.title}\n\n{a.author} {a.source} {date_text(a)}\n\n点击上方蓝字 · 关注我们\n\n{lead}"
        f"{paragraphs_txt(a)}\n\n{' '.join('#' + t for t in a.tags)}\n\n你怎么看？欢迎在评论区留言讨论。\n\n— END —\n\n来源：{a.source}\n声明：本文仅供交流学习，转载请注明出处。\n\n"
        f"长按识别二维码 · 关注我们\n\n阅读原文  阅读 {views(a)}\n\n推荐阅读\n\n{rel}\n"
    )


# --- 5. portal: an industry portal (simplified); also used by the Traditional-script site ---

PORTAL_LABELS = {
    "simplified": {
        "nav": [
            "首页",
            "资讯",
            "智能制造",
            "新能源",
            "新材料",
            "医疗器械",
            "集成电路",
            "展会",
            "企业库",
        ],
        "where": "您的位置：",
        "home": "首页",
        "news": "资讯",
        "source": "来源",
        "read": "阅读",
        "editor": "编辑",
        "keywords": "关键词",
        "share": "分享到",
        "recommend": "推荐阅读",
        "disclaimer": "免责声明：本网转载作品均注明出处，转载目的在于传递更多信息，并不代表本网赞同其观点和对其真实性负责。如有侵权，请联系删除。",
        "subscribe": "扫码关注{name}微信公众号，获取更多产业资讯",
        "hotline": "商务合作/广告投放：010-00000000  邮箱：service@{domain}",
        "footer": "Copyright 2008-2025 {name} 版权所有 京ICP备00000004号 京公网安备00000000000004号",
        "link": "本文链接",
        "login": "登录",
        "register": "注册",
    },
    "traditional": {
        "nav": [
            "首頁",
            "新聞",
            "智慧製造",
            "新能源",
            "新材料",
            "醫療器材",
            "半導體",
            "展會",
            "企業庫",
        ],
        "where": "目前位置：",
        "home": "首頁",
        "news": "新聞",
        "source": "來源",
        "read": "閱讀",
        "editor": "編輯",
        "keywords": "關鍵字",
        "share": "分享到",
        "recommend": "推薦閱讀",
        "disclaimer": "免責聲明：本網轉載內容均註明出處，僅供讀者參考，不代表本網立場。如有侵權，請與本網聯絡刪除。",
        "subscribe": "掃描二維碼關注{name}，掌握兩岸產業動態",
        "hotline": "廣告及合作洽詢：02-0000-0000  電郵：service@{domain}",
        "footer": "Copyright 2012-2025 {name} 版權所有 轉載請註明出處",
        "link": "本文網址",
        "login": "登入",
        "register": "註冊",
    },
}


def portal_html_for(site_key: str) -> Callable[[Article], str]:
    def render(a: Article) -> str:
        site = SITES[site_key]
        lab = PORTAL_LABELS["traditional" if site_key == "twportal" else "simplified"]
        lang = "zh-Hant" if site_key == "twportal" else "zh-CN"
        url = site.url_for(a)
        nav = "".join(
            f'<li class="nav-li"><a href="/c{i}/">{n}</a></li>' for i, n in enumerate(lab["nav"])
        )
        rel = "\n".join(
            f'<dl class="tj-item"><dt><a href="{h(r.url)}" target="_blank">{h(r.title)}</a></dt>'
            f"<dd>{h(r.teaser)}</dd></dl>"
            for r in a.related
        )
        kws = "、".join(f'<a href="/search?kw={h(t)}">{h(t)}</a>' for t in a.tags)
        return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
{charset_meta(a)}<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{h(a.title)}-{h(a.category)}-{site.name}</title>
<meta name="keywords" content="{h(",".join(a.tags))}">
<meta name="description" content="{h(desc_of(a))}">
<link rel="stylesheet" href="/skin/css/article.css">
<script src="/skin/js/jquery.min.js"></script>
</head>
<body>
<div class="head-top"><div class="w1200"><span>{site.name}</span><a href="/member/login">{lab["login"]}</a> | <a href="/member/reg">{lab["register"]}</a></div></div>
<div class="head-nav"><div class="w1200"><ul class="nav-ul">{nav}</ul></div></div>
<div class="w1200 position">{lab["where"]}<a href="/">{lab["home"]}</a> &gt; <a href="/news/">{lab["news"]}</a> &gt; <a href="/news/hydt/">{h(a.category)}</a></div>
<div class="w1200 content-box clearfix">
<div class="left-box">
<div class="news-hd"><h1>{h(a.title)}</h1>
<p class="news-info">{date_text(a)} | {lab["source"]}：{h(a.source)} | {lab["read"]}：{views(a)} | {lab["editor"]}：{h(a.author)}</p></div>
<div class="news-bd">
{paragraphs_html(a, "　　")}
</div>
<p class="news-link">{lab["link"]}：{url}</p>
<div class="news-kw">{lab["keywords"]}：{kws}</div>
<div class="news-share">{lab["share"]}：<span class="bds_weixin">微信</span><span class="bds_tsina">微博</span></div>
<div class="news-mianze">{lab["disclaimer"]}</div>
<div class="news-tj"><h3>{lab["recommend"]}</h3>
{rel}
</div>
</div>
<div class="right-box"><div class="ad-box"><img src="/uploads/ad/qrcode.jpg" alt="qrcode"><p>{lab["subscribe"].format(name=site.name)}</p></div>
<div class="hot-box"><h4>{lab["news"]}</h4></div></div>
</div>
<div class="footer"><p>{lab["hotline"].format(domain=site.domain)}</p><p>{lab["footer"].format(name=site.name)}</p></div>
{analytics(site_key)}
</body>
</html>
"""

    return render


def portal_txt_for(site_key: str) -> Callable[[Article], str]:
    def render(a: Article) -> str:
        site = SITES[site_key]
        lab = PORTAL_LABELS["traditional" if site_key == "twportal" else "simplified"]
        rel = "\n".join(f"{r.title}\n{r.teaser}" for r in a.related)
        return (
            f"{lab['where']}{lab['home']} > {lab['news']} > {a.category}\n\n{a.title}\n\n"
            f"{date_text(a)} | {lab['source']}：{a.source} | {lab['read']}：{views(a)} | "
            f"{lab['editor']}：{a.author}\n\n{paragraphs_txt(a)}\n\n"
            f"{lab['link']}：{site.url_for(a)}\n{lab['keywords']}：{'、'.join(a.tags)}\n"
            f"{lab['share']}：\n\n{lab['disclaimer']}\n\n{lab['recommend']}\n\n{rel}\n\n"
            f"{lab['subscribe'].format(name=site.name)}\n{lab['footer'].format(name=site.name)}\n"
        )

    return render


SITES: dict[str, Site] = {
    "parknews": Site(
        "parknews",
        "示例产业园区招商网",
        "news.example-park-news.cn",
        park_html,
        park_txt,
        "http://news.example-park-news.cn/index.php/post/{n}.html",
    ),
    "gov": Site(
        "gov",
        "示例市投资促进局",
        "invest.example-gov.cn",
        gov_html,
        gov_txt,
        "http://invest.example-gov.cn/zsdt/xmqy/{ym}/t{ymd}_{n}.html",
        machine_time=lambda a: a.format == "html",  # <meta name="PubDate"> carries the time
    ),
    "scinews": Site(
        "scinews",
        "示例科技日报网",
        "www.example-sci-daily.cn",
        sci_html,
        sci_txt,
        "https://www.example-sci-daily.cn/chanye/{y_m}/{d}/content_{n}.htm",
        machine_time=lambda a: a.format == "html",  # article:published_time meta
    ),
    "wechat": Site(
        "wechat",
        "示例公众号文摘",
        "mp.example-wx-repost.cn",
        wx_html,
        wx_txt,
        "https://mp.example-wx-repost.cn/s/{hexid}",
        machine_time=lambda a: a.format == "html",  # WeChat's `var ct` unix timestamp
    ),
    "portal": Site(
        "portal",
        "示例高端制造网",
        "www.example-industry-portal.cn",
        portal_html_for("portal"),
        portal_txt_for("portal"),
        "https://www.example-industry-portal.cn/news/{ymd}/{n}.html",
    ),
    "twportal": Site(
        "twportal",
        "示例兩岸產經網",
        "www.example-cs-econ.tw",
        portal_html_for("twportal"),
        portal_txt_for("twportal"),
        "https://www.example-cs-econ.tw/news/{n}.html",
    ),
}


# ---------------------------------------------------------------------------- output


def render(a: Article) -> bytes:
    site = SITES[a.site]
    text = site.html(a) if a.format == "html" else site.txt(a)
    return text.encode(a.encoding)  # strict: an unencodable character is a source error


def manifest_entry(a: Article) -> dict:
    site = SITES[a.site]
    return {
        "file": f"pages/{a.filename}",
        "id": a.id,
        "site": a.site,
        "site_name": site.name,
        "format": a.format,
        "encoding": a.encoding,
        "declared_charset": a.encoding if a.declare_charset else None,
        "title": a.title,
        "title_simplified": a.title_simplified or a.title,
        "published": expected_published(a),
        "published_date": a.published.date().isoformat(),
        "published_text": date_text(a),
        "fetched_at": FETCHED_AT.isoformat(),
        "url": site.url_for(a),
        # WeChat articles show no breadcrumb, so a parser should find no category there.
        "category": None if a.site == "wechat" else a.category,
        "tags": a.tags,
        # On WeChat pages "原创" is a badge; the account (source) is then the author.
        "author": a.source if a.site == "wechat" and a.author == "原创" else a.author,
        "source": a.source,
        "n_related": len(a.related),
        "related_titles": [r.title for r in a.related],
        "repost_group": a.repost_group,
        "provinces": a.provinces,
        "chains": a.chains,
        "chain_ids": sorted({cid for c in a.chains for cid in CHAINS[c]}),
        "people": a.people,
        "stock_codes": a.stock_codes,
        "body_chars": body_chars(a),
        "body_first": (a.lead or a.body[0])[:24],  # a repost's lead is part of its body
        "body_last": a.body[-1][-24:],
    }


def build(src_dir: Path = SRC_DIR) -> dict[Path, bytes]:
    """Return every output file (relative to ROOT) with its bytes. Pure apart from reading."""
    corpus, fixtures = load_sources(src_dir)
    validate(corpus + fixtures)
    resolve_related(corpus)
    out: dict[Path, bytes] = {}
    for a in corpus:
        out[Path("chainatlas/data/demo/pages") / a.filename] = render(a)
    manifest = {
        "about": "Golden expectations for chainatlas/data/demo/pages; generated by "
        "scripts/build_demo_corpus.py from scripts/demo_src/*.toml. Do not edit by hand.",
        "fetched_at": FETCHED_AT.isoformat(),
        "timezone": "Asia/Shanghai",
        "sites": {k: {"name": s.name, "domain": s.domain} for k, s in SITES.items()},
        "hard_negatives": load_meta(src_dir).get("hard_negatives", {}),
        "pages": [manifest_entry(a) for a in corpus],
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
    out[Path("chainatlas/data/demo/manifest.json")] = text.encode("utf-8")
    for a in fixtures:
        for fmt in ("txt", "html"):
            out[Path("tests/fixtures") / f"{a.slug}.{fmt}"] = render(replace(a, format=fmt))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    files = build()
    pages_dir = ROOT / "chainatlas/data/demo/pages"
    if args.check:
        stale = [
            p
            for p, data in files.items()
            if not (ROOT / p).is_file() or (ROOT / p).read_bytes() != data
        ]
        extra = {p.relative_to(ROOT) for p in pages_dir.glob("*")} - set(files)
        for p in sorted(stale) + sorted(extra):
            print(f"out of date: {p}")
        return 1 if stale or extra else 0
    pages_dir.mkdir(parents=True, exist_ok=True)
    for old in pages_dir.glob("*"):  # the pages folder is wholly generated
        if old.relative_to(ROOT) not in files:
            old.unlink()
    for rel, data in files.items():
        (ROOT / rel).parent.mkdir(parents=True, exist_ok=True)
        (ROOT / rel).write_bytes(data)
    n_pages = sum(1 for p in files if p.parts[-2] == "pages")
    print(f"wrote {n_pages} pages, manifest and {len(files) - n_pages - 1} fixture files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
