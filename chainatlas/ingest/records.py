"""Typed records that cross the ingest boundary.

`RawItem` is what a source yields (bytes plus where they came from); `ParsedPage` is what
a page parser returns (pure, no I/O); `Document` is what the store persists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class SourceKind(StrEnum):
    FILE = "file"
    URL = "url"
    FEED = "feed"
    STDIN = "stdin"
    GENERATED = "generated"


@dataclass(frozen=True, slots=True)
class RawItem:
    """One unit of input before parsing: bytes and their origin."""

    source: str  # file path or URL as the user gave it
    kind: SourceKind
    data: bytes
    fetched_at: datetime  # aware UTC; file mtime for files, fetch time for URLs
    url: str | None = None  # the page URL when known (HTTP, feed entry)
    content_type: str | None = None  # HTTP Content-Type header, if any
    declared_charset: str | None = None  # charset from HTTP header, if any
    feed_title: str | None = None  # title as given by a feed entry
    feed_published: datetime | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A related-article item kept as a link, never as body text."""

    title: str
    url: str | None = None
    teaser: str | None = None


@dataclass(slots=True)
class ParsedPage:
    """Output of a page parser (HTML or plain-text dump). Pure data."""

    title: str | None
    text: str  # clean body; paragraphs separated by a blank line ("\n\n")
    published_at: datetime | None = None  # aware; site-local time assumed Asia/Shanghai
    published_raw: str | None = None  # the date string as found on the page
    category: str | None = None  # last meaningful breadcrumb item (e.g. 产业地产资讯)
    breadcrumb: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    author: str | None = None
    site: str | None = None  # site name, or host when no name is found
    url: str | None = None  # canonical URL stated by the page (canonical, og:url, 本文链接)
    links: list[Link] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)  # stripped lines, for review
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Decoded:
    """Bytes decoded to text, with how and what could not be decoded."""

    text: str
    encoding: str
    declared: str | None = None  # charset the input declared (header or <meta>)
    bad_bytes: int = 0  # count of undecodable bytes replaced by U+FFFD
    first_bad_offset: int | None = None  # byte offset of the first undecodable byte
