"""The 数据 page in a real browser: log in, upload a CSV and read its report, submit URLs
and watch the job table (polled by data.js) reach 完成 and the stored report appear."""

from __future__ import annotations

import re

import pytest

from chainatlas.web.security import SecurityConfig
from tests.web.conftest import live_server, need_chromium, shot
from tests.web.test_api_data import CSV_ROWS, site  # noqa: F401 - `site` is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.network]


@pytest.fixture
def data_server(sqlite_store):
    need_chromium()
    # The test site is on 127.0.0.1, which web ingest refuses unless allowed.
    config = SecurityConfig(write_token="t", allow_private_fetch=True)
    with live_server(sqlite_store, config) as url:
        yield url


def test_login_upload_and_ingest_on_data_page(data_server, page, site):  # noqa: F811
    page.goto(f"{data_server}/data")
    assert page.locator("#import-form").count() == 0
    page.click("#need-login a")
    page.fill("input[name=token]", "t")
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(re.compile(r"/data$"))

    page.select_option("#import-kind", "enterprises")
    page.set_input_files(
        "#import-file",
        files=[{"name": "名录.csv", "mimeType": "text/csv", "buffer": CSV_ROWS.encode("utf-8")}],
    )
    page.click("#import-form button[type=submit]")
    summary = page.locator(".import-summary")
    summary.wait_for(timeout=15_000)
    assert "新增 2" in summary.inner_text() and "跳过 2" in summary.inner_text()
    problems = page.locator(".import-problems tbody tr")
    assert problems.count() == 2 and "18 位" in problems.first.inner_text()
    page.locator("#jobs tr.job-done[data-job='1']").wait_for(timeout=30_000)

    page.fill("#ingest-urls", f"{site}/news/1.html\n{site}/missing.html")
    page.click("#ingest-form button[type=submit]")
    page.locator("#ingest-message", has_text="已提交").wait_for(timeout=10_000)
    job = page.locator("#jobs tr[data-job='2']")
    page.locator("#jobs tr.job-done[data-job='2']").wait_for(timeout=30_000)
    assert "✗" in job.inner_text() and "404" in job.inner_text()
    # The stored report is refreshed once the queue is idle.
    page.locator("#runs tbody tr", has_text="#1").wait_for(timeout=10_000)
    assert "missing.html" in page.locator("#runs").inner_text()
    assert page.locator("#jobs a[href='#run-1']").count() == 1

    shot(page, "data-page")
    assert page.errors == []
