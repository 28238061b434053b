"""Parse a plain-text dump of a Chinese article page into a `ParsedPage`.

A dump is what "save as text" or a crawler's text mode yields: breadcrumb line, title,
a meta line (author, date, category, views, often glued together), the body, a footer
of contact ads / QR prompts / copyright / permalink / tags, then a related-articles
block where each item shows its title twice followed by a teaser ending in `...`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from chainatlas.ingest.boilerplate import (
    category_from_breadcrumb,
    classify_line,
    clean_line,
    is_related_heading,
    split_breadcrumb,
    split_tags,
)
from chainatlas.ingest.dates import find_date
from chainatlas.ingest.records import Link, ParsedPage

__all__ = ["AUTHOR_LABEL_RE", "MetaLine", "parse_meta_line", "parse_text_dump", "site_from_notice"]

# A title longer than this is a paragraph, not a headline.
_MAX_TITLE_LEN = 80
# Meta lines (author + date + category + views) are short; body sentences with a date are not.
_MAX_META_LEN = 120
# Footer junk that matches no pattern (a bare name, a number) is short and unpunctuated.
_MAX_FOOTER_JUNK_LEN = 25
_SENTENCE_END = ("。", "！", "？", "!", "?", "”", "…", "...")
_ELLIPSIS = ("...", "…", "……", "。。。")

_NAME = r"[^\s:：|｜/()（）\[\]]"
# "作者：本报记者 林晓" keeps both tokens; "作者：张三 发布时间：…" stops before the next label.
AUTHOR_LABEL_RE = re.compile(
    r"(?:作者|记者|責任編輯|责任编辑|编辑|編輯|記者|发布者|发布人|撰稿)\s*[:：]\s*"
    rf"(?P<name>{_NAME}{{1,20}}(?: (?!{_NAME}*[:：]){_NAME}{{1,10}}(?!{_NAME}|\s*[:：]))?)"
)
_LABEL_RE = re.compile(r"(?:来源|作者|记者|编辑|发布|时间|日期|浏览|阅读|点击)\s*[:：]")
_LABEL_TAIL_RE = re.compile(
    r"(?:来源|作者|记者|责任编辑|编辑|发布者|发布人|发布时间|发布日期|更新时间|时间|日期|"
    r"浏览|阅读|点击)(?:量|次数)?\s*[:：]?\s*$"
)
_VIEWS_TAIL_RE = re.compile(r"^(?P<rest>.*?)(?P<views>\d+)\s*(?:次|人)?(?:阅读|浏览|views?)?$")
_PERMALINK_RE = re.compile(
    r"^(?:本文链接|原文链接|本文地址|文章链接|原文地址|本文網址|原文連結|本文連結)\s*[:：]\s*(?P<url>\S+)"
)
_NOTICE_SITE_RES = (
    re.compile(r"本文由\s*(?P<site>[^\s,，。:：]{2,30}?)\s*(?:发布|原创|整理|编辑)"),
    # "Copyright 2008-2025 <站名> 版权所有" or just "<站名> 版权所有".
    re.compile(
        r"(?:^|Copyright|©|\d{4})\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?"
        r"(?P<site>[^\s\d,，。:：©]{2,20})\s*版权所有",
        re.IGNORECASE,
    ),
)
_HOST_ORG_RE = re.compile(r"^主办单位\s*[:：]\s*(?P<site>[^\s,，。|｜]{2,30})")
_SEPARATORS = " |｜·•/:：-—"


@dataclass(frozen=True, slots=True)
class MetaLine:
    """What a meta line under the title says."""

    author: str | None = None
    published_at: datetime | None = None
    published_raw: str | None = None
    category: str | None = None
    views: int | None = None


def parse_meta_line(
    line: str, *, fetched_at: datetime, known_category: str | None = None
) -> MetaLine | None:
    """Read author / date / category / view count from a meta line, glued or labelled.

    Returns None when the line holds no date (then it is not a meta line).
    """
    line = clean_line(line)
    # A full sentence that happens to carry a date ("2024年，园区……。") is body text.
    if not line or len(line) > _MAX_META_LEN or line.endswith(("。", "！", "？")):
        return None
    found = find_date(line, fetched_at=fetched_at)
    if found is None:
        return None
    if _LABEL_RE.search(line):
        m = AUTHOR_LABEL_RE.search(line)
        author = m["name"] if m else None
        views_m = re.search(r"(?:浏览|阅读|点击)(?:量|次数)?\s*[:：]?\s*(\d+)", line)
        return MetaLine(
            author=author,
            published_at=found.value,
            published_raw=found.raw,
            category=known_category,
            views=int(views_m.group(1)) if views_m else None,
        )
    # Glued form: <author><date><category><views>, e.g. "admin4个月前 (09-21)资讯12".
    prefix = _LABEL_TAIL_RE.sub("", line[: found.start]).strip(_SEPARATORS)
    suffix = line[found.end :].strip(_SEPARATORS)
    author = prefix if 0 < len(prefix) <= 20 else None
    category, views = None, None
    if known_category and suffix.startswith(known_category):
        category = known_category
        suffix = suffix[len(known_category) :].strip(_SEPARATORS)
    m = _VIEWS_TAIL_RE.match(suffix)
    if m is not None:
        views = int(m["views"])
        suffix = m["rest"].strip(_SEPARATORS)
    if category is None and suffix and len(suffix) <= 20:
        category = suffix
    return MetaLine(author, found.value, found.raw, category, views)


def site_from_notice(line: str) -> str | None:
    """Site name from a notice such as `本文由<站名>发布`."""
    for regex in _NOTICE_SITE_RES:
        m = regex.search(line)
        if m:
            return m["site"]
    return None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    return host or None


def _is_footer_junk(line: str) -> bool:
    return len(line) <= _MAX_FOOTER_JUNK_LEN and not line.endswith(_SENTENCE_END)


def _footer_start(lines: list[str], kinds: list[str | None], start: int, end: int) -> int:
    """Index where the trailing footer begins (a boilerplate line followed only by furniture)."""
    footer = end
    for i in range(end - 1, start - 1, -1):
        if kinds[i] is not None:
            footer = i
        elif not _is_footer_junk(lines[i]):
            break
    return footer


def _parse_related(lines: list[str], start: int, end: int) -> tuple[list[Link], list[str]]:
    """Links from a related-articles block; returns (links, lines that were not items)."""
    links: list[Link] = []
    leftovers: list[str] = []
    i = start
    while i < end:
        line = lines[i]
        if is_related_heading(line):
            leftovers.append(line)
            i += 1
            continue
        if line.endswith(_ELLIPSIS) and links and links[-1].teaser is None:
            links[-1] = Link(links[-1].title, links[-1].url, line)
        elif len(line) <= _MAX_TITLE_LEN and classify_line(line) is None:
            links.append(Link(title=line))
            # Dumps repeat each title (thumbnail alt text, then the heading link).
            if i + 1 < end and lines[i + 1] == line:
                i += 1
        else:
            leftovers.append(line)
        i += 1
    return links, leftovers


def parse_text_dump(text: str, *, url: str | None = None, fetched_at: datetime) -> ParsedPage:
    """Parse a plain-text page dump. Pure: no I/O, never raises on odd input."""
    lines = [c for c in (clean_line(raw) for raw in text.splitlines()) if c]
    page = ParsedPage(title=None, text="")
    if not lines:
        page.warnings.append("empty text dump")
        page.site = _host(url)
        return page
    kinds = [classify_line(line) for line in lines]

    i = 0
    # Breadcrumb: a nav line among the first few lines.
    for j in range(min(3, len(lines))):
        if kinds[j] == "nav" and (">" in lines[j] or "＞" in lines[j] or "»" in lines[j]):
            page.breadcrumb = split_breadcrumb(lines[j])
            page.category = category_from_breadcrumb(page.breadcrumb)
            page.boilerplate.extend(lines[: j + 1])
            i = j + 1
            break

    # Title: first substantial non-furniture line.
    while i < len(lines) and kinds[i] is not None:
        page.boilerplate.append(lines[i])
        i += 1
    if i < len(lines) and len(lines[i]) <= _MAX_TITLE_LEN and not lines[i].endswith("。"):
        page.title = lines[i]
        i += 1
    else:
        page.warnings.append("no title line found")

    # Meta line: within the next few lines.
    for j in range(i, min(i + 3, len(lines))):
        meta = parse_meta_line(lines[j], fetched_at=fetched_at, known_category=page.category)
        if meta is not None:
            page.author = meta.author
            page.published_at, page.published_raw = meta.published_at, meta.published_raw
            if page.category is None:
                page.category = meta.category
            page.boilerplate.extend(lines[i : j + 1])
            i = j + 1
            break
    else:
        page.warnings.append("no date found")

    related = next(
        (j for j in range(i, len(lines)) if kinds[j] == "related"),
        len(lines),
    )
    footer = _footer_start(lines, kinds, i, related)

    body: list[str] = []
    for j in range(i, related):
        line = lines[j]
        if j < footer and kinds[j] is None:
            body.append(line)
            continue
        page.boilerplate.append(line)
        _read_footer_line(page, line, kinds[j])

    links, leftovers = _parse_related(lines, related, len(lines))
    page.links = links
    page.boilerplate.extend(leftovers)
    for line in leftovers:
        _read_footer_line(page, line, classify_line(line))

    page.text = "\n\n".join(body)
    if not page.text:
        page.warnings.append("no body text")
    page.site = page.site or _host(url) or _host(page.url)
    return page


def _read_footer_line(page: ParsedPage, line: str, kind: str | None) -> None:
    """Harvest metadata (permalink, tags, site name) from a stripped footer line."""
    if kind == "permalink" and page.url is None:
        m = _PERMALINK_RE.match(line)
        if m:
            page.url = m["url"]
    elif kind == "tags" and not page.tags:
        page.tags = split_tags(line)
    elif kind in ("copyright", "icp") and page.site is None:
        page.site = site_from_notice(line)
    elif kind == "footer" and page.site is None:
        m = _HOST_ORG_RE.match(line)
        page.site = m["site"] if m else None
