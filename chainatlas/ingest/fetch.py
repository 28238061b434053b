"""Polite, bounded HTTP fetching of single pages.

All network I/O goes through `_send`, the one private seam: tests (and offline runs) can
replace it with a function returning a canned `_Reply`. Everything else here is policy:
URL checks, per-host politeness, size and time caps, and turning failures into one-line
`FetchError`s a user can act on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from chainatlas import __version__
from chainatlas.ingest.records import RawItem, SourceKind

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FetchError",
    "FetchSettings",
    "Fetcher",
    "charset_from_content_type",
    "check_url",
]

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MIB
_ALLOWED_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class FetchSettings:
    timeout: float = 20.0  # seconds, for the whole request including the body
    max_bytes: int = DEFAULT_MAX_BYTES  # decoded body cap; reading stops just past it
    user_agent: str = f"chainatlas/{__version__} (+offline industry-chain research tool)"
    per_host_delay: float = 1.0  # seconds between two requests to the same host
    max_redirects: int = 5


class FetchError(Exception):
    """A page could not be fetched; `reason` is one line meant for the user."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True, slots=True)
class _Reply:
    """What the seam hands back: just enough of a response, already capped."""

    final_url: str
    status: int
    reason_phrase: str
    content_type: str | None
    body: bytes  # empty for error statuses (their bodies are not downloaded)


def _send(client: httpx.Client, url: str, *, max_bytes: int, deadline: float) -> _Reply:
    """Perform one GET (following redirects) and read at most `max_bytes` of the body.

    Raises httpx exceptions for transport problems (including a ReadTimeout once the
    overall deadline passes: httpx timeouts are per socket operation, so a server that
    trickles bytes slowly would otherwise never time out) and FetchError for a body over
    the cap. Error statuses return at once, without downloading their body.
    """
    with client.stream("GET", url) as response:
        final_url = str(response.url)
        content_type = response.headers.get("content-type")
        if response.status_code >= 400:
            return _Reply(
                final_url, response.status_code, response.reason_phrase, content_type, b""
            )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(url, _too_large(max_bytes, int(declared)))
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(url, _too_large(max_bytes))
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("overall deadline passed while reading the body")
            chunks.append(chunk)
        return _Reply(
            final_url, response.status_code, response.reason_phrase, content_type, b"".join(chunks)
        )


def _too_large(max_bytes: int, declared: int | None = None) -> str:
    cap = f"{max_bytes / MIB:.1f} MB ({max_bytes:,} bytes)"
    if declared is not None:
        return f"response body is {declared / MIB:.1f} MB ({declared:,} bytes), over the {cap} cap"
    return f"response body is larger than the {cap} cap; stopped reading"


def charset_from_content_type(content_type: str | None) -> str | None:
    """The `charset=` parameter of a Content-Type header, lower-cased, or None."""
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            value = value.strip().strip("\"'").strip()
            return value.lower() or None
    return None


def check_url(url: str) -> str:
    """Return the lower-cased host of an absolute http(s) URL; raise FetchError otherwise."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - property access validates the port number
    except ValueError as exc:
        raise FetchError(url, f"malformed URL ({exc})") from None
    scheme = parts.scheme.lower()
    if not scheme:
        raise FetchError(url, "not an absolute URL (no http:// or https:// scheme)")
    if scheme not in _ALLOWED_SCHEMES:
        raise FetchError(
            url, f"unsupported URL scheme '{scheme}:' (only http and https are fetched)"
        )
    if not parts.hostname:
        raise FetchError(url, "malformed URL (no host name)")
    return parts.hostname.lower()


class Fetcher:
    """Fetches pages one at a time with a shared `httpx.Client`; use as a context manager."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings or FetchSettings()
        self._sleep = sleep
        self._clock = clock
        self._last_request: dict[str, float] = {}  # host -> clock() when its last request ended
        self._client = httpx.Client(
            follow_redirects=True,
            max_redirects=self.settings.max_redirects,
            timeout=self.settings.timeout,
            headers={"User-Agent": self.settings.user_agent},
            # Our own environment must not silently reroute research traffic.
            trust_env=False,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str) -> RawItem:
        """GET one page. Raises FetchError with a one-line reason on any failure."""
        host = check_url(url)
        self._wait_for(host)
        settings = self.settings
        try:
            reply = _send(
                self._client,
                url.strip(),
                max_bytes=settings.max_bytes,
                deadline=time.monotonic() + settings.timeout,
            )
        except FetchError:
            raise
        except httpx.TimeoutException:
            raise FetchError(url, f"timed out after {settings.timeout:g} s") from None
        except httpx.TooManyRedirects:
            raise FetchError(
                url, f"too many redirects (more than {settings.max_redirects}); redirect loop?"
            ) from None
        except httpx.UnsupportedProtocol as exc:
            raise FetchError(url, f"redirected to an unsupported URL ({exc})") from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"malformed URL ({exc})") from None
        except httpx.ConnectError as exc:
            raise FetchError(url, f"cannot connect (DNS or connection failure: {exc})") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"HTTP transport error ({type(exc).__name__}: {exc})") from None
        finally:
            self._last_request[host] = self._clock()
        if reply.status >= 400:
            raise FetchError(url, f"HTTP {reply.status} {reply.reason_phrase}".rstrip())
        return RawItem(
            source=url,
            kind=SourceKind.URL,
            data=reply.body,
            fetched_at=datetime.now(UTC),
            url=reply.final_url,
            content_type=reply.content_type,
            declared_charset=charset_from_content_type(reply.content_type),
        )

    def _wait_for(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is None:
            return
        remaining = self.settings.per_host_delay - (self._clock() - last)
        if remaining > 0:
            self._sleep(remaining)
