"""The web app in a real headless browser: Debian's chromium driven by Playwright
(executable_path; no browser download). Pages load without console errors and a user can
go search → document. Screenshots land in test-artifacts/ for review."""

from __future__ import annotations

import pytest

from tests.web.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_home_search_document_click_through(server, page):
    page.goto(server + "/")
    assert "chainatlas" in page.title()
    assert page.locator(".stats b").first.inner_text() == "46"
    assert page.locator(".events li").count() > 0
    shot(page, "01-home")

    page.fill("input[name=q]", "比亚迪")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    hits = page.locator("ol.docs li")
    assert hits.count() >= 3
    assert page.locator("mark").first.inner_text() == "比亚迪"
    shot(page, "02-search")

    hits.first.locator("a").first.click()
    page.wait_for_url("**/documents/*")
    assert page.locator(".body span.m").count() > 0  # mentions highlighted by type
    assert page.locator("ol.facts li").count() > 0  # facts beside the text
    evidence = page.locator("ol.facts a").first
    target = evidence.get_attribute("href")
    assert target.startswith("#s-") and page.locator(target).count() == 1
    shot(page, "03-document")
    assert page.errors == []


def test_unknown_document_is_a_chinese_error_page(server, page):
    response = page.goto(server + "/documents/does-not-exist")
    assert response.status == 404
    assert "没有编号为" in page.content()
    assert page.errors == [] or all("404" in e for e in page.errors)


def test_find_byd_open_its_profile_then_a_source_article(server, page):
    page.goto(server + "/")
    page.fill("input[name=q]", "比亚迪")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    page.locator(".entity-hits a", has_text="比亚迪").first.click()
    page.wait_for_url("**/entities/*")
    body = page.locator("article.entity").inner_text()
    assert "002594" in body and "来源文章" in body
    shot(page, "04-entity")
    page.locator("ul.placements a", has_text="新能源汽车").first.click()
    page.wait_for_url("**/chains/nev*")
    page.fill("input[name=region]", "深圳")
    page.press("input[name=region]", "Enter")
    page.wait_for_selector("#chain-map[data-ready='1'] canvas")
    assert "整车制造" in page.locator("table.segments").inner_text()
    page.go_back()
    page.go_back()
    page.locator("article.entity ol.docs a").first.click()
    page.wait_for_url("**/documents/*")
    assert page.locator(".body").inner_text()
    assert page.errors == []


def test_chain_map_draws_with_locally_served_echarts(server, page):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + "/chains")
    page.locator("a", has_text="高端医疗器械").first.click()
    page.wait_for_url("**/chains/*")
    page.fill("input[name=region]", "深圳")
    page.press("input[name=region]", "Enter")
    page.wait_for_selector("#chain-map[data-ready='1'] canvas")
    table = page.locator("table.segments").inner_text()
    assert "生命信息与支持设备" in table and "缺" in table
    assert all(u.startswith(server) for u in requests), "every asset is served by the app"
    shot(page, "05-chain-map")
    assert page.errors == []


def test_search_facets_load_and_narrow_the_hits(server, page):
    page.goto(server + "/search?q=医疗")
    page.wait_for_selector("#facets[data-loaded=true]")
    years = page.locator(".facet-year a")
    assert years.count() >= 1
    before = page.locator("ol.docs li").count()
    label = years.first.inner_text()
    years.first.click()
    page.wait_for_url("**/search?*year=*")
    assert page.locator(".active-filters .chip").inner_text().startswith("年份：" + label)
    assert 0 < page.locator("ol.docs li").count() <= before
    page.wait_for_selector("#facets[data-loaded=true]")
    assert page.locator(".facet-year a").count() == 0  # an applied facet is not offered again
    assert page.locator(".facet-entity_type li").count() >= 1
    shot(page, "02b-search-facets")
    page.locator(".active-filters .chip").click()
    page.wait_for_url(lambda url: "year=" not in url)
    assert page.locator("ol.docs li").count() == before
    assert page.errors == []
