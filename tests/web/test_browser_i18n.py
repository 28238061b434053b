"""The English interface in a real browser: the 中文/English switch on the home page turns
the pages English and the choice sticks while the user walks to a chain map for a region;
the map still draws, its click-through detail speaks English, and nothing errors."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_switch_to_english_then_open_a_chain_map_for_a_region(server, page):
    page.goto(server + "/")
    assert "最新动态" in page.locator("main").inner_text()  # Chinese by default
    page.locator("nav a.lang", has_text="English").click()
    page.wait_for_url("**/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Latest events" in page.locator("main").inner_text()
    nav = page.locator("nav").inner_text()
    assert "Home" in nav and not HAN.search(nav.replace("中文", ""))

    # Plain links from here on: the cookie keeps English without ?lang=.
    page.locator("nav a", has_text="Chains").click()
    page.wait_for_url("**/chains")
    assert "segments" in page.locator("main ol.docs").inner_text()
    page.locator("main ol.docs a", has_text="高端医疗器械").click()
    page.wait_for_url("**/chains/medical-devices")
    page.fill("input[name=region]", "深圳")
    page.locator("form.region-form button", has_text="Diagnose").click()
    page.wait_for_url("**/chains/medical-devices?region=*")
    page.wait_for_selector("#chain-map[data-ready='1'] canvas")
    assert "diagnosis for 广东省深圳市" in page.locator("h1").inner_text()
    head = page.locator("table.segments thead").inner_text()
    assert "Segment" in head and "Verdict" in head and not HAN.search(head)
    table = page.locator("table.segments tbody").inner_text()
    assert "Upstream" in table and "Missing" in table and "上游" not in table

    # Click the first segment node (chain_map.js lays node 0 out at graph point 120, 40).
    point = page.evaluate(
        """() => {
        const el = document.getElementById('chain-map');
        const chart = echarts.getInstanceByDom(el);
        const xy = chart.convertToPixel({seriesIndex: 0}, [120, 40]);
        const box = el.getBoundingClientRect();
        return [box.left + xy[0], box.top + xy[1]];
    }"""
    )
    page.mouse.move(point[0], point[1])
    page.mouse.click(point[0], point[1])
    detail = page.locator("#segment-detail")
    detail.locator("h2").wait_for()
    assert detail.locator("h2").inner_text().startswith("Upstream · ")
    # The rule line (p.meta) is the diagnosis' own text; the two list lines are interface.
    lists = " ".join(detail.locator("p:not(.meta)").all_inner_texts())
    assert "Enterprise: " in lists and "Research institution: " in lists
    assert "企业" not in lists and "科研机构" not in lists
    tip = page.locator("#chain-map").inner_text()
    assert "enterprises" in tip and "企业" not in tip
    shot(page, "30-chain-map-english")
    assert page.errors == []


def test_english_region_map_trend_chart_and_data_page_scripts(server, page):
    page.goto(server + "/regions?chain=medical-devices&lang=en")
    page.wait_for_selector("#region-map[data-ready='1'] canvas")
    names = page.evaluate(
        """() => {
        const chart = echarts.getInstanceByDom(document.getElementById('region-map'));
        const o = chart.getOption();
        return o.series.map(s => s.name).concat(o.visualMap[0].text);
    }"""
    )
    assert names == ["Provinces", "Cities", "more", "fewer"]
    page.goto(server + "/regions/440300?chain=medical-devices")  # cookie keeps English
    page.wait_for_selector("#trend-chart[data-ready='1'] canvas")
    legend = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('trend-chart'))"
        ".getOption().legend[0].data"
    )
    assert legend == ["Project", "Newly seen enterprises"]
    page.goto(server + "/data")
    page.wait_for_load_state("networkidle")
    assert "Jobs" in page.locator("#jobs-section h2").inner_text()
    assert not HAN.search(page.locator("#jobs").inner_text())
    shot(page, "31-data-english")
    assert page.errors == []


def test_english_graph_draws_with_english_legend_and_labels(server, page):
    byd = page.request.get(f"{server}/api/v1/entities?q=比亚迪").json()["items"][0]
    page.goto(f"{server}/graph?entity={byd['id']}&lang=en")
    page.locator('#graph[data-ready="1"] canvas').first.wait_for(timeout=10_000)
    legend = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('graph'))"
        ".getOption().legend[0].data"
    )
    assert "Enterprise" in legend and not any(HAN.search(name) for name in legend), legend
    kinds = page.locator("#graph-kinds").inner_text()
    assert "Relation types" in kinds and "Named in the same sentence" in kinds
    assert not HAN.search(kinds), kinds
    detail = page.locator("#graph-detail").inner_text()
    assert "Enterprise · Open entity profile" in detail
    shot(page, "32-graph-english")

    # The start page's search box answers in English too, from graph.js.
    page.goto(f"{server}/graph")  # the cookie keeps English
    page.fill("#graph-q", "没有这个实体")
    page.click("#graph-search button")
    miss = page.locator("#graph-hits li.empty")
    miss.wait_for()
    assert miss.inner_text().startswith("No entity named “没有这个实体”")
    page.fill("#graph-q", "比亚迪")
    page.click("#graph-search button")
    hit = page.locator("#graph-hits li", has_text="比亚迪").first
    hit.wait_for()
    assert "Enterprise" in hit.inner_text() and "company" not in hit.inner_text()
    assert page.errors == []
