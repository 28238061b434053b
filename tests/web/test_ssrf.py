"""SSRF guard for URL ingest submitted over the web: internal addresses are refused at
submission (literal IPs, 422) or per input when a name resolves to one or a redirect
leads to one (job report); the CLI's fetcher, used on purpose, has no such policy.

Every refusal here happens before a connection is opened, and every server a test runs
listens on 127.0.0.1, so no test sends traffic off this machine."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import ClassVar

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from chainatlas.ingest.fetch import (
    AddressPolicy,
    Fetcher,
    FetchError,
    FetchSettings,
    literal_address,
    non_public_reason,
)
from chainatlas.web.app import create_app
from chainatlas.web.security import SecurityConfig

AUTH = {"Authorization": "Bearer t"}
FAST = FetchSettings(timeout=5, per_host_delay=0)
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>示例园区新签两个项目</title>
</head><body><div class="nav">首页 | 新闻</div><div class="article"><h1>示例园区新签两个项目</h1>
<p>本月，示例园区与两家储能材料企业签署投资协议，项目计划明年在园区内开工建设。</p>
<p>两个项目合计投资约8亿元，建成后将生产电池正极材料并配套建设研发中心。</p>
</div><div class="footer">示例园区管委会</div></body></html>"""


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.254", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud instance metadata
        ("0.0.0.0", "private"),
        ("100.64.0.1", "shared/carrier-grade NAT"),
        ("224.0.0.251", "multicast"),
        ("240.0.0.1", "private"),
        ("::1", "loopback"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped: judged as the IPv4 address
        ("::ffff:10.0.0.1", "private"),
        ("ff02::1", "multicast"),
    ],
)
def test_internal_addresses_are_named(address, reason):
    assert non_public_reason(address) == reason


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1"])
def test_public_addresses_pass(address):
    assert non_public_reason(address) is None


def test_literal_hosts_include_shorthand_ipv4_and_localhost():
    assert literal_address("2130706433") == "127.0.0.1"  # what getaddrinfo makes of it
    assert literal_address("0x7f.1") == "127.0.0.1"
    assert literal_address("LOCALHOST") == "127.0.0.1"
    assert literal_address("api.localhost") == "127.0.0.1"
    assert literal_address("[::1]") == "::1"
    assert literal_address("3com.com") is None and literal_address("example.org") is None


def test_any_internal_resolved_address_refuses_the_host():
    policy = AddressPolicy(resolve=lambda host, port: ["93.184.216.34", "10.0.0.8"])
    with pytest.raises(FetchError, match=r"resolves to 10\.0\.0\.8, which is a private"):
        policy.check_host("http://mixed.example.test/", "mixed.example.test", 80)
    AddressPolicy(resolve=lambda h, p: ["93.184.216.34"]).check_host("u", "ok.example.test", 80)


def test_unresolvable_host_is_a_clear_error():
    def fail(host, port):
        raise OSError("Name or service not known")

    with pytest.raises(FetchError, match="cannot resolve host"):
        AddressPolicy(resolve=fail).check_host("http://x.invalid/", "x.invalid", 80)


def test_allowed_networks_let_one_internal_range_through():
    policy = AddressPolicy(allowed_networks=("10.20.0.0/16",))
    policy.check_address("u", "mirror", "10.20.1.1")
    with pytest.raises(FetchError, match="private"):
        policy.check_address("u", "other", "10.21.1.1")


def test_connected_peer_is_checked_after_the_name_passed():
    """DNS rebinding: the name passed the pre-check, the socket went somewhere internal."""

    class Stream:
        def get_extra_info(self, key):
            return ("10.9.8.7", 80) if key == "server_addr" else None

    request = httpx.Request("GET", "http://rebind.example.test/")
    response = httpx.Response(200, request=request, extensions={"network_stream": Stream()})
    with pytest.raises(FetchError, match=r"rebind\.example\.test resolves to 10\.9\.8\.7"):
        AddressPolicy().on_response(response)


# --- against a local server ---------------------------------------------------------------------


class _Site(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        type(self).hits.append(self.path)
        if self.path.startswith("/jump"):
            # To another loopback address: refused by a policy that trusts 127.0.0.1 only.
            port = self.server.server_address[1]
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.2:{port}/secret")
            self.end_headers()
            return
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site() -> Iterator[str]:
    _Site.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetcher_without_a_policy_still_fetches_local_pages(site):
    # The CLI's case: a person fetching their own intranet page on purpose.
    with Fetcher(FAST) as fetcher:
        assert "示例园区".encode() in fetcher.fetch(f"{site}/page").data


def test_policy_refuses_before_connecting(site):
    with (
        Fetcher(FAST, address_policy=AddressPolicy()) as fetcher,
        pytest.raises(FetchError, match=r"127\.0\.0\.1 is a loopback address"),
    ):
        fetcher.fetch(f"{site}/page")
    assert _Site.hits == []


def test_redirect_to_an_internal_address_is_refused_mid_way(site):
    policy = AddressPolicy(allowed_networks=("127.0.0.1/32",))
    with Fetcher(FAST, address_policy=policy) as fetcher:
        assert b"<title>" in fetcher.fetch(f"{site}/page").data  # the allowed host works
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(f"{site}/jump")
    reason = caught.value.reason
    assert reason.startswith("redirected to http://127.0.0.2:") and "/secret" in reason
    assert "127.0.0.2 is a loopback address" in reason
    assert caught.value.url == f"{site}/jump"
    assert _Site.hits == ["/page", "/jump"]  # the second hop was never requested


# --- the web API --------------------------------------------------------------------------------


def _client(store, **security) -> TestClient:
    return TestClient(create_app(store, SecurityConfig(write_token="t", **security)))


@pytest.fixture
def client(sqlite_store) -> Iterator[TestClient]:
    with _client(sqlite_store) as c:
        c.get("/api/v1/jobs")  # publishes the runner on app.state
        c.app.state.jobs.fetch_settings = FAST
        yield c


@pytest.mark.parametrize(
    ("field", "url", "reason"),
    [
        ("urls", "http://127.0.0.1:8000/admin", "loopback"),
        ("urls", "http://169.254.169.254/latest/meta-data/", "link-local"),
        ("urls", "http://10.0.0.5/intranet.html", "private"),
        ("urls", "https://192.168.1.1/", "private"),
        ("urls", "http://[::1]:8080/", "loopback"),
        ("urls", "http://[fd00::1]/", "private"),
        ("urls", "http://localhost/", "loopback"),
        ("urls", "http://2130706433/", "loopback"),
        ("feeds", "http://172.16.3.4/rss.xml", "private"),
    ],
)
def test_literal_internal_address_is_422_at_submission(client, field, url, reason):
    resp = client.post("/api/v1/ingest", json={field: [url]}, headers=AUTH)
    assert resp.status_code == 422, resp.text
    detail = resp.json()["title"]
    assert "第 1 个" in detail and reason in detail and "CHAINATLAS_ALLOW_PRIVATE_FETCH" in detail
    assert client.get("/api/v1/jobs").json()["items"] == []  # nothing was queued


def test_name_resolving_inside_fails_that_input_only(client, site):
    # A host name is resolved when the job runs; this resolver puts it on the intranet.
    client.app.state.jobs.address_policy = AddressPolicy(resolve=lambda h, p: ["10.0.0.7"])
    resp = client.post(
        "/api/v1/ingest", json={"urls": ["http://intranet.example.test/a.html"]}, headers=AUTH
    )
    assert resp.status_code == 202, resp.text
    job = client.app.state.jobs.wait(resp.json()["id"], timeout=30)
    (entry,) = job["inputs"]
    assert entry["state"] == "failed"
    (outcome,) = entry["outcomes"]
    assert outcome["status"] == "failed"
    assert "intranet.example.test resolves to 10.0.0.7" in outcome["detail"]
    assert "private" in outcome["detail"]


def test_redirect_to_internal_address_fails_the_job_input(client, site):
    # The operator trusts the test site's own address (the same policy governs the
    # submission check and the job), so the refusal is the redirect's.
    client.app.state.jobs.address_policy = AddressPolicy(allowed_networks=("127.0.0.1/32",))
    resp = client.post("/api/v1/ingest", json={"urls": [f"{site}/jump"]}, headers=AUTH)
    assert resp.status_code == 202, resp.text
    job = client.app.state.jobs.wait(resp.json()["id"], timeout=30)
    (outcome,) = job["inputs"][0]["outcomes"]
    assert outcome["status"] == "failed"
    assert "redirected to http://127.0.0.2:" in outcome["detail"]
    assert "127.0.0.2 is a loopback address" in outcome["detail"]
    assert _Site.hits == ["/jump"]


def test_operator_can_allow_private_targets(sqlite_store, site, monkeypatch):
    monkeypatch.setenv("CHAINATLAS_ALLOW_PRIVATE_FETCH", "1")
    assert SecurityConfig.from_env().allow_private_fetch is True
    monkeypatch.delenv("CHAINATLAS_ALLOW_PRIVATE_FETCH")
    assert SecurityConfig.from_env().allow_private_fetch is False
    with _client(sqlite_store, allow_private_fetch=True) as c:
        c.get("/api/v1/jobs")
        c.app.state.jobs.fetch_settings = FAST
        resp = c.post("/api/v1/ingest", json={"urls": [f"{site}/page"]}, headers=AUTH)
        assert resp.status_code == 202, resp.text
        job = c.app.state.jobs.wait(resp.json()["id"], timeout=60)
    assert job["inputs"][0]["outcomes"][0]["status"] == "new", job["inputs"]
    assert _Site.hits == ["/page"]


def test_serve_has_the_allow_private_fetch_switch():
    from chainatlas.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--allow-private-fetch" in result.output
