"""RSS 2.0 / Atom / RDF parsing into plain `FeedEntry` records (pure: bytes in, records out)."""

from __future__ import annotations

import time
import xml.sax
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser

__all__ = ["FeedEntry", "FeedError", "parse_feed"]


@dataclass(frozen=True, slots=True)
class FeedEntry:
    url: str  # absolute when a base was known
    title: str | None
    published: datetime | None  # aware UTC
    summary: str | None  # as the feed gives it (may contain HTML)


class FeedError(Exception):
    """The bytes are not a usable feed; `reason` is one line meant for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_feed(data: bytes, *, base_url: str | None = None) -> list[FeedEntry]:
    """Parse feed bytes into entries that have a link, in feed order.

    Relative links are resolved against `base_url` (where the feed was fetched from) or,
    failing that, the feed's own channel link. Entries without any link are dropped since
    there is nothing to fetch. Raises FeedError when the XML is not well-formed, the
    document is not a feed, or no entry has a link.
    """
    if not isinstance(data, bytes):
        # feedparser treats a str as a URL or file name and would go fetch it.
        raise TypeError("parse_feed() takes the feed document as bytes")
    if not data.strip():
        raise FeedError("empty document")
    parsed = feedparser.parse(data)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    # feedparser recovers from broken XML with a lenient parser and often still finds
    # entries; we refuse instead, so a half-read feed is never mistaken for a whole one.
    if isinstance(problem, xml.sax.SAXException):
        raise FeedError(f"feed XML is not well-formed: {_sax_reason(problem)}")
    if not parsed.get("version"):
        detail = f" ({_one_line(problem)})" if problem else ""
        raise FeedError(f"not an RSS, Atom or RDF feed{detail}")
    base = base_url or parsed.feed.get("link") or None
    entries = [_entry(raw, base) for raw in parsed.entries]
    kept = [entry for entry in entries if entry is not None]
    if not kept:
        if parsed.entries:
            raise FeedError(f"no entries with a link ({len(parsed.entries)} entries without one)")
        raise FeedError("feed has no entries")
    return kept


def _entry(raw: feedparser.FeedParserDict, base: str | None) -> FeedEntry | None:
    link = (raw.get("link") or "").strip()
    if not link:
        # Atom entries may carry only <id> as a permalink; RSS <guid isPermaLink> likewise.
        candidate = (raw.get("id") or "").strip()
        if candidate.startswith(("http://", "https://")):
            link = candidate
    if not link:
        return None
    return FeedEntry(
        url=urljoin(base, link) if base else link,
        title=(raw.get("title") or "").strip() or None,
        published=_when(raw.get("published_parsed") or raw.get("updated_parsed")),
        summary=raw.get("summary") or None,
    )


def _when(value: time.struct_time | None) -> datetime | None:
    # feedparser normalises parsed dates to UTC struct_time.
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _sax_reason(exc: xml.sax.SAXException) -> str:
    if isinstance(exc, xml.sax.SAXParseException):
        # Positions count in the document feedparser parsed, which may have gained an XML
        # declaration line; still close enough to find the fault.
        return f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}: {exc.getMessage()}"
    return _one_line(exc)


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
