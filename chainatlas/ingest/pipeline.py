"""RawItem → PreparedDocument: decode, parse, normalise, hash. Pure: no store, no network.

This is the unit that runs in worker processes; the store write happens separately
(`chainatlas.store.documents.save`) so one document is one transaction.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime

from chainatlas.ingest import dedup
from chainatlas.ingest.html_page import parse_html
from chainatlas.ingest.records import ParsedPage, RawItem
from chainatlas.ingest.text_page import parse_text_dump
from chainatlas.settings import IngestSettings
from chainatlas.text.encoding import BinaryContentError, decode
from chainatlas.text.normalize import normalize

# Bump when parsing changes what a document contains; stored with every document.
PARSER_VERSION = "ingest.v1"

_HTML_START = re.compile(
    r"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|div|p|article)\b",
    re.I | re.S,
)
_HTML_OPEN = re.compile(r"<(html|body)\b", re.I)
_HTML_CLOSE = re.compile(r"</(html|body)\s*>", re.I)


class RejectedInput(ValueError):
    """Input that cannot become a document; the message is the one line the user sees."""


@dataclass(slots=True)
class PreparedDocument:
    """Everything the store needs to persist one document, computed off the store."""

    source: str
    kind: str
    raw_sha256: str
    fetched_at: datetime
    id: str
    content_hash: str
    url: str | None
    site: str | None
    title: str | None
    norm_title: str | None
    published_at: datetime | None
    published_raw: str | None
    category: str | None
    breadcrumb: list[str]
    tags: list[str]
    author: str | None
    text: str
    norm_text: str
    script: str
    encoding: str
    links: list[dict]
    boilerplate: list[str]
    warnings: list[str]
    signature: bytes | None
    band_keys: list[int] = field(default_factory=list)
    parser_version: str = PARSER_VERSION


def looks_like_html(text: str, content_type: str | None = None) -> bool:
    if content_type and "html" in content_type.lower():
        return True
    return bool(_HTML_START.match(text[:2048]))


def check_complete_html(html: str) -> None:
    """A page that opens <html>/<body> but never closes either was cut off in transit."""
    tail = html[-4096:]
    if _HTML_OPEN.search(html[:8192]) and not _HTML_CLOSE.search(tail):
        raise RejectedInput("truncated HTML: the page opens <html>/<body> but never closes it")


def parse(raw: RawItem, text: str) -> ParsedPage:
    if looks_like_html(text, raw.content_type):
        check_complete_html(text)
        return parse_html(text, url=raw.url, fetched_at=raw.fetched_at)
    return parse_text_dump(text, url=raw.url, fetched_at=raw.fetched_at)


def prepare(raw: RawItem, settings: IngestSettings | None = None) -> PreparedDocument:
    """Turn one raw item into a document ready to store, or raise RejectedInput."""
    settings = settings or IngestSettings()
    if not raw.data or not raw.data.strip():
        raise RejectedInput("empty input (0 bytes of text)")
    if len(raw.data) > settings.max_bytes:
        mb = len(raw.data) / 1024 / 1024
        raise RejectedInput(f"too large: {mb:.1f} MB > {settings.max_bytes // 1024 // 1024} MB")
    try:
        decoded = decode(raw.data, raw.declared_charset)
    except BinaryContentError as exc:
        raise RejectedInput(str(exc)) from exc
    warnings: list[str] = []
    if decoded.bad_bytes:
        warnings.append(
            f"{decoded.bad_bytes} undecodable byte(s) as {decoded.encoding}, first at byte "
            f"{decoded.first_bad_offset}; replaced with U+FFFD"
        )
        # More than 1% damage is not a page we can trust to extract from.
        if decoded.bad_bytes > max(16, len(raw.data) // 100):
            raise RejectedInput(
                f"undecodable: {decoded.bad_bytes} of {len(raw.data)} bytes are not valid "
                f"{decoded.encoding} (declared: {decoded.declared or 'none'})"
            )
    page = parse(raw, decoded.text)
    warnings.extend(page.warnings)
    if len(page.text.strip()) < settings.min_body_chars:
        raise RejectedInput(
            f"no article text found ({len(page.text.strip())} characters of body after "
            f"removing boilerplate)"
        )
    title = page.title or raw.feed_title
    norm_title = normalize(title).text if title else None
    norm = normalize(page.text)
    chash = dedup.content_hash(norm_title, norm.text)
    sig = dedup.signature(norm.text)
    return PreparedDocument(
        source=raw.source,
        kind=str(raw.kind),
        raw_sha256=dedup.raw_hash(raw.data),
        fetched_at=raw.fetched_at,
        id=chash[:16],
        content_hash=chash,
        url=page.url or raw.url,
        site=page.site,
        title=title,
        norm_title=norm_title,
        published_at=page.published_at or raw.feed_published,
        published_raw=page.published_raw,
        category=page.category,
        breadcrumb=list(page.breadcrumb),
        tags=list(page.tags),
        author=page.author,
        text=page.text,
        norm_text=norm.text,
        script="hant" if norm.looks_traditional else "hans",
        encoding=decoded.encoding,
        links=[asdict(link) for link in page.links],
        boilerplate=list(page.boilerplate),
        warnings=warnings,
        signature=dedup.to_bytes(sig) if sig is not None else None,
        band_keys=dedup.band_keys(sig) if sig is not None else [],
    )
