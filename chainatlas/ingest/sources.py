"""Expand what the user typed (paths, directories, `-`, URLs, feeds, URL lists) into items.

`iter_sources` yields a `RawItem` per input unit or a `SourceError` per problem; a problem
never ends the stream, so one bad file in a folder of ten thousand costs one line of
output, not the run.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from chainatlas.ingest.feeds import FeedError, parse_feed
from chainatlas.ingest.fetch import DEFAULT_MAX_BYTES, MIB, Fetcher, FetchError, FetchSettings
from chainatlas.ingest.records import RawItem, SourceKind

__all__ = [
    "FEED_EXTENSIONS",
    "PAGE_EXTENSIONS",
    "UNSUPPORTED_EXTENSIONS",
    "SourceError",
    "iter_sources",
]

# Files picked up when walking a directory. Extensionless files are accepted too.
PAGE_EXTENSIONS = frozenset({".html", ".htm", ".shtml", ".xhtml", ".txt", ".text", ".md"})
# Feed files picked up when walking a directory in feed mode.
FEED_EXTENSIONS = frozenset({".xml", ".rss", ".atom", ".rdf"})
# Obviously not a page: refused even when named explicitly.
UNSUPPORTED_EXTENSIONS = frozenset(
    {
        # images
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".bmp",
        ".webp",
        ".svg",
        ".ico",
        ".tif",
        ".tiff",
        ".heic",
        # archives
        ".zip",
        ".gz",
        ".tgz",
        ".bz2",
        ".xz",
        ".7z",
        ".rar",
        ".tar",
        ".zst",
        # documents (PDF may become a page type later)
        ".pdf",
        ".doc",
        ".docx",
        ".xls",
        ".xlsx",
        ".ppt",
        ".pptx",
        ".wps",
        # media
        ".mp3",
        ".mp4",
        ".avi",
        ".mov",
        ".wmv",
        ".flv",
        ".wav",
        ".m4a",
        # binaries, fonts, page assets
        ".exe",
        ".dll",
        ".so",
        ".bin",
        ".iso",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".css",
        ".js",
        ".pyc",
    }
)


@dataclass(frozen=True, slots=True)
class SourceError:
    """One input that could not be turned into an item; `reason` is a single line."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


Item = RawItem | SourceError


def iter_sources(
    args: Iterable[str],
    *,
    feed: bool = False,
    url_lists: Iterable[str] = (),
    stdin: BinaryIO | None = None,
    fetcher_factory: Callable[[], Fetcher] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Item]:
    """Yield one RawItem or SourceError per input unit, in argument order, then URL lists.

    - a file → one FILE item; a directory → its page files, recursively and sorted,
      hidden entries skipped; `-` → stdin as one STDIN item; an http(s) URL → a URL item;
    - each line of each URL list file (blank lines and `#` comments skipped) → a URL item;
    - with `feed=True`, every file, directory file, URL, `-` and URL-list line is a feed
      whose entries are fetched as FEED items.

    `fetcher_factory` builds the one Fetcher used for the whole run, lazily (so file-only
    runs never open a client); by default `Fetcher(FetchSettings(max_bytes=max_bytes))`.
    """
    expander = _Expander(feed, stdin, fetcher_factory, max_bytes)
    with expander.resources:
        for arg in args:
            yield from expander.argument(arg)
        for list_path in url_lists:
            yield from expander.url_list(list_path)


class _Expander:
    """Per-run state: the lazily created fetcher and whether stdin was consumed."""

    def __init__(
        self,
        feed: bool,
        stdin: BinaryIO | None,
        fetcher_factory: Callable[[], Fetcher] | None,
        max_bytes: int,
    ) -> None:
        self.feed = feed
        self.stdin = stdin
        self.stdin_used = False
        self.max_bytes = max_bytes
        self.resources = ExitStack()
        self._factory = fetcher_factory or (
            lambda: Fetcher(FetchSettings(max_bytes=self.max_bytes))
        )
        self._fetcher: Fetcher | None = None

    # -- dispatch -------------------------------------------------------------------

    def argument(self, arg: str) -> Iterator[Item]:
        if arg == "-":
            yield from self._stdin()
        elif _looks_like_url(arg):
            yield from self._url(arg, arg)
        else:
            yield from self._path(arg, explicit=True, ancestors=frozenset())

    def url_list(self, list_path: str) -> Iterator[Item]:
        data = _read_file(list_path, self.max_bytes)
        if isinstance(data, SourceError):
            yield data
            return
        text = data[0].decode("utf-8-sig", errors="replace")
        for lineno, line in enumerate(text.splitlines(), start=1):
            url = _strip_comment(line)
            if not url:
                continue
            label = f"{list_path}:{lineno}"
            if not _looks_like_url(url):
                yield SourceError(label, f"not a URL: {url!r}")
                continue
            for item in self._url(url, url):
                if isinstance(item, SourceError):
                    # Point errors at the list line so the user can fix the list.
                    item = SourceError(label, f"{item.source}: {item.reason}")
                yield item

    # -- URLs and feeds ---------------------------------------------------------------

    def _fetcher_instance(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = self.resources.enter_context(self._factory())
        return self._fetcher

    def _fetch(self, url: str) -> RawItem | SourceError:
        try:
            return self._fetcher_instance().fetch(url)
        except FetchError as exc:
            return SourceError(url, exc.reason)

    def _url(self, url: str, source: str) -> Iterator[Item]:
        item = self._fetch(url)
        if isinstance(item, SourceError) or not self.feed:
            yield item
            return
        yield from self._feed_entries(item.data, source, base_url=item.url or url)

    def _feed_entries(self, data: bytes, source: str, *, base_url: str | None) -> Iterator[Item]:
        try:
            entries = parse_feed(data, base_url=base_url)
        except FeedError as exc:
            yield SourceError(source, f"broken feed: {exc.reason}")
            return
        for entry in entries:
            page = self._fetch(entry.url)
            if isinstance(page, SourceError):
                yield replace(page, reason=f"{page.reason} (entry of feed {source})")
                continue
            # source stays the feed the user named; url says which entry page this is.
            yield replace(
                page,
                source=source,
                kind=SourceKind.FEED,
                feed_title=entry.title,
                feed_published=entry.published,
            )

    # -- stdin ----------------------------------------------------------------------

    def _stdin(self) -> Iterator[Item]:
        if self.stdin is None:
            yield SourceError("-", "standard input is not available")
            return
        if self.stdin_used:
            yield SourceError("-", "standard input was already read once")
            return
        self.stdin_used = True
        try:
            data = self.stdin.read(self.max_bytes + 1)
        except OSError as exc:
            yield SourceError("-", f"cannot read standard input: {_os_reason(exc)}")
            return
        if not data:
            yield SourceError("-", "standard input is empty (0 bytes)")
        elif len(data) > self.max_bytes:
            yield SourceError("-", f"standard input is over the {_mb(self.max_bytes)} limit")
        elif self.feed:
            yield from self._feed_entries(data, "-", base_url=None)
        else:
            yield RawItem(source="-", kind=SourceKind.STDIN, data=data, fetched_at=_now())

    # -- files and directories ----------------------------------------------------------

    def _path(
        self, path: str, *, explicit: bool, ancestors: frozenset[tuple[int, int]]
    ) -> Iterator[Item]:
        try:
            info = os.stat(path)
        except OSError as exc:
            yield SourceError(path, _os_reason(exc, path))
            return
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in ancestors:
                yield SourceError(path, "symlink loop: this directory contains itself")
                return
            yield from self._directory(path, ancestors | {key})
            return
        suffix = Path(path).suffix.lower()
        if suffix in UNSUPPORTED_EXTENSIONS:
            yield SourceError(path, f"unsupported file type ({suffix})")
            return
        accepted = FEED_EXTENSIONS if self.feed else PAGE_EXTENSIONS
        if not explicit and suffix and suffix not in accepted:
            yield SourceError(path, f"unsupported file type ({suffix})")
            return
        result = _read_file(path, self.max_bytes)
        if isinstance(result, SourceError):
            yield result
        elif self.feed:
            yield from self._feed_entries(result[0], path, base_url=None)
        else:
            data, mtime = result
            yield RawItem(source=path, kind=SourceKind.FILE, data=data, fetched_at=mtime)

    def _directory(self, path: str, ancestors: frozenset[tuple[int, int]]) -> Iterator[Item]:
        try:
            with os.scandir(path) as it:
                names = sorted(entry.name for entry in it)
        except OSError as exc:
            yield SourceError(path, _os_reason(exc, path))
            return
        for name in names:
            if name.startswith("."):
                continue
            yield from self._path(os.path.join(path, name), explicit=False, ancestors=ancestors)


# -- helpers --------------------------------------------------------------------------


def _read_file(path: str, max_bytes: int) -> tuple[bytes, datetime] | SourceError:
    """Read a regular file of 1..max_bytes bytes; never reads more than max_bytes + 1."""
    try:
        # O_NONBLOCK keeps a FIFO from hanging the open; it is refused just below anyway.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return SourceError(path, _os_reason(exc, path))
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return SourceError(path, "not a regular file")
            if info.st_size > max_bytes:
                return SourceError(path, _oversize(info.st_size, max_bytes))
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            return SourceError(path, _os_reason(exc, path))
    if len(data) > max_bytes:  # grew while we looked, or lies about its size
        return SourceError(path, f"file is over the {_mb(max_bytes)} limit")
    if not data:
        return SourceError(path, "empty file (0 bytes)")
    return data, datetime.fromtimestamp(info.st_mtime, tz=UTC)


def _os_reason(exc: OSError, path: str | None = None) -> str:
    if exc.errno == errno.ENOENT:
        if path is not None and os.path.islink(path):
            return "broken symlink (its target does not exist)"
        return "no such file or directory"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links)"
    return exc.strerror or type(exc).__name__


def _looks_like_url(text: str) -> bool:
    """True for `scheme://...` text; other schemes are routed to the fetcher to be refused."""
    parts = urlsplit(text)
    return len(parts.scheme) > 1 and text[len(parts.scheme) : len(parts.scheme) + 3] == "://"


def _strip_comment(line: str) -> str:
    line = line.strip()
    if line.startswith("#"):
        return ""
    # A trailing comment needs whitespace before `#`, so URL fragments survive.
    for marker in (" #", "\t#"):
        if marker in line:
            line = line.split(marker, 1)[0]
    return line.strip()


def _mb(size: int) -> str:
    return f"{size / MIB:.1f} MB ({size:,} bytes)"


def _oversize(size: int, max_bytes: int) -> str:
    return f"file is {_mb(size)}, over the {_mb(max_bytes)} limit"


def _now() -> datetime:
    return datetime.now(UTC)
