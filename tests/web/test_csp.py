"""Content-Security-Policy: every HTML page carries the strict policy, and its markup needs
nothing the policy refuses — no inline executable script, no on…= handlers, no
javascript: URLs, no third-party asset. /docs is served from local assets under the same
policy. The browser suites check the other half: no CSP violation in the console."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chainatlas.web import api_docs
from chainatlas.web.app import create_app
from chainatlas.web.security import CONTENT_SECURITY_POLICY, SecurityConfig
from tests.web.conftest import shot

TEMPLATES = Path(__file__).parents[2] / "chainatlas" / "web" / "templates"
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
WRITER = {"Authorization": "Bearer t"}
URL_ATTRS = ("href", "src", "action", "formaction")
ASSET_TAGS = ("script", "link", "img", "iframe")


class _Offences(HTMLParser):
    """Collects every construct a `script-src 'self'` policy would block or that loads
    from another origin."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "").strip().lower() for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> inline event handler")
            if name in URL_ATTRS and value.startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value[:40]!r}> javascript: URL")
            remote = value.startswith(("http:", "https:", "//"))
            if remote and name in ("href", "src") and tag in ASSET_TAGS:
                self.found.append(f"<{tag} {name}={value[:60]!r}> third-party asset")
        executable = values.get("type", "") not in DATA_SCRIPT_TYPES
        if tag == "script" and "src" not in values and executable:
            self.found.append("<script> inline executable script")


def offences(html: str) -> list[str]:
    parser = _Offences()
    parser.feed(html)
    parser.close()
    return parser.found


def test_offence_finder_catches_what_the_policy_blocks():
    # Guards the guard: each of these would run (or be refused) in a browser.
    assert offences("<script>alert(1)</script>")
    assert offences('<script type="module">x()</script>')
    assert offences('<button onclick="go()">x</button>')
    assert offences('<select ONCHANGE="go()"></select>')
    assert offences('<a href=" javascript:go()">x</a>')
    assert offences('<script src="https://cdn.example.org/x.js"></script>')
    assert not offences(
        '<script type="application/json" id="d">{"a": 1}</script>'
        '<script src="/static/x.js" defer></script><a href="https://example.org/">source</a>'
    )


def test_templates_have_no_inline_script_or_handlers():
    for template in sorted(TEMPLATES.glob("*.html")):
        assert offences(template.read_text(encoding="utf-8")) == [], template.name


@pytest.fixture(scope="module")
def client(demo_store):
    return TestClient(create_app(demo_store, SecurityConfig(write_token="t")))


@pytest.fixture(scope="module")
def pages(client) -> list[str]:
    doc = client.get("/api/v1/search", params={"q": "比亚迪"}).json()["items"][0]["id"]
    entity = client.get("/api/v1/entities", params={"q": "比亚迪"}).json()["items"][0]["id"]
    return [
        "/",
        "/search?q=比亚迪",
        f"/documents/{doc}",
        "/entities",
        f"/entities/{entity}",
        "/chains",
        "/chains/nev",
        "/regions",
        "/regions/440300",
        "/regions/440300?chain=nev",
        "/regions/compare?codes=440300,440100&chain=nev",
        f"/graph?entity={entity}",
        "/graph",
        "/match",
        "/data",
        "/login",
        "/docs",
        "/documents/no-such-document",  # the error page too
    ]


def test_policy_is_the_strict_one():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'self'"
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("headers", [{}, WRITER], ids=["visitor", "writer"])
def test_every_page_carries_the_policy_and_passes_it(client, pages, headers):
    for path in pages:
        resp = client.get(path, headers=headers)
        assert resp.status_code in (200, 404), (path, resp.status_code)
        assert resp.headers["content-type"].startswith("text/html"), path
        assert resp.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY, path
        assert offences(resp.text) == [], path


def test_json_answers_do_not_need_the_page_policy(client):
    resp = client.get("/api/v1/chains")
    assert resp.status_code == 200
    assert "content-security-policy" not in resp.headers
    assert resp.headers["x-content-type-options"] == "nosniff"


def test_docs_page_uses_local_swagger_ui_when_installed(client):
    if not (api_docs.SWAGGER_DIR / "swagger-ui-bundle.js").is_file():
        pytest.skip("swagger-ui-dist not installed (scripts/install-web-assets.sh)")
    html = client.get("/docs").text
    assert '<script src="/vendor/swagger-ui/swagger-ui-bundle.js"' in html
    assert '<script src="/static/docs.js"' in html
    for asset in ("/vendor/swagger-ui/swagger-ui-bundle.js", "/vendor/swagger-ui/swagger-ui.css"):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/static/docs.js").status_code == 200
    # The stock FastAPI route (CDN + inline script) is gone, not shadowed.
    assert [getattr(r, "path", None) for r in client.app.router.routes].count("/docs") == 1


def test_docs_page_without_swagger_lists_the_endpoints(demo_store, tmp_path):
    app = create_app(demo_store, SecurityConfig(write_token="t"))
    # A second install over a missing package directory: the plain, script-free page.
    api_docs.install(app, swagger_dir=tmp_path)
    resp = TestClient(app).get("/docs")
    assert resp.status_code == 200
    assert resp.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "<script" not in resp.text
    assert '<a href="/openapi.json">' in resp.text
    assert "<code>/api/v1/search</code>" in resp.text and "<code>POST</code>" in resp.text


def test_endpoint_rows_read_an_openapi_document():
    spec = {
        "paths": {
            "/b": {"post": {"description": "写入\n更多说明"}},
            "/a": {"get": {"summary": "读取"}, "parameters": []},
        }
    }
    assert api_docs.endpoint_rows(spec) == [("GET", "/a", "读取"), ("POST", "/b", "写入")]


# --- in a real browser ------------------------------------------------------------------------

# Injected by the driver, outside the page's policy: records every violation report.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.mark.browser
@pytest.mark.slow
def test_pages_run_under_the_policy_in_a_browser(server, page, client, pages):
    page.add_init_script(RECORD_VIOLATIONS)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((server, "data:")) else outside.append(r.url),
    )
    for path in pages:
        page.goto(f"{server}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [], path
    assert outside == []
    assert [e for e in page.errors if "Content Security Policy" in e] == []


@pytest.mark.browser
@pytest.mark.slow
def test_docs_renders_offline_under_the_policy(server, page):
    if not (api_docs.SWAGGER_DIR / "swagger-ui-bundle.js").is_file():
        pytest.skip("swagger-ui-dist not installed (scripts/install-web-assets.sh)")
    page.add_init_script(RECORD_VIOLATIONS)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((server, "data:")) else outside.append(r.url),
    )
    page.goto(f"{server}/docs")
    page.locator(".opblock").first.wait_for(timeout=15_000)
    assert page.locator(".opblock").count() > 20  # one block per operation of /api/v1
    assert "/api/v1/search" in page.inner_text("#swagger-ui")
    shot(page, "docs-offline")
    assert outside == []  # nothing from a CDN: the page works with no internet
    assert page.evaluate("window.__csp") == []
    assert page.errors == []
