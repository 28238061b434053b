"""Parse an HTML article page into a `ParsedPage`.

The page is parsed once with lxml. Our own metadata (breadcrumb, tags, permalink,
related-article links, the glued meta line under the title) is read from that tree
with a few compiled XPaths; the related-articles blocks are then cut out of the tree
and trafilatura extracts the main text and its metadata from it. trafilatura copies a
tree it is given (see `bare_extraction`), so our tree stays ours. The body text is
finally filtered line by line against the boilerplate patterns.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement
from trafilatura import bare_extraction, extract_metadata
from trafilatura.settings import Document
from trafilatura.utils import load_html

from chainatlas.ingest.boilerplate import (
    category_from_breadcrumb,
    classify_line,
    clean_line,
    filter_lines,
    is_related_heading,
    split_breadcrumb,
    split_tags,
)
from chainatlas.ingest.dates import find_date, parse_date
from chainatlas.ingest.records import Link, ParsedPage
from chainatlas.ingest.text_page import (
    AUTHOR_LABEL_RE,
    MetaLine,
    parse_meta_line,
    parse_text_dump,
    site_from_notice,
)

__all__ = ["TRAFILATURA_OPTIONS", "parse_html"]

# trafilatura's own metadata pass costs ~2.5x its text extraction on 50-150 KB pages, so we
# read metadata ourselves and ask it for text only (scripts/measure_parse_speed.py).
# `chainatlas bench ingest` times trafilatura alone with these same options.
TRAFILATURA_OPTIONS = {"with_metadata": False, "include_comments": False, "fast": True}

# trafilatura logs a warning for every page it discards; that is our warning to report.
logging.getLogger("trafilatura").setLevel(logging.ERROR)

# Below this many characters trafilatura's body is "nothing useful" and the simple
# paragraph fallback is tried; a short real notice (one or two sentences) is ~50+ chars.
_MIN_USEFUL_BODY = 50
_MAX_TITLE_LEN = 150
_MAX_INFO_LEN = 120
_MAX_CRUMB_LEN = 300
_MAX_NOTICE_LEN = 300
# A meta line repeated inside the body is short; a dated body sentence is longer.
_MAX_BODY_META_LEN = 60

_TAG_LABELS = ("标签", "標籤", "关键词", "关键字", "關鍵字", "主题词", "Tags", "TAG")
_PERMALINK_LABELS = ("本文链接", "原文链接", "本文地址", "本文網址", "原文連結", "本文連結")
_CRUMB_LABELS = ("当前位置", "當前位置", "您的位置", "你的位置", "您现在的位置", "目前位置")
_NOTICE_LABELS = ("版权声明", "Copyright", "©")
# A writer outranks an editor: 作者 / 记者 name who wrote it, 编辑 who handled it.
_AUTHOR_RANK = ("作者", "记者", "記者", "责任编辑", "責任編輯", "编辑", "編輯")
_LABEL_PREFIXES = _TAG_LABELS + _PERMALINK_LABELS + _CRUMB_LABELS + _NOTICE_LABELS
_RELATED_HINTS = (
    "相关",
    "推荐阅读",
    "延伸阅读",
    "猜你喜欢",
    "热门",
    "最新",
    "喜欢此内容",
    "相關",
    "推薦閱讀",
    "延伸閱讀",
    "熱門",
)
# One pass over the body's text nodes with a compiled regex: measured 5x faster than an
# XPath predicate with starts-with(normalize-space()) per label on 50-150 KB pages.
_BODY_TEXT_XP = etree.XPath("//body//text()")
_LABEL_HINT_RE = re.compile(
    "|".join(map(re.escape, (*_LABEL_PREFIXES, *_AUTHOR_RANK, *_RELATED_HINTS, "#")))
)
_META_XP = etree.XPath("//meta[@content]")
_CANONICAL_XP = etree.XPath(
    "//link[@href][contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"
)
_TITLE_XP = etree.XPath("//title")
_H1_XP = etree.XPath("//body//h1")
_HEADING_XP = etree.XPath("(//body//h1 | //body//h2 | //body//h3)[position() <= 12]")
_CRUMB_XP = etree.XPath(
    "//*[contains(@class, 'crumb') or contains(@id, 'crumb') or contains(@class, 'position')"
    " or contains(@id, 'position') or contains(@class, 'location') or contains(@class, 'place')]"
)
_TIME_XP = etree.XPath("//time[@datetime]/@datetime")
# WeChat official-account pages (and their mirrors): the author sits in a meta text span,
# the account name in #js_name; "原创" is a badge, not a name.
_WX_AUTHOR_XP = etree.XPath(
    "//*[@id='meta_content']//span[contains(@class, 'rich_media_meta_text')]"
)
_WX_ACCOUNT_XP = etree.XPath("//*[@id='js_name']")
_WX_TIME_XP = etree.XPath("//*[@id='publish_time']")
_WX_CHROME_XP = etree.XPath(
    "//*[@id='meta_content'] | //*[contains(concat(' ', @class, ' '), ' rich_media_tool ')]"
)
_WX_BADGES = frozenset({"原创", "转载", "精选"})
_PARA_XP = etree.XPath("//body//p")
_ITEM_XP = etree.XPath(".//li")
_ANCHOR_XP = etree.XPath(".//a[@href]")
_TEASER_XP = etree.XPath(".//p | .//*[contains(@class, 'desc') or contains(@class, 'summary')]")

_TITLE_SPLIT_RE = re.compile(r"\s*(?:_|\||｜| - | – | — |-{1,2}|—)\s*")
_PERMALINK_RE = re.compile(
    r"(?:本文链接|原文链接|本文地址|本文網址|原文連結|本文連結)\s*[:：]\s*(?P<url>\S+)"
)
_KEYWORD_SPLIT_RE = re.compile(r"[,，、;；|｜]+")


_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "og:release_date",
    "pubdate",
    "publishdate",
    "publish_date",
    "publishtime",
    "publish_time",
    "pubtime",
    "datepublished",
    "dc.date",
    "dc.date.issued",
    "date",
)


@dataclass(slots=True)
class _OwnMeta:
    """Metadata we read from the tree before trafilatura sees it."""

    meta: dict[str, str] = field(default_factory=dict)
    h1: str | None = None
    title_tag: str | None = None
    canonical: str | None = None
    breadcrumb: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    author: str | None = None
    author_rank: int = 99  # index in _AUTHOR_RANK of the label the author came from
    wechat_author: str | None = None
    permalink: str | None = None
    site_notice: str | None = None
    related_headings: list[HtmlElement] = field(default_factory=list)
    times: list[str] = field(default_factory=list)  # <time datetime=...> values
    hashtags: list[str] = field(default_factory=list)


def _text(el: HtmlElement) -> str:
    # Inline tags inside Chinese text carry no word boundary, so join without spaces.
    return " ".join("".join(el.itertext()).split())


def _read_meta(tree: HtmlElement) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in _META_XP(tree):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = clean_line(el.get("content", ""))
        if key and value:
            meta.setdefault(key, value)
    return meta


def _crumb_items(el: HtmlElement) -> list[str]:
    items = split_breadcrumb(_text(el)[:_MAX_CRUMB_LEN])
    anchors = [a for a in (clean_line(a.text_content()) for a in el.iter("a")) if a]
    # Some themes put no separator text between the links; then the links are the items.
    return anchors if len(items) < len(anchors) else items


def _read_labels(tree: HtmlElement, own: _OwnMeta) -> None:
    """Tags, author, permalink, breadcrumb and related headings from labelled text nodes."""
    hint = _LABEL_HINT_RE.search
    for node in _BODY_TEXT_XP(tree):
        if not hint(node):
            continue
        label = clean_line(str(node))
        related = is_related_heading(label)
        author = AUTHOR_LABEL_RE.search(label) if len(label) <= _MAX_INFO_LEN else None
        if author is None and label.rstrip(":： ") in _AUTHOR_RANK and node.getparent() is not None:
            # "<span>作者：</span><a>张三</a>": the name sits in the next element.
            author = AUTHOR_LABEL_RE.search(_text(node.getparent().getparent())[:_MAX_INFO_LEN])
        if label.startswith("#"):
            # A hashtag line (#储能 #电池), as WeChat reposts end with.
            if not own.hashtags and classify_line(label) == "tags":
                own.hashtags = split_tags(label)
            continue
        if not (related or author or label.startswith(_LABEL_PREFIXES)):
            continue
        parent = node.getparent()
        if parent is not None and node.is_tail:
            # A tail belongs to the element before it; the label's scope is that parent.
            parent = parent.getparent()
        if parent is None:
            continue
        if related:
            own.related_headings.append(parent)
        elif author:
            _take_author(own, author)
        elif label.startswith(_TAG_LABELS) and not own.tags:
            anchors = [clean_line(a.text_content()) for a in parent.iter("a")]
            own.tags = [a for a in anchors if a] or split_tags(_text(parent))
        elif label.startswith(_PERMALINK_LABELS) and own.permalink is None:
            m = _PERMALINK_RE.search(_text(parent))
            hrefs = [a.get("href") for a in parent.iter("a") if a.get("href")]
            own.permalink = hrefs[0] if hrefs else (m["url"] if m else None)
        elif label.startswith(_CRUMB_LABELS) and not own.breadcrumb:
            own.breadcrumb = _crumb_items(parent)
        elif label.startswith(_NOTICE_LABELS) and own.site_notice is None:
            own.site_notice = site_from_notice(_text(parent)[:_MAX_NOTICE_LEN])


def _take_author(own: _OwnMeta, match: re.Match[str]) -> None:
    label = match.group(0)
    rank = next((i for i, lab in enumerate(_AUTHOR_RANK) if label.startswith(lab)), 99)
    if rank < own.author_rank:
        own.author, own.author_rank = match["name"], rank


def _read_own(tree: HtmlElement) -> _OwnMeta:
    own = _OwnMeta(meta=_read_meta(tree))
    titles = _TITLE_XP(tree)
    if titles:
        own.title_tag = clean_line(titles[0].text_content()) or None
    for h1 in _H1_XP(tree):
        text = _text(h1)
        if 4 <= len(text) <= _MAX_TITLE_LEN:
            own.h1 = text
            break
    canon = _CANONICAL_XP(tree)
    if canon:
        own.canonical = canon[0].strip() or None
    own.times = [str(t) for t in _TIME_XP(tree)[:3]]
    own.wechat_author = _wechat_author(tree)
    # Read before the WeChat meta strip is cut out of the tree.
    own.times[:0] = [t for t in (_text(el) for el in _WX_TIME_XP(tree)) if t]
    _read_labels(tree, own)
    if not own.breadcrumb:
        for el in _CRUMB_XP(tree):
            items = _crumb_items(el)
            if len(items) >= 2:
                own.breadcrumb = items
                break
    return own


def _title_parts(title_tag: str | None) -> tuple[str | None, str | None]:
    """Split `<title>` into (headline, site) on `_`, `-`, `|`."""
    if not title_tag:
        return None, None
    parts = [p for p in _TITLE_SPLIT_RE.split(title_tag) if p]
    if len(parts) >= 2:
        return parts[0], parts[-1]
    return title_tag, None


def _related_links(own: _OwnMeta, base_url: str | None) -> tuple[list[Link], list[HtmlElement]]:
    """Links of each related-articles block and the elements to cut from the tree."""
    links: list[Link] = []
    cut: list[HtmlElement] = []
    seen: set[str] = set()
    for heading in own.related_headings:
        containers = _list_after(heading)
        if not containers:
            continue
        for container in containers:
            for link in _links_in(container, base_url):
                if link.title not in seen:
                    seen.add(link.title)
                    links.append(link)
        cut.append(heading)
        cut.extend(containers)
    return links, cut


def _list_after(heading: HtmlElement) -> list[HtmlElement]:
    """The list that follows a heading, climbing at most two levels to find it."""
    node: HtmlElement | None = heading
    for _ in range(3):
        if node is None or node.tag in ("body", "html"):
            return []
        found = []
        for sib in node.itersiblings():
            if not isinstance(sib.tag, str):
                continue
            if sib.tag in ("h1", "h2", "h3", "h4") or not _ANCHOR_XP(sib):
                break
            found.append(sib)
        if found and _mostly_links(found):
            return found
        node = node.getparent()
    return []


def _mostly_links(els: list[HtmlElement]) -> bool:
    """Guard against cutting the article body: a link list is mostly titles and teasers."""
    total = sum(len(_text(e)) for e in els)
    paras_without_links = sum(
        1 for e in els for p in e.iter("p") if not p.find(".//a") and len(_text(p)) > 200
    )
    anchors = sum(len(_ANCHOR_XP(e)) for e in els)
    return total > 0 and anchors > 0 and paras_without_links <= anchors


def _links_in(container: HtmlElement, base_url: str | None) -> list[Link]:
    items = _ITEM_XP(container) or [container]
    out: list[Link] = []
    for item in items:
        anchors = _ANCHOR_XP(item)
        if not anchors:
            continue
        groups = [anchors] if item is not container else [[a] for a in anchors]
        for group in groups:
            title, href = None, None
            for a in group:
                text = clean_line(a.text_content()) or clean_line(a.get("title", ""))
                if not text:
                    img = a.find(".//img")
                    text = clean_line(img.get("alt", "")) if img is not None else ""
                if text:
                    title, href = text, a.get("href")
                    break
            if not title:
                continue
            teaser = None
            if item is not container:
                for t in _TEASER_XP(item):
                    candidate = _text(t)
                    if candidate and candidate != title:
                        teaser = candidate
                        break
            url = urljoin(base_url, href) if base_url and href else href
            out.append(Link(title=title, url=url, teaser=teaser))
    return out


def _cut(elements: list[HtmlElement]) -> None:
    for el in elements:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the element's tail text in the document


def _fallback_lines(tree: HtmlElement) -> list[str]:
    """Plain paragraphs, or the body's text lines when the page has no <p>."""
    paras = [_text(p) for p in _PARA_XP(tree)]
    paras = [p for p in paras if p]
    if paras:
        return paras
    body = tree.find(".//body")
    root = body if body is not None else tree
    return [line for line in (clean_line(t) for t in root.itertext()) if line]


def _host(url: str | None) -> str | None:
    return (urlsplit(url).hostname or None) if url else None


def parse_html(html: str, *, url: str | None = None, fetched_at: datetime) -> ParsedPage:
    """Parse one HTML page. Pure: no I/O; never raises on malformed input."""
    try:
        tree = load_html(html)
    except Exception as exc:  # lxml can raise on pathological input
        tree = None
        parse_error = f"{type(exc).__name__}: {exc}"
    else:
        parse_error = None
    if tree is None:
        return _from_stripped_text(html, url=url, fetched_at=fetched_at, reason=parse_error)

    own = _read_own(tree)
    page = ParsedPage(title=None, text="")
    links, cut = _related_links(own, url)
    # WeChat meta strip (badge, account, time) and toolbar are chrome, not article text.
    cut.extend(_WX_CHROME_XP(tree))
    _cut(cut)
    page.links = links
    for el in cut:
        page.boilerplate.extend(line for line in (clean_line(t) for t in el.itertext()) if line)

    info = _info_line(tree, own, fetched_at)
    # Metadata off: trafilatura's metadata pass (htmldate's date search above all) costs
    # about 2.5x its text extraction on 50-150 KB pages; ours covers the usual fields and
    # trafilatura's is only consulted below when ours misses the title or the date.
    try:
        doc = bare_extraction(tree, url=url, **TRAFILATURA_OPTIONS)
    except Exception as exc:  # a parser must degrade, not crash the batch
        doc = None
        page.warnings.append(f"trafilatura failed: {type(exc).__name__}: {exc}")

    _fill_metadata(page, own, info, url=url, fetched_at=fetched_at)
    _fill_body(page, tree, doc, info, fetched_at)
    if not page.tags:
        # A hashtag line (#储能 #电池) stripped from the body beats <meta name="keywords">.
        hashtags = [line for line in page.boilerplate if line.startswith("#")]
        page.tags = (
            own.hashtags
            or (split_tags(hashtags[0]) if hashtags else [])
            or _meta_list(own.meta, "article:tag")
            or _meta_list(own.meta, "keywords")
        )
    if page.title is None or page.published_at is None:
        _fill_missing_from_trafilatura(page, tree, url=url, fetched_at=fetched_at)
    if page.title is None:
        page.warnings.append("no title found")
    if page.published_at is None:
        page.warnings.append("no date found")
    return page


def _fill_missing_from_trafilatura(
    page: ParsedPage, tree: HtmlElement, *, url: str | None, fetched_at: datetime
) -> None:
    """Second opinion for fields our own rules missed (called after the body is taken)."""
    try:
        doc = extract_metadata(tree, default_url=url)
    except Exception as exc:
        page.warnings.append(f"trafilatura metadata failed: {type(exc).__name__}: {exc}")
        return
    if page.title is None and doc.title:
        page.title = clean_line(doc.title)
    if page.published_at is None and doc.date:
        value = parse_date(doc.date, fetched_at=fetched_at)
        if value is not None:
            page.published_at, page.published_raw = value, doc.date
    page.author = page.author or doc.author
    if doc.sitename and (page.site is None or page.site == _host(url)):
        page.site = doc.sitename
    if page.category is None and doc.categories:
        page.category = doc.categories[0]
    if not page.tags and doc.tags:
        page.tags = list(doc.tags)


def _wechat_author(tree: HtmlElement) -> str | None:
    accounts = _WX_ACCOUNT_XP(tree)
    if not accounts:
        return None
    for span in _WX_AUTHOR_XP(tree):
        name = _text(span)
        if name and name not in _WX_BADGES:
            return name
    return _text(accounts[0]) or None


def _info_line(tree: HtmlElement, own: _OwnMeta, fetched_at: datetime) -> str | None:
    """The short line near the title with author/date/category (`admin 4个月前 (09-21) ...`)."""
    head, _ = _title_parts(own.title_tag)
    wanted = {t for t in (own.h1, head, own.meta.get("og:title")) if t}
    node = next((h for h in _HEADING_XP(tree) if _text(h) in wanted), None)
    for _ in range(3):
        if node is None:
            break
        for sib in node.itersiblings():
            if not isinstance(sib.tag, str):
                continue
            text = _text(sib)
            if len(text) > _MAX_INFO_LEN:
                break
            # A sentence that mentions a date is body text, not the meta line.
            if text and not text.endswith("。") and find_date(text, fetched_at=fetched_at):
                return text
        node = node.getparent()
    return None


def _fill_metadata(
    page: ParsedPage,
    own: _OwnMeta,
    info: str | None,
    *,
    url: str | None,
    fetched_at: datetime,
) -> None:
    meta = own.meta
    head, title_site = _title_parts(own.title_tag)
    site = meta.get("og:site_name") or title_site or own.site_notice
    page.site = site or _host(url)
    h1 = own.h1 if own.h1 and own.h1 != page.site else None
    page.title = h1 or meta.get("og:title") or head

    page.breadcrumb = own.breadcrumb
    page.category = category_from_breadcrumb(own.breadcrumb)

    meta_line = (
        parse_meta_line(info, fetched_at=fetched_at, known_category=page.category) if info else None
    )
    if page.category is None and meta_line is not None:
        page.category = meta_line.category

    page.tags = own.tags

    page.author = (
        own.wechat_author
        or (meta_line.author if meta_line else None)
        or own.author
        or meta.get("author")
        or meta.get("article:author")
    )

    canonical = own.canonical or meta.get("og:url") or own.permalink
    page.url = urljoin(url, canonical) if canonical and url else canonical

    _fill_date(page, meta, meta_line, own.times, fetched_at)


def _meta_list(meta: dict[str, str], key: str) -> list[str]:
    value = meta.get(key)
    if not value:
        return []
    return [t for t in (clean_line(v) for v in _KEYWORD_SPLIT_RE.split(value)) if t]


def _fill_date(
    page: ParsedPage,
    meta: dict[str, str],
    meta_line: MetaLine | None,
    own_times: list[str],
    fetched_at: datetime,
) -> None:
    for key in _PUBLISHED_META:
        raw = meta.get(key)
        if raw:
            value = parse_date(raw, fetched_at=fetched_at)
            if value is not None:
                page.published_at, page.published_raw = value, raw
                return
    if meta_line is not None and meta_line.published_at is not None:
        page.published_at, page.published_raw = meta_line.published_at, meta_line.published_raw
        return
    for raw in own_times:
        value = parse_date(raw, fetched_at=fetched_at)
        if value is not None:
            page.published_at, page.published_raw = value, raw
            return


def _fill_body(
    page: ParsedPage,
    tree: HtmlElement,
    doc: Document | None,
    info: str | None,
    fetched_at: datetime,
) -> None:
    raw = getattr(doc, "text", None) if doc is not None else None
    kept, removed = _clean_body(raw.split("\n") if raw else [], page, info, fetched_at)
    if sum(len(k) for k in kept) < _MIN_USEFUL_BODY:
        fb_kept, fb_removed = _clean_body(_fallback_lines(tree), page, info, fetched_at)
        if sum(len(k) for k in fb_kept) > sum(len(k) for k in kept):
            kept, removed = fb_kept, fb_removed
            page.warnings.append("main-text extractor found little; used paragraph fallback")
    page.boilerplate.extend(removed)
    page.text = "\n\n".join(kept)
    if not page.text:
        page.warnings.append("no body text")


def _clean_body(
    lines: list[str], page: ParsedPage, info: str | None, fetched_at: datetime
) -> tuple[list[str], list[str]]:
    filtered = filter_lines(lines)
    link_text = {link.title for link in page.links}
    link_text.update(link.teaser for link in page.links if link.teaser)
    drop = {page.title, info} | link_text
    drop.discard(None)
    kept: list[str] = []
    for line in filtered.kept:
        is_meta = (
            len(kept) < 3
            and len(line) <= _MAX_BODY_META_LEN
            and parse_meta_line(line, fetched_at=fetched_at, known_category=page.category)
            is not None
        )
        if line in drop or is_meta:
            filtered.removed.append(line)
        else:
            kept.append(line)
    return kept, filtered.removed


def _from_stripped_text(
    html: str, *, url: str | None, fetched_at: datetime, reason: str | None
) -> ParsedPage:
    """Last resort for input lxml cannot read as HTML: strip tags, parse as a text dump."""
    text = re.sub(r"<[^>]*>", "\n", html or "")
    page = parse_text_dump(text, url=url, fetched_at=fetched_at)
    page.warnings.insert(0, "not parseable as HTML" + (f" ({reason})" if reason else ""))
    return page
