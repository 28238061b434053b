"""图谱 and 对接 in a real browser (Debian chromium): the graph draws and grows on click,
the three matching forms return explained results, the lead form stores a need."""

from __future__ import annotations

import pytest

from tests.web.conftest import copy_store, live_server, need_chromium, shot

pytestmark = pytest.mark.slow

# Pixel position of a named node, read from the chart the page drew.
NODE_XY = """(name) => {
  const chart = echarts.getInstanceByDom(document.getElementById('graph'));
  const data = chart.getModel().getSeriesByIndex(0).getData();
  for (let i = 0; i < data.count(); i++) {
    if (data.getName(i) === name) {
      const xy = chart.convertToPixel({seriesIndex: 0}, data.getItemLayout(i));
      const box = document.getElementById('graph').getBoundingClientRect();
      return [box.left + xy[0], box.top + xy[1]];
    }
  }
  return null;
}"""


@pytest.fixture(scope="module")
def writable_server(demo_store, tmp_path_factory):
    """A private copy of the demo store behind its own server: the lead form writes."""
    need_chromium()
    from chainatlas.web.security import SecurityConfig

    store = copy_store(demo_store, tmp_path_factory.mktemp("match"))
    with live_server(store, SecurityConfig(write_token="t", store_contacts=False)) as url:
        yield url
    store.close()


def _byd(page, server) -> str:
    res = page.request.get(f"{server}/api/v1/entities?q=比亚迪")
    return res.json()["items"][0]["id"]


def test_graph_draws_expands_and_filters(server, page):
    byd = _byd(page, server)
    page.goto(f"{server}/graph?entity={byd}")
    graph = page.locator('#graph[data-ready="1"]')
    graph.wait_for(timeout=10_000)
    assert page.locator("#graph canvas").count() >= 1
    before = int(graph.get_attribute("data-nodes"))
    assert before > 3
    shot(page, "graph-byd")
    # Regions share sentences with 比亚迪 and have neighbours of their own; a label may
    # sit on top of one node, so try the next if a click lands elsewhere.
    for name in ("广东省深圳市", "安徽省合肥市", "陕西省西安市"):
        xy = page.evaluate(NODE_XY, name)
        if not xy:
            continue
        page.mouse.click(*xy)
        if page.locator("#graph-detail h2", has_text=name).count():
            break
    else:
        pytest.fail("no region node could be clicked")
    assert page.locator("#graph-detail a[href^='/entities/']").count() == 1
    # A function, not a bare expression: Playwright evals bare expressions inside the
    # page, which the page's CSP (no 'unsafe-eval') refuses.
    page.wait_for_function(
        "(before) => document.getElementById('graph').dataset.ready === '1' && "
        "+document.getElementById('graph').dataset.nodes > before",
        arg=before,
        timeout=10_000,
    )
    shot(page, "graph-expanded")
    edges = int(graph.get_attribute("data-edges"))
    page.locator("#graph-kinds input[value='co_mention']").uncheck()
    assert int(page.locator("#graph").get_attribute("data-edges")) < edges
    assert page.errors == []


def test_graph_start_page_search_box(server, page):
    page.goto(f"{server}/graph")
    page.fill("#graph-q", "比亚迪")
    page.click("#graph-search button")
    page.locator("#graph-hits a", has_text="比亚迪").first.click()
    page.locator('#graph[data-ready="1"]').wait_for(timeout=10_000)
    assert page.errors == []


def test_tech_form_ranks_the_quantum_institute(server, page):
    page.goto(f"{server}/match?tab=tech")
    page.fill("input[name=need]", "量子计算 芯片")
    page.click("#tech-form button")
    first = page.locator("#tech-results > li").first
    first.wait_for()
    assert "深圳国际量子研究院" in first.inner_text()
    assert "匹配词" in first.inner_text() and "文本相关" in first.inner_text()
    shot(page, "match-tech")
    assert page.errors == []


def test_invest_form_for_shenzhen_medical_devices(server, page):
    page.goto(f"{server}/match")
    page.fill("input[name=region]", "深圳")
    page.select_option("select[name=chain]", label="高端医疗器械")
    page.click("#invest-form button")
    items = page.locator("#invest-results > li.match-item")
    items.first.wait_for()
    assert items.count() >= 1 and "可补环节" in items.first.inner_text()
    shot(page, "match-invest")
    assert page.errors == []


def test_site_form_validates_then_stores(writable_server, page):
    page.goto(f"{writable_server}/match?tab=site")
    page.check("input[name=need_type][value=factory]")
    page.fill("input[name=industry]", "医疗器械生产")
    page.fill("input[name=area]", "5000")
    page.select_option("select[name=area_unit]", "㎡")
    page.fill("input[name=region]", "广州")
    page.fill("input[name=contact]", "张伟")
    page.fill("input[name=phone]", "12345")
    page.check("input[name=consent]")
    page.click("#site-form button[type=submit]")
    assert "手机号格式不正确" in page.locator("#err-phone").inner_text()
    shot(page, "match-site-error")
    page.fill("input[name=phone]", "13812345678")
    page.click("#site-form button[type=submit]")
    stored = page.locator("#site-stored")
    stored.wait_for()
    assert "没有被保存" in stored.inner_text()  # store_contacts is off on this server
    assert page.locator("#site-results > li").count() >= 1
    shot(page, "match-site-results")
    assert page.errors == []


def test_entity_profile_draws_its_related_entities_graph(server, page):
    byd = _byd(page, server)
    page.goto(f"{server}/entities/{byd}")
    graph = page.locator('.entity-graph #graph[data-ready="1"]')
    graph.wait_for(timeout=10_000)
    assert int(graph.get_attribute("data-nodes")) > 3
    assert page.locator(".entity-graph #graph-kinds input").count() >= 1
    link = page.locator(".entity-graph h2 a")
    assert link.get_attribute("href") == f"/graph?entity={byd}"
    shot(page, "entity-graph-byd")
    assert page.errors == []
