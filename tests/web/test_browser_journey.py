"""The issue's acceptance journey, as a new user would click it: find 比亚迪, open its
profile, jump to the 新能源汽车 chain map, see 深圳 on it, and get an explained 招商 list —
without typing anything but the first search."""

from __future__ import annotations

import pytest

from tests.web.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_byd_to_chain_map_to_explained_invest_list(server, page):
    page.goto(server + "/")
    page.fill("input[name=q]", "比亚迪")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    page.locator(".entity-hits a", has_text="比亚迪").first.click()
    page.wait_for_url("**/entities/*")

    # The profile links each chain it sits on, opened on the entity's own region
    # (比亚迪总部位于深圳 in the demo corpus gives 比亚迪 the region 440300).
    page.locator("ul.placements a", has_text="新能源汽车").first.click()
    page.wait_for_url("**/chains/nev?region=*")
    page.wait_for_selector("#chain-map[data-ready='1'] canvas")
    assert "深圳" in page.locator("h1").inner_text()
    assert page.locator("table.segments").inner_text().count("比亚迪") >= 1
    shot(page, "30-journey-chain-map")

    page.locator("a.invest-link").click()
    page.wait_for_url("**/match?*tab=invest*")
    results = page.locator("#invest-results li.match-item")
    assert results.count() >= 3
    first = results.first
    assert first.locator(".score").count() == 1 and first.locator(".score-parts .part").count() > 0
    assert "可补环节" in first.locator("p.why").first.inner_text()  # which links it fills
    shot(page, "31-journey-invest")
    assert page.errors == []


def test_chain_page_without_region_lists_where_the_chain_is_active(server, page):
    page.goto(server + "/chains/nev")
    page.wait_for_selector("#chain-map[data-ready='1'] canvas")
    chips = page.locator(".top-regions a")
    assert chips.count() >= 3
    page.locator(".top-regions a", has_text="深圳").first.click()
    page.wait_for_url("**/chains/nev?region=440300")
    assert "深圳" in page.locator("h1").inner_text()
    assert page.locator("a.invest-link").count() == 1
    assert page.errors == []
