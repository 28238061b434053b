"""Polite, bounded HTTP fetching of single pages.

All network I/O goes through `_send`, the one private seam: tests (and offline runs) can
replace it with a function returning a canned `_Reply`. Everything else here is policy:
URL checks, per-host politeness, size and time caps, and turning failures into one-line
`FetchError`s a user can act on.
"""

from __future__ import annotations

import ipaddress
import socket
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
    "AddressPolicy",
    "FetchError",
    "FetchSettings",
    "Fetcher",
    "charset_from_content_type",
    "check_url",
    "literal_address",
    "non_public_reason",
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


# --- address policy (SSRF guard) -----------------------------------------------------------

Resolver = Callable[[str, int], list[str]]
# Names that always mean this machine, whatever a resolver says (RFC 6761).
_LOOPBACK_NAMES = ("localhost", "localhost.localdomain")


def non_public_reason(address: str) -> str | None:
    """Why an IP address is not a public Internet address (None when it is).

    IPv4-mapped/-compatible IPv6 forms are judged by the IPv4 address they carry, so
    `::ffff:127.0.0.1` cannot slip past as "IPv6".
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),  # includes 169.254.169.254, the cloud metadata
        ("private", ip.is_private),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("unspecified", ip.is_unspecified),
        ("shared/carrier-grade NAT", ip in ipaddress.ip_network("100.64.0.0/10")),
        ("non-global", not ip.is_global),
    )
    return next((label for label, hit in checks if hit), None)


def literal_address(host: str) -> str | None:
    """The IP address a URL host names by itself (a literal, or `localhost`), else None."""
    host = host.strip("[]").lower()
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return "127.0.0.1"
    try:
        return str(ipaddress.ip_address(host.split("%", 1)[0]))
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefx." for c in host) and host[0].isdigit():
        # Shorthand forms the system resolver also reads as IPv4 ("2130706433",
        # "0x7f.1", "127.1"), so they are judged as the address they stand for.
        try:
            return socket.inet_ntoa(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _getaddrinfo(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Refuse hosts that resolve to internal addresses (loopback, private, link-local, ...).

    Passed to `Fetcher` for fetches a remote user asks the server to make (web ingest
    jobs); the CLI, which a person runs on purpose against their own targets, fetches
    without one. The check runs before every request, redirect hops included, and again
    on the address actually connected to, so a name that resolves differently the second
    time (DNS rebinding) is caught before its body is read.
    """

    resolve: Resolver = _getaddrinfo
    # Internal networks an operator trusts anyway (say, one intranet news mirror), as
    # CIDR strings; everything else non-public stays refused.
    allowed_networks: tuple[str, ...] = ()

    def check_host(self, url: str, host: str, port: int) -> None:
        literal = literal_address(host)
        if literal is not None:
            addresses = [literal]
        else:
            try:
                addresses = self.resolve(host, port)
            except (OSError, UnicodeError) as exc:
                raise FetchError(url, f"cannot resolve host {host!r} ({exc})") from None
        for address in addresses:
            self.check_address(url, host, address)

    def refusal(self, address: str) -> str | None:
        """Why this policy refuses an address (None: it may be fetched)."""
        try:
            reason = non_public_reason(address)
            if reason is not None and self._allowed(address):
                return None
        except ValueError:
            reason = "unparseable"
        return reason

    def check_address(self, url: str, host: str, address: str) -> None:
        reason = self.refusal(address)
        if reason is not None:
            via = "" if address == host.strip("[]") else f" resolves to {address}, which"
            raise FetchError(
                url,
                f"refused: host {host}{via} is a {reason} address; this server does not "
                "fetch internal addresses (an operator can allow them with "
                "CHAINATLAS_ALLOW_PRIVATE_FETCH=1)",
            )

    def _allowed(self, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        return any(ip in ipaddress.ip_network(net, strict=False) for net in self.allowed_networks)

    # httpx event hooks: called once per hop, redirects included.
    def on_request(self, request: httpx.Request) -> None:
        url = request.url
        port = url.port or (443 if url.scheme == "https" else 80)
        self.check_host(str(url), url.host, port)

    def on_response(self, response: httpx.Response) -> None:
        stream = response.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        if peer:
            self.check_address(str(response.request.url), response.request.url.host, peer[0])


class Fetcher:
    """Fetches pages one at a time with a shared `httpx.Client`; use as a context manager."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        address_policy: AddressPolicy | None = None,
    ) -> None:
        self.settings = settings or FetchSettings()
        self.address_policy = address_policy
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
            event_hooks=(
                {"request": [address_policy.on_request], "response": [address_policy.on_response]}
                if address_policy is not None
                else None
            ),
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
        except FetchError as exc:
            if httpx.URL(exc.url) != httpx.URL(url.strip()):  # a redirect hop: name both ends
                raise FetchError(url, f"redirected to {exc.url}: {exc.reason}") from None
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
