"""The 搜索 page: pages of 20 hits with a cursor link, drill-down filters shown as chips
that can be dropped, and a facet panel the script fills from the search API."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from chainatlas.store import documents
from chainatlas.web.app import SEARCH_PAGE_SIZE, create_app
from tests.factories import prepared

PLACES = [
    "光明",
    "坪山",
    "龙岗",
    "南山",
    "宝安",
    "黄埔",
    "番禺",
    "增城",
    "江宁",
    "浦口",
    "萧山",
    "余杭",
    "高新",
    "经开",
    "滨江",
]
THINGS = [
    "储能电站",
    "光伏组件",
    "锂电隔膜",
    "医学影像",
    "体外诊断",
    "工业机器人",
    "激光器",
    "碳化硅",
    "封装测试",
]


@pytest.fixture
def client(sqlite_store):
    with sqlite_store.session() as session:
        for i in range(SEARCH_PAGE_SIZE + 7):  # 27 hits: two pages
            year = 2023 if i % 2 else 2024
            text = (
                f"{PLACES[i % len(PLACES)]}园区第{i}批签约储能项目，"
                f"配套{THINGS[i % len(THINGS)]}与{THINGS[(i * 5 + 2) % len(THINGS)]}生产线，"
                f"计划投资{i + 3}亿元，编号{i * 7919}。" * 2
            )
            documents.save(
                session,
                prepared(
                    f"储能项目第{i}批", text, source=f"s{i}.html",
                    published=datetime(year, 1 + i % 12, 1 + i % 27, tzinfo=UTC),
                ),
                near_dup_threshold=0.95,
            )  # fmt: skip
    return TestClient(create_app(sqlite_store))


def _hit_titles(page: str) -> list[str]:
    return re.findall(r'<a href="/documents/[^"]+">(储能项目第\d+批)</a>', page)


def test_hits_come_in_pages_with_a_next_link(client):
    first = client.get("/search", params={"q": "储能"})
    titles = _hit_titles(first.text)
    assert len(titles) == SEARCH_PAGE_SIZE
    link = re.search(r'<a rel="next" href="([^"]+)"', first.text)
    assert link and "回到第一页" not in first.text
    second = client.get(html.unescape(link.group(1)))
    rest = _hit_titles(second.text)
    assert len(rest) == 7 and not set(rest) & set(titles)
    assert "回到第一页" in second.text and 'rel="next"' not in second.text
    # The same order as the API (newest first) across both pages.
    api = client.get("/api/v1/search", params={"q": "储能", "limit": 50}).json()["items"]
    assert titles + rest == [item["title"] for item in api]


def test_a_year_filter_narrows_and_its_chip_drops_it(client):
    page = client.get("/search", params={"q": "储能", "year": 2023})
    titles = _hit_titles(page.text)
    assert len(titles) == 13 and all(int(t[5:-1]) % 2 for t in titles)
    chips = re.findall(r'<a class="chip" href="([^"]+)"[^>]*>([^<]+)</a>', page.text)
    assert chips == [("/search?q=%E5%82%A8%E8%83%BD", "年份：2023 ×")]
    assert 'data-filters="{&#34;year&#34;: 2023}"' in page.text  # handed to the facet script
    assert client.get("/search", params={"q": "储能", "year": "x"}).status_code == 422


def test_the_facet_panel_and_its_data(client):
    page = client.get("/search", params={"q": "储能"})
    assert 'id="facets"' in page.text and '<script src="/static/search.js" defer>' in page.text
    facets = client.get(
        "/api/v1/search", params={"q": "储能", "facets": "true", "limit": 1}
    ).json()["facets"]
    assert {(y["value"], y["count"]) for y in facets["year"]} == {(2023, 13), (2024, 14)}
    assert client.get("/static/search.js").status_code == 200
    empty = client.get("/search")
    assert 'id="facets"' not in empty.text and "search.js" not in empty.text


def test_hostile_queries_are_escaped_everywhere_on_the_page(client):
    hostile = '"><script>alert(1)</script>'
    page = client.get("/search", params={"q": hostile, "site": hostile})
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
