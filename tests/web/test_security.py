"""Web security: tokens, sessions, CSRF, read-token lock, injection probes, upload checks."""

from __future__ import annotations

import re
import time

import pytest
from fastapi import FastAPI, UploadFile
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from chainatlas.web.security import (
    SecurityConfig,
    ensure_write_token,
    read_upload,
    safe_next,
    session_cookie_value,
)

WRITE = "write-token-for-tests-0123456789"
READ = "read-token-for-tests-9876543210"
BYD = "比亚迪"


def _app(store, **kw):
    from chainatlas.web.app import create_app

    return create_app(store, SecurityConfig(write_token=WRITE, **kw))


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _login(client: TestClient, token: str = WRITE) -> None:
    page = client.get("/login")
    r = client.post(
        "/login",
        data={"token": token, "next": "/", "csrf_token": _csrf(page.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def _byd_id(client: TestClient) -> str:
    hits = client.get("/api/v1/entities", params={"q": BYD}).json()["items"]
    return hits[0]["id"]


@pytest.fixture(scope="module")
def open_client(demo_store):
    return TestClient(_app(demo_store))


@pytest.fixture(scope="module")
def locked_client(demo_store):
    return TestClient(_app(demo_store, read_token=READ))


# --- config ---------------------------------------------------------------------------------


def test_config_from_env(monkeypatch):
    monkeypatch.setenv("CHAINATLAS_READ_TOKEN", "r")
    monkeypatch.setenv("CHAINATLAS_WRITE_TOKEN", "w")
    monkeypatch.setenv("CHAINATLAS_STORE_CONTACTS", "yes")
    monkeypatch.setenv("CHAINATLAS_MAX_UPLOAD_MB", "2")
    c = SecurityConfig.from_env()
    assert (c.read_token, c.write_token, c.store_contacts) == ("r", "w", True)
    assert c.max_upload_bytes == 2 * 1024 * 1024
    for name in ("CHAINATLAS_READ_TOKEN", "CHAINATLAS_WRITE_TOKEN", "CHAINATLAS_STORE_CONTACTS"):
        monkeypatch.delenv(name)
    c = SecurityConfig.from_env()
    assert c.read_token is None and c.write_token is None and not c.store_contacts


def test_writes_are_never_open(demo_store, monkeypatch):
    from chainatlas.web.app import create_app

    monkeypatch.delenv("CHAINATLAS_WRITE_TOKEN", raising=False)
    a, b = create_app(demo_store), create_app(demo_store)
    ta, tb = a.state.security.write_token, b.state.security.write_token
    assert ta and tb and ta != tb and len(ta) >= 24
    r = TestClient(a).post("/api/v1/curation/rename", json={"entity": BYD, "name": "x"})
    assert r.status_code == 401
    assert ensure_write_token(SecurityConfig(write_token="keep")).write_token == "keep"


# --- write tokens ---------------------------------------------------------------------------


def test_write_without_token_401_wrong_403(open_client):
    body = {"entity": BYD, "name": "x"}
    r = open_client.post("/api/v1/curation/rename", json=body)
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    r = open_client.post(
        "/api/v1/curation/rename", json=body, headers={"Authorization": "Bearer wrong"}
    )
    assert r.status_code == 403
    r = open_client.post("/api/v1/curation/7/undo", headers={"Authorization": "Basic abc"})
    assert r.status_code == 401  # not a bearer credential at all


def test_write_with_right_token(demo_copy):
    client = TestClient(_app(demo_copy))
    r = client.post(
        "/api/v1/curation/alias-add",
        json={"entity": BYD, "alias": "BYD Company"},
        headers={"Authorization": f"Bearer {WRITE}"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "applied"


def test_read_token_is_not_a_write_token(demo_store):
    client = TestClient(_app(demo_store, read_token=READ))
    r = client.post(
        "/api/v1/curation/rename",
        json={"entity": BYD, "name": "x"},
        headers={"Authorization": f"Bearer {READ}"},
    )
    assert r.status_code == 403


# --- read-token mode ------------------------------------------------------------------------


def test_reads_open_by_default(open_client):
    assert open_client.get("/").status_code == 200
    assert open_client.get("/api/v1/search", params={"q": BYD}).status_code == 200


def test_read_token_locks_pages_and_api(locked_client):
    for path in (
        "/api/v1/search?q=x",
        "/api/v1/documents",
        "/api/v1/curation/log",
        "/openapi.json",
    ):
        r = locked_client.get(path)
        assert r.status_code == 401, path
    r = locked_client.get("/api/v1/documents", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 403
    for path in ("/", "/entities", "/search?q=x", "/docs"):
        r = locked_client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/"), path
    # The login form and static files stay reachable, or nobody could ever log in.
    assert locked_client.get("/login").status_code == 200
    assert locked_client.get("/static/app.css").status_code == 200


def test_read_token_unlocks_with_bearer_or_login(locked_client, demo_store):
    auth = {"Authorization": f"Bearer {READ}"}
    assert locked_client.get("/api/v1/documents", headers=auth).status_code == 200
    assert locked_client.get("/", headers=auth).status_code == 200
    assert (
        locked_client.get(
            "/api/v1/documents", headers={"Authorization": f"Bearer {WRITE}"}
        ).status_code
        == 200
    )
    client = TestClient(_app(demo_store, read_token=READ))
    _login(client, READ)
    page = client.get("/")
    assert page.status_code == 200 and "已登录（只读）" in page.text


# --- sessions -------------------------------------------------------------------------------


def test_login_logout_cycle(demo_store):
    client = TestClient(_app(demo_store))
    home = client.get("/")
    assert 'href="/login' in home.text and "已登录" not in home.text
    _login(client)
    cookie = client.cookies.get("ca_session")
    assert cookie and cookie.startswith("write.")
    home = client.get("/")
    assert "已登录（可编辑）" in home.text
    page = client.get(f"/entities/{_byd_id(client)}")
    assert "人工校正" in page.text  # curation actions appear for token holders only
    r = client.post("/logout", data={"csrf_token": _csrf(home.text)}, follow_redirects=False)
    assert r.status_code == 303
    assert "已登录" not in client.get("/").text
    assert "人工校正" not in client.get(f"/entities/{_byd_id(client)}").text


def test_session_cookie_flags_and_wrong_login(demo_store):
    client = TestClient(_app(demo_store))
    page = client.get("/login")
    bad = client.post("/login", data={"token": "nope", "csrf_token": _csrf(page.text)})
    assert bad.status_code == 403 and "令牌不正确" in bad.text
    r = client.post(
        "/login", data={"token": WRITE, "csrf_token": _csrf(page.text)}, follow_redirects=False
    )
    header = next(h for h in r.headers.get_list("set-cookie") if h.startswith("ca_session="))
    assert "HttpOnly" in header and "SameSite=strict" in header


def test_forged_or_expired_session_is_refused(demo_store):
    config = SecurityConfig(write_token=WRITE, read_token=READ)
    client = TestClient(_app(demo_store))
    locked = TestClient(_app(demo_store, read_token=READ))
    page = client.get("/login")
    csrf = _csrf(page.text)
    read_cookie = session_cookie_value(config, "read")
    forged = "write." + read_cookie.split(".", 1)[1]  # role changed, signature kept
    old = session_cookie_value(config, "write", issued=int(time.time()) - 13 * 3600)
    for value in (forged, old, "write.1.abc", "garbage"):
        client.cookies.set("ca_session", value)
        r = client.post(
            f"/entities/{'x' * 16}/curate/alias-add", data={"value": "a", "csrf_token": csrf}
        )
        assert r.status_code in (401, 403), value
        assert r.status_code != 404  # refused before the route looked anything up
        locked.cookies.set("ca_session", value)
        r = locked.get("/api/v1/documents")
        assert r.status_code == 403, value
        assert locked.get("/", follow_redirects=False).status_code == 303


def test_safe_next_blocks_open_redirects():
    assert safe_next("/entities/abc?x=1") == "/entities/abc?x=1"
    for bad in ("https://evil.example/", "//evil.example", "/\\evil.example", "", None):
        assert safe_next(bad) == "/"


# --- CSRF -----------------------------------------------------------------------------------


def test_csrf_missing_or_wrong_is_403(demo_copy):
    client = TestClient(_app(demo_copy))
    _login(client)
    eid = _byd_id(client)
    good = _csrf(client.get(f"/entities/{eid}").text)
    url = f"/entities/{eid}/curate/alias-add"
    assert client.post(url, data={"value": "甲"}).status_code == 403
    assert client.post(url, data={"value": "甲", "csrf_token": "x" * 43}).status_code == 403
    r = client.post(url, data={"value": "甲", "csrf_token": good}, follow_redirects=False)
    assert r.status_code == 303
    # Header form of the token works too (for script-driven posts).
    r = client.post(
        url, data={"value": "乙"}, headers={"X-CSRF-Token": good}, follow_redirects=False
    )
    assert r.status_code == 303


def test_csrf_applies_to_anonymous_forms(demo_store):
    client = TestClient(_app(demo_store))
    assert client.post("/login", data={"token": WRITE}).status_code == 403
    other = TestClient(_app(demo_store))
    stolen = _csrf(other.get("/login").text)  # a token from someone else's session
    client.get("/login")
    r = client.post("/login", data={"token": WRITE, "csrf_token": stolen})
    assert r.status_code == 403


def test_bearer_calls_skip_csrf(demo_copy):
    client = TestClient(_app(demo_copy))
    eid = _byd_id(client)
    r = client.post(
        f"/entities/{eid}/curate/alias-add",
        data={"value": "比亚迪汽车工业"},
        headers={"Authorization": f"Bearer {WRITE}"},
        follow_redirects=False,
    )
    assert r.status_code == 303


def test_cookie_api_writes_need_csrf_header(demo_copy):
    client = TestClient(_app(demo_copy))
    _login(client)
    token = _csrf(client.get("/").text)
    body = {"entity": BYD, "alias": "BYD Co"}
    assert client.post("/api/v1/curation/alias-add", json=body).status_code == 403
    r = client.post("/api/v1/curation/alias-add", json=body, headers={"X-CSRF-Token": token})
    assert r.status_code == 201


# --- SQL injection --------------------------------------------------------------------------

PROBES = ("' OR 1=1 --", '"; DROP TABLE documents; --', "%'--", "比亚迪' UNION SELECT 1 --")


def _table_counts(store) -> tuple[int, int]:
    from chainatlas.store.kb_schema import EntityRow
    from chainatlas.store.schema import DocumentRow

    with store.session() as session:
        return (
            session.scalar(select(func.count()).select_from(DocumentRow)),
            session.scalar(select(func.count()).select_from(EntityRow)),
        )


def test_sql_injection_probes_are_plain_text(open_client, demo_store):
    before = _table_counts(demo_store)
    assert before[0] > 0
    for probe in PROBES:
        r = open_client.get("/api/v1/search", params={"q": probe})
        assert r.status_code == 200, (probe, r.text)
        assert r.json()["query"] == probe
        r = open_client.get("/api/v1/entities", params={"q": probe})
        assert r.status_code == 200, (probe, r.text)
        assert r.json()["items"] == []  # not "every entity", as `OR 1=1` would give
        r = open_client.get(f"/entities/{probe}")
        assert r.status_code == 404, probe
        r = open_client.get("/search", params={"q": probe})
        assert r.status_code == 200
    assert _table_counts(demo_store) == before


# --- uploads --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def upload_client():
    app = FastAPI()

    @app.post("/up")
    async def up(file: UploadFile):
        data = await read_upload(file, max_bytes=1024)
        return {"size": len(data)}

    return TestClient(app)


def test_upload_size_and_type_checks(upload_client):
    def send(name: str, data: bytes):
        return upload_client.post("/up", files={"file": (name, data)})

    assert send("a.csv", "名称,代码\n比亚迪,002594\n".encode()).json()["size"] > 0
    assert send("a.csv", "名称\n比亚迪\n".encode("gb18030")).status_code == 200
    assert send("a.xlsx", b"PK\x03\x04" + b"\x00" * 100).status_code == 200
    assert send("a.csv", b"x" * 1025).status_code == 413
    assert send("big.xlsx", b"PK\x03\x04" + b"\x00" * 2000).status_code == 413
    assert send("a.exe", b"MZ").status_code == 415
    assert send("noext", b"a,b").status_code == 415
    assert send("a.xlsx", b"a,b\n1,2\n").status_code == 415  # not a zip
    assert send("a.csv", b"PK\x03\x04\x00\x00binary").status_code == 415  # NUL bytes
    assert send("A.CSV", b"a,b\n").status_code == 200  # extension case does not matter


def test_login_guessing_is_throttled(demo_store):
    client = TestClient(_app(demo_store))
    csrf = _csrf(client.get("/login").text)
    codes = [
        client.post("/login", data={"token": f"guess{i}", "csrf_token": csrf}).status_code
        for i in range(11)
    ]
    assert codes == [403] * 10 + [429]
    # Even the right token waits out the window: guessing gains nothing.
    assert client.post("/login", data={"token": WRITE, "csrf_token": csrf}).status_code == 429


def test_oversized_body_refused_before_reading(demo_store):
    from chainatlas.web.app import create_app

    app = create_app(demo_store, SecurityConfig(write_token=WRITE, max_upload_bytes=1024))
    r = TestClient(app).post(
        "/api/v1/curation/rename",
        content=b"x" * (1024 + 70 * 1024),
        headers={"Authorization": f"Bearer {WRITE}", "Content-Type": "application/json"},
    )
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")


def test_serve_options_reach_the_app(monkeypatch, tmp_path):
    import uvicorn
    from typer.testing import CliRunner

    from chainatlas import cli

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app))
    monkeypatch.delenv("CHAINATLAS_WRITE_TOKEN", raising=False)
    db = f"sqlite:///{tmp_path / 'serve.sqlite'}"
    runner = CliRunner()
    result = runner.invoke(cli.app, ["--db", db, "serve", "--read-token", "r1", "--store-contacts"])
    assert result.exit_code == 0, result.output
    config = seen["app"].state.security
    assert config.read_token == "r1" and config.store_contacts
    assert config.write_token and config.write_token in result.output.replace("\n", "")
    result = runner.invoke(cli.app, ["--db", db, "serve", "--write-token", "mine-0123456789"])
    assert seen["app"].state.security.write_token == "mine-0123456789"
    assert "mine-0123456789" not in result.output  # a chosen secret is not echoed
