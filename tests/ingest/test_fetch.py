from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from chainatlas.ingest import fetch as fetch_module
from chainatlas.ingest.fetch import (
    Fetcher,
    FetchError,
    FetchSettings,
    charset_from_content_type,
    check_url,
)
from chainatlas.ingest.records import SourceKind

PAGE = "<html><head><title>园区招商</title></head><body><p>新能源汽车零部件项目签约。</p></body></html>"

# Fast settings for tests: no politeness wait unless a test asks for it.
QUICK = FetchSettings(timeout=5.0, per_host_delay=0.0)


def fetch_one(url: str, settings: FetchSettings = QUICK):
    with Fetcher(settings) as fetcher:
        return fetcher.fetch(url)


# -- pure helpers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html; charset=GBK", "gbk"),
        ('text/html;Charset="utf-8"', "utf-8"),
        ("text/html; boundary=x; charset = gb2312 ", "gb2312"),
        ("text/html", None),
        ("text/html; charset=", None),
        (None, None),
    ],
)
def test_charset_from_content_type(header, expected):
    assert charset_from_content_type(header) == expected


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("file:///etc/passwd", "unsupported URL scheme 'file:'"),
        ("ftp://example.com/a.html", "unsupported URL scheme 'ftp:'"),
        ("javascript:alert(1)", "unsupported URL scheme 'javascript:'"),
        ("www.example.com/page", "not an absolute URL"),
        ("http://", "no host name"),
        ("http://[::1/page", "malformed URL"),
        ("http://example.com:99999/", "malformed URL"),
    ],
)
def test_bad_urls_are_refused_before_any_request(url, fragment, monkeypatch):
    def must_not_send(*args, **kwargs):
        raise AssertionError("no request should be made")

    monkeypatch.setattr(fetch_module, "_send", must_not_send)
    with pytest.raises(FetchError) as info:
        fetch_one(url)
    assert fragment in info.value.reason
    assert info.value.url == url
    assert "\n" not in str(info.value)


def test_check_url_returns_lowercased_host():
    assert check_url("HTTPS://News.Example.COM/a?b=1") == "news.example.com"


def test_seam_can_be_mocked_without_network(monkeypatch):
    calls = []

    def fake_send(client, url, *, max_bytes, deadline):
        calls.append((url, max_bytes))
        return fetch_module._Reply(
            final_url=url + "?moved=1",
            status=200,
            reason_phrase="OK",
            content_type="text/html; charset=GB18030",
            body="招商".encode("gb18030"),
        )

    monkeypatch.setattr(fetch_module, "_send", fake_send)
    item = fetch_one("http://park.example.cn/news/1.html", FetchSettings(max_bytes=1234))
    assert calls == [("http://park.example.cn/news/1.html", 1234)]
    assert item.data.decode("gb18030") == "招商"
    assert item.declared_charset == "gb18030"
    assert item.url == "http://park.example.cn/news/1.html?moved=1"


def test_default_settings_match_the_brief():
    settings = FetchSettings()
    assert settings.timeout == 20
    assert settings.max_bytes == 20 * 1024 * 1024
    assert settings.user_agent.startswith("chainatlas/")
    assert settings.user_agent.endswith("(+offline industry-chain research tool)")
    assert settings.per_host_delay == 1.0
    assert settings.max_redirects == 5


# -- against the local server -------------------------------------------------------


@pytest.mark.network
def test_page_with_charset_header(http_server):
    body = PAGE.encode("gbk")
    url = http_server.page("/news/1.html", body, headers={"Content-Type": "text/html; charset=GBK"})
    before = datetime.now(UTC)
    item = fetch_one(url)
    assert item.kind is SourceKind.URL
    assert item.source == url
    assert item.url == url
    assert item.data == body
    assert item.content_type == "text/html; charset=GBK"
    assert item.declared_charset == "gbk"
    assert before <= item.fetched_at <= datetime.now(UTC)
    sent_headers = http_server.requests[0][2]
    assert sent_headers["User-Agent"] == QUICK.user_agent


@pytest.mark.network
def test_page_without_charset(http_server):
    url = http_server.page("/plain", b"hello", headers={"Content-Type": "text/plain"})
    item = fetch_one(url)
    assert item.declared_charset is None
    assert item.content_type == "text/plain"


@pytest.mark.network
@pytest.mark.parametrize(("status", "phrase"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500")])
def test_http_error_status(http_server, status, phrase):
    url = http_server.page("/x", b"error page", status=status)
    with pytest.raises(FetchError) as info:
        fetch_one(url)
    assert info.value.reason.startswith(phrase)


@pytest.mark.network
def test_timeout(http_server):
    url = http_server.page("/slow", PAGE, delay=2.0)
    start = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch_one(url, FetchSettings(timeout=0.5, per_host_delay=0))
    assert "timed out after 0.5 s" in info.value.reason
    assert time.monotonic() - start < 1.8


@pytest.mark.network
def test_slow_drip_body_hits_the_overall_timeout(http_server):
    # Each byte arrives well within the socket timeout; only the overall deadline stops it.
    url = http_server.page("/drip", b"z" * 40, trickle=0.1)
    start = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch_one(url, FetchSettings(timeout=0.5, per_host_delay=0))
    assert "timed out" in info.value.reason
    assert time.monotonic() - start < 1.5


@pytest.mark.network
@pytest.mark.parametrize("send_length", [True, False])
def test_oversize_body(http_server, send_length):
    url = http_server.page("/big", b"x" * 50_000, send_length=send_length)
    with pytest.raises(FetchError) as info:
        fetch_one(url, FetchSettings(max_bytes=1000, per_host_delay=0))
    assert "cap" in info.value.reason
    assert "1,000 bytes" in info.value.reason


@pytest.mark.network
def test_body_exactly_at_cap_is_accepted(http_server):
    url = http_server.page("/edge", b"y" * 1000, send_length=False)
    item = fetch_one(url, FetchSettings(max_bytes=1000, per_host_delay=0))
    assert len(item.data) == 1000


@pytest.mark.network
def test_redirect_records_final_url(http_server):
    target = http_server.page(
        "/final.html", PAGE, headers={"Content-Type": "text/html; charset=utf-8"}
    )
    start = http_server.redirect("/old", "/final.html", status=301)
    item = fetch_one(start)
    assert item.source == start
    assert item.url == target
    assert item.data == PAGE.encode()
    assert item.declared_charset == "utf-8"


@pytest.mark.network
def test_redirect_loop(http_server):
    http_server.redirect("/a", "/b")
    start = http_server.redirect("/b", "/a")
    with pytest.raises(FetchError) as info:
        fetch_one(start)
    assert "too many redirects" in info.value.reason
    assert "more than 5" in info.value.reason
    # The initial request plus at most max_redirects follow-ups, then we stop.
    assert len(http_server.requests) == 6


@pytest.mark.network
def test_redirect_to_non_http_scheme(http_server):
    start = http_server.redirect("/sneaky", "file:///etc/passwd")
    with pytest.raises(FetchError) as info:
        fetch_one(start)
    assert "unsupported URL" in info.value.reason


@pytest.mark.network
def test_connection_refused(closed_port):
    with pytest.raises(FetchError) as info:
        fetch_one(f"http://127.0.0.1:{closed_port}/")
    assert "cannot connect" in info.value.reason


@pytest.mark.network
def test_unresolvable_host():
    # .invalid is reserved (RFC 2606) and never resolves, so no packet leaves for the internet.
    with pytest.raises(FetchError) as info:
        fetch_one("http://no-such-host.invalid/")
    assert "cannot connect" in info.value.reason


@pytest.mark.network
def test_polite_delay_between_requests_to_same_host(http_server):
    first = http_server.page("/1", b"one")
    second = http_server.page("/2", b"two")
    with Fetcher(FetchSettings(per_host_delay=0.3)) as fetcher:
        fetcher.fetch(first)
        fetcher.fetch(second)
    (_, t1, _), (_, t2, _) = http_server.requests
    assert t2 - t1 >= 0.3


@pytest.mark.network
def test_polite_delay_is_per_host(http_server):
    # 127.0.0.1 and localhost reach the same server but count as two hosts.
    http_server.page("/p", b"page")
    waits: list[float] = []
    with Fetcher(FetchSettings(per_host_delay=5.0), sleep=waits.append) as fetcher:
        fetcher.fetch(http_server.url("/p"))
        fetcher.fetch(f"http://localhost:{http_server.port}/p")
        assert waits == []
        fetcher.fetch(http_server.url("/p"))
    assert len(waits) == 1
    assert 0 < waits[0] <= 5.0


@pytest.mark.network
def test_failed_request_still_counts_for_politeness(http_server):
    http_server.page("/gone", b"", status=404)
    waits: list[float] = []
    with Fetcher(FetchSettings(per_host_delay=5.0), sleep=waits.append) as fetcher:
        with pytest.raises(FetchError):
            fetcher.fetch(http_server.url("/gone"))
        with pytest.raises(FetchError):
            fetcher.fetch(http_server.url("/gone"))
    assert len(waits) == 1
