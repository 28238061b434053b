"""区域 pages in a real browser: the China map draws from locally served outlines, a
province click opens its page, the diagnosis and trend chart render, compare renders —
with no console errors and no request leaving the app's origin."""

from __future__ import annotations

import pytest

from tests.web.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _track(page) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    return requests


def test_regions_map_draws_and_a_province_click_opens_it(server, page):
    requests = _track(page)
    page.goto(server + "/regions?chain=medical-devices")
    page.wait_for_selector("#region-map[data-ready='1'] canvas")
    assert "广东省" in page.locator(".region-tables").inner_text()
    shot(page, "20-regions-map")
    # Click 广东 on the map itself: its screen position comes from the chart's own
    # projection, so the test does not depend on the page layout.
    point = page.evaluate(
        """() => {
        const el = document.getElementById('region-map');
        const chart = echarts.getInstanceByDom(el);
        const xy = chart.convertToPixel({geoIndex: 0}, [113.0, 23.6]);
        const box = el.getBoundingClientRect();
        return [box.left + xy[0], box.top + xy[1]];
    }"""
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_url("**/regions/4400*")
    assert "广东省" in page.locator("h1").inner_text()
    assert all(u.startswith(server) for u in requests), "every asset is served by the app"
    assert page.errors == []


def test_region_diagnosis_and_trend_chart_render(server, page):
    requests = _track(page)
    page.goto(server + "/regions")
    page.wait_for_selector("#region-map[data-ready='1'] canvas")
    page.select_option("select[name=chain]", "medical-devices")
    page.fill("input[name=region]", "深圳")
    page.press("input[name=region]", "Enter")
    page.wait_for_url("**/regions/440300?chain=medical-devices")
    page.wait_for_selector("#trend-chart[data-ready='1'] canvas")
    verdicts = page.locator("section.verdicts").inner_text()
    assert "生命信息与支持设备" in verdicts and "中游" in verdicts
    assert "650亿元" in page.locator("section.declared-observed").inner_text()
    shot(page, "21-region-diagnosis")
    page.locator(".region-header a", has_text="广东省").click()
    page.wait_for_url("**/regions/440000?chain=medical-devices")
    assert "广东省" in page.locator("h1").inner_text()
    assert all(u.startswith(server) for u in requests)
    assert page.errors == []


def test_compare_page_renders_both_regions(server, page):
    requests = _track(page)
    page.goto(server + "/regions/compare")
    page.fill("input[name=a]", "深圳")
    page.fill("input[name=b]", "上海")
    page.select_option("select[name=chain]", "medical-devices")
    page.locator("form.region-form button").click()
    page.wait_for_selector("#compare-table")
    head = page.locator("#compare-table thead").inner_text()
    assert "广东省深圳市" in head and "上海市" in head
    assert "生命信息与支持设备" in page.locator("#compare-table").inner_text()
    shot(page, "22-region-compare")
    assert all(u.startswith(server) for u in requests)
    assert page.errors == []
