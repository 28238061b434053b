"""Data-entry API: file imports (validation report, limits, auth) and URL ingest jobs run
by the app's background worker against a local HTTP server."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from chainatlas.ingest.fetch import FetchSettings
from chainatlas.store import documents, kb
from chainatlas.store.imports_schema import ImportedRecordRow
from chainatlas.web.app import create_app
from chainatlas.web.security import SecurityConfig

AUTH = {"Authorization": "Bearer t"}
MAX_UPLOAD = 16 * 1024  # an .xlsx with one row is about 5 KB

# Our own invented rows: two good companies, a malformed credit code, a blank name.
CSV_ROWS = (
    "企业名称,统一社会信用代码,地区,行业\n"
    "深圳澄川储能科技有限公司,,深圳,储能\n"
    "佛山岚石新材料有限公司,,佛山,新材料\n"
    "广州坏码电子有限公司,12345,广州,电子\n"
    ",,东莞,机械\n"
)

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>示例新区新材料产业园集中签约三个项目</title></head><body>
<div class="nav">首页 | 园区动态 | 招商政策</div>
<div class="article"><h1>示例新区新材料产业园集中签约三个项目</h1>
<p>11月20日，示例新区新材料产业园举行集中签约活动，深圳澄川储能科技有限公司等三家企业签约落户。</p>
<p>三个项目总投资约12亿元，主要建设储能电池材料生产线，预计明年开工建设。</p>
</div><div class="footer">版权所有 示例新区管委会</div></body></html>"""


def _client(store, **security) -> TestClient:
    # The test site is a local http.server, an address the SSRF guard refuses by default
    # (tests/web/test_ssrf.py covers the refusal), so these tests allow it explicitly.
    security.setdefault("allow_private_fetch", True)
    config = SecurityConfig(write_token="t", max_upload_bytes=MAX_UPLOAD, **security)
    return TestClient(create_app(store, config))


@pytest.fixture
def client(sqlite_store) -> Iterator[TestClient]:
    with _client(sqlite_store) as c:
        c.get("/api/v1/jobs")  # publishes the runner on app.state
        # Two requests to one local host need no politeness delay in a test.
        c.app.state.jobs.fetch_settings = FetchSettings(timeout=5, per_host_delay=0)
        yield c


def _upload(client, kind="enterprises", name="名录.csv", data=None, headers=AUTH):
    data = CSV_ROWS.encode() if data is None else data
    return client.post(f"/api/v1/import/{kind}", files={"file": (name, data)}, headers=headers)


def test_csv_upload_reports_bad_rows_keeps_good_ones_and_resolves(store):
    with _client(store) as client:
        resp = _upload(client, data=CSV_ROWS.encode("gb18030"))  # Excel on Chinese Windows
        assert resp.status_code == 200, resp.text
        report = resp.json()
        assert (report["rows"], report["inserted"], report["updated"], report["rejected"]) == (
            4,
            2,
            0,
            2,
        )
        assert report["rejected_rows"] == [4, 5]  # spreadsheet rows (the header is row 1)
        by_row = {p["row"]: p for p in report["problems"]}
        assert "18 位" in by_row[4]["message"] and by_row[4]["severity"] == "error"
        assert report["source"] == "名录.csv" and report["resolve"] == "queued"

        job = client.app.state.jobs.wait(report["job_id"], timeout=60)
        assert job["status"] == "done", job
        assert {p["name"]: p["state"] for p in job["phases"]} == {
            "import": "done",
            "resolve": "done",
        }
        assert client.get(f"/api/v1/jobs/{report['job_id']}").json()["status"] == "done"
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(ImportedRecordRow)) == 2
        names = {e.name for e in kb.find_entities(session, "深圳澄川储能科技有限公司")}
        assert "深圳澄川储能科技有限公司" in names
        assert not kb.find_entities(session, "广州坏码电子有限公司")

    # The same file again updates instead of duplicating.
    with _client(store) as client:
        again = _upload(client).json()
        assert (again["inserted"], again["updated"]) == (0, 2)


def test_dry_run_writes_nothing_and_queues_no_resolve(client, sqlite_store):
    resp = client.post(
        "/api/v1/import/enterprises?dry_run=true",
        files={"file": ("a.csv", CSV_ROWS.encode())},
        headers=AUTH,
    )
    assert resp.status_code == 200 and resp.json()["inserted"] == 2
    assert resp.json()["resolve"] == "skipped"
    with sqlite_store.session() as session:
        assert session.scalar(select(func.count()).select_from(ImportedRecordRow)) == 0


def test_upload_limits_type_and_auth(client):
    big = (CSV_ROWS * 200).encode()
    assert len(big) > MAX_UPLOAD
    resp = _upload(client, data=big)
    assert resp.status_code == 413 and resp.headers["content-type"].startswith(
        "application/problem+json"
    )
    assert _upload(client, name="名录.pdf").status_code == 415
    assert _upload(client, name="名录.xls").status_code == 415
    assert _upload(client, name="fake.xlsx").status_code == 415  # not a zip inside
    assert _upload(client, data=b"a,b\x00\x01\x02").status_code == 415
    assert _upload(client, headers={}).status_code == 401
    assert _upload(client, headers={"Authorization": "Bearer wrong"}).status_code == 403


def test_unknown_kind_and_bad_table(client):
    resp = _upload(client, kind="planets")
    assert resp.status_code == 404 and "enterprises" in resp.json()["title"]
    resp = _upload(client, data="城市,人口\n深圳,1\n".encode())
    assert resp.status_code == 422 and "企业名称" in resp.json()["title"]
    resp = _upload(client, data=b"\n\n")
    assert resp.status_code == 422 and "表头" in resp.json()["title"]


# --- ingest jobs ------------------------------------------------------------------------------


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>示例新区动态</title><link>/</link>
<item><title>集中签约</title><link>/news/1.html</link></item>
<item><title>已删除的稿件</title><link>/news/gone.html</link></item>
</channel></rss>"""


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        pages = {
            "/news/1.html": (PAGE, "text/html; charset=utf-8"),
            "/feed.xml": (FEED, "application/rss+xml; charset=utf-8"),
        }
        if self.path not in pages:
            self.send_error(404)
            return
        text, ctype = pages[self.path]
        body = text.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.network
def test_ingest_job_reports_each_url_and_continues_past_failures(client, sqlite_store, site):
    urls = [f"{site}/news/1.html", f"{site}/missing.html"]
    resp = client.post("/api/v1/ingest", json={"urls": urls}, headers=AUTH)
    assert resp.status_code == 202, resp.text
    job_id = resp.json()["id"]
    assert resp.json()["status"] in ("queued", "running", "done")

    job = client.app.state.jobs.wait(job_id, timeout=60)
    assert job["status"] == "done", job
    phases = {p["name"]: p for p in job["phases"]}
    assert (phases["fetch"]["done"], phases["fetch"]["total"]) == (2, 2)
    assert phases["extract"]["state"] == "done" and phases["extract"]["done"] == 1
    assert phases["resolve"]["state"] == "done"
    good, bad = job["inputs"]
    assert good["state"] == "done" and good["outcomes"][0]["status"] == "new"
    assert bad["state"] == "failed" and "404" in bad["outcomes"][0]["detail"]
    assert job["summary"]["ingest"]["new"] == 1 and job["summary"]["ingest"]["failed"] == 1

    with sqlite_store.session() as session:
        assert documents.count(session) == 1
    runs = client.get("/api/v1/runs").json()["items"]
    assert runs[0]["id"] == job["run_id"]
    assert [f["source"] for f in runs[0]["failures"]] == [urls[1]]
    listed = client.get("/api/v1/jobs").json()
    assert listed["busy"] is False and listed["items"][0]["id"] == job_id


@pytest.mark.network
def test_feed_job_fetches_entries_and_reports_the_broken_one(client, sqlite_store, site):
    resp = client.post("/api/v1/ingest", json={"feeds": [f"{site}/feed.xml"]}, headers=AUTH)
    job = client.app.state.jobs.wait(resp.json()["id"], timeout=60)
    assert job["status"] == "done", job
    (feed,) = job["inputs"]
    assert feed["kind"] == "feed" and feed["state"] == "done"
    assert sorted(o["status"] for o in feed["outcomes"]) == ["failed", "new"]
    failed = next(o for o in feed["outcomes"] if o["status"] == "failed")
    assert "gone.html" in failed["source"] and "404" in failed["detail"]
    # Re-submitting the same feed stores nothing new, so extraction has nothing to do
    # and the resolve is skipped.
    resp = client.post("/api/v1/ingest", json={"feeds": [f"{site}/feed.xml"]}, headers=AUTH)
    job = client.app.state.jobs.wait(resp.json()["id"], timeout=60)
    assert job["summary"]["ingest"]["duplicate"] == 1
    assert {p["name"]: p["state"] for p in job["phases"]}["resolve"] == "skipped"


def test_xlsx_upload(client, sqlite_store):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["园区名称", "地区", "主导产业"])
    ws.append(["示例新区新材料产业园", "佛山", "新材料"])
    buf = io.BytesIO()
    wb.save(buf)
    resp = _upload(client, kind="parks", name="园区.xlsx", data=buf.getvalue())
    assert resp.status_code == 200, resp.text
    assert (resp.json()["rows"], resp.json()["inserted"]) == (1, 1)


def test_a_failing_job_is_reported_and_the_queue_goes_on(client, monkeypatch):
    import chainatlas.jobs.resolve as resolve_job

    calls = []

    def broken(store, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("disk full")
        return resolve_job.ResolveReport(counts={"entities": 0})

    monkeypatch.setattr(resolve_job, "run_resolve", broken)
    first = _upload(client).json()["job_id"]
    second = _upload(client).json()["job_id"]
    runner = client.app.state.jobs
    job = runner.wait(first)
    assert job["status"] == "failed" and "disk full" in job["error"]
    assert {p["name"]: p["state"] for p in job["phases"]}["resolve"] == "failed"
    assert runner.wait(second)["status"] == "done"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"urls": ["ftp://example.com/a.html"]}, "ftp"),
        ({"urls": ["file:///etc/passwd"]}, "file"),
        ({"feeds": ["javascript:alert(1)"]}, "javascript"),
        ({"urls": ["example.com/page"]}, "http"),
        ({"urls": []}, "至少"),
        ({"urls": [f"http://example.com/{i}" for i in range(51)]}, "最多"),
    ],
)
def test_ingest_rejects_bad_requests(client, body, needle):
    resp = client.post("/api/v1/ingest", json=body, headers=AUTH)
    assert resp.status_code == 422
    assert needle in resp.json()["title"]
    assert client.get("/api/v1/jobs").json()["items"] == []


def test_ingest_needs_write_token_and_unknown_job_is_404(client):
    resp = client.post("/api/v1/ingest", json={"urls": ["http://example.com/"]})
    assert resp.status_code == 401
    assert client.get("/api/v1/jobs/999").status_code == 404


def test_data_page_shows_forms_only_to_writers(client):
    page = client.get("/data")
    assert page.status_code == 200 and "登录" in page.text and "import-form" not in page.text
    page = client.get("/data", headers=AUTH)
    assert 'id="import-form"' in page.text and 'name="csrf_token"' in page.text
