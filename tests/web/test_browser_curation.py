"""A curation done in the browser survives a reload: log in with the write token, add an
alias on 比亚迪's page, reload, see it. Runs on a writable copy of the demo store."""

from __future__ import annotations

import pytest

from chainatlas.web.security import SecurityConfig
from tests.web.conftest import live_server, need_chromium, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WRITE = "browser-write-token-0123456789"
ALIAS = "BYD 比亚迪汽车集团"


@pytest.fixture
def writable_server(demo_copy):
    need_chromium()
    with live_server(demo_copy, SecurityConfig(write_token=WRITE)) as url:
        yield url


def test_login_add_alias_visible_after_reload(writable_server, page):
    page.goto(writable_server + "/entities?q=比亚迪")
    page.locator("a", has_text="比亚迪").first.click()
    page.wait_for_url("**/entities/*")
    entity_url = page.url
    assert page.locator("#curation").count() == 0  # anonymous visitors see no actions

    page.locator("nav a", has_text="登录").click()
    page.wait_for_url("**/login?**")
    page.fill("input[name=token]", "wrong-token")
    page.click("form.login-form button[type=submit]")
    assert "令牌不正确" in page.locator("main").inner_text()
    # The refused login answers 403, which chromium logs as a failed load: expected here.
    assert page.errors == [
        "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    ]
    page.errors.clear()
    page.fill("input[name=token]", WRITE)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(entity_url)
    assert "已登录（可编辑）" in page.locator("nav").inner_text()

    form = page.locator("form[action$='/curate/alias-add']")
    form.locator("input[name=value]").fill(ALIAS)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/entities/*?curated=*")
    assert "已保存校正" in page.locator("#curation").inner_text()

    page.goto(entity_url)
    page.reload()
    assert ALIAS in page.locator("article.entity").inner_text()
    shot(page, "20-entity-curated")
    assert page.errors == []
