"""区域 pages and REST endpoints (presence map data, region diagnosis page, comparison)
on the demo corpus, plus the presence counting on hand-made records."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from chainatlas.chains.diagnose import EntityRecord, Placement, ProjectRecord
from chainatlas.kb.regions import RegionGazetteer
from chainatlas.web.api_region import presence_by_region
from chainatlas.web.app import create_app
from chainatlas.web.pages_region import group_by_stage


@pytest.fixture(scope="module")
def client(demo_store):
    return TestClient(create_app(demo_store))


def _text(html: str) -> str:
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --------------------------------------------------------------------------- pure counting


def _placed(chain: str, segment: str) -> tuple[Placement, ...]:
    return (Placement(chain, segment, 0.9, "test"),)


def test_presence_rolls_up_to_province_and_city_and_filters_by_chain():
    gaz = RegionGazetteer.load()
    nanshan = frozenset(r.code for r in gaz.rollup("440305"))  # 深圳市南山区
    pudong = frozenset(r.code for r in gaz.rollup("310115"))  # 上海市浦东新区
    inputs = SimpleNamespace(
        entities=[
            EntityRecord("e1", "甲公司", "company", nanshan, _placed("medical-devices", "x")),
            EntityRecord("e2", "乙研究院", "research", nanshan, _placed("medical-devices", "x")),
            EntityRecord("e3", "丙公司", "company", pudong, _placed("nev", "y")),
            EntityRecord("e4", "丁公司", "company", pudong, ()),  # not placed: not counted
        ],
        projects=[
            ProjectRecord("p1", "某项目", nanshan, _placed("medical-devices", "x"), amount=5e8)
        ],
    )
    provinces = {p.code: p for p in presence_by_region(inputs, "medical-devices", "province", gaz)}
    assert set(provinces) == {"440000"}
    gd = provinces["440000"]
    assert (gd.enterprises, gd.institutions, gd.projects) == (1, 1, 1)
    assert gd.score == 2.5 and gd.investment == 5e8 and gd.short_name == "广东"
    cities = {p.code for p in presence_by_region(inputs, None, "city", gaz)}
    # 上海 is a municipality: it stands for its own city at city level.
    assert cities == {"440300", "310000"}
    ranked = presence_by_region(inputs, None, "province", gaz)
    assert [p.code for p in ranked] == ["440000", "310000"]


def test_group_by_stage_keeps_chain_order_and_drops_empty_stages():
    segs = [
        {"stage": "downstream", "name": "c"},
        {"stage": "upstream", "name": "a"},
        {"stage": "upstream", "name": "b"},
    ]
    groups = group_by_stage(segs)
    assert [label for label, _ in groups] == ["上游", "下游"]
    assert [s["name"] for s in groups[0][1]] == ["a", "b"]


def test_china_outlines_are_keyed_by_our_province_codes():
    """The map colours provinces by matching outline ids to our 6-digit codes."""
    from chainatlas.web.pages_region import CHINA_MAP

    if not CHINA_MAP.is_file():
        pytest.skip("web assets not installed (scripts/install-web-assets.sh)")
    ids = set(re.findall(r'"id":"(\d{6})"', CHINA_MAP.read_text(encoding="utf-8")))
    provinces = {r.code for r in RegionGazetteer.load() if r.level == "province"}
    assert ids == provinces


# --------------------------------------------------------------------------- REST


def test_presence_api_by_province_and_city(client):
    body = client.get("/api/v1/regions", params={"chain": "高端医疗器械"}).json()
    assert body["chain_id"] == "medical-devices" and body["level"] == "province"
    by_code = {i["code"]: i for i in body["items"]}
    assert by_code["440000"]["enterprises"] >= 1  # 迈瑞 in 深圳 rolls up to 广东
    assert all(i["score"] > 0 for i in body["items"])
    cities = client.get(
        "/api/v1/regions", params={"chain": "medical-devices", "level": "city"}
    ).json()
    assert "440300" in {i["code"] for i in cities["items"]}
    assert {i["level"] for i in cities["items"]} == {"city"}
    every = client.get("/api/v1/regions").json()
    assert every["chain_id"] is None and len(every["items"]) >= len(body["items"])


def test_presence_api_rejects_unknown_chain_and_level(client):
    r = client.get("/api/v1/regions", params={"chain": "不存在的链"})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert client.get("/api/v1/regions", params={"level": "county"}).status_code == 422


def test_compare_api_returns_both_sides(client):
    r = client.get(
        "/api/v1/regions/compare", params={"a": "深圳", "b": "上海", "chain": "高端医疗器械"}
    )
    assert r.status_code == 200
    body = r.json()
    assert body["a"]["region_code"] == "440300" and body["b"]["region_code"] == "310000"
    assert [s["segment_id"] for s in body["a"]["segments"]] == [
        s["segment_id"] for s in body["b"]["segments"]
    ]
    verdicts = {s["name"]: s["verdict"] for s in body["a"]["segments"]}
    assert verdicts["生命信息与支持设备"] in ("present", "strong")


def test_compare_api_unknown_region_is_problem_json(client):
    r = client.get("/api/v1/regions/compare", params={"a": "火星", "b": "深圳", "chain": "nev"})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == 404


# --------------------------------------------------------------------------- pages


def test_regions_page_lists_regions_with_links(client):
    r = client.get("/regions", params={"chain": "medical-devices"})
    assert r.status_code == 200
    assert 'id="region-map"' in r.text and 'id="region-data"' in r.text
    assert 'href="/regions/440000?chain=medical-devices"' in r.text
    assert "广东省" in _text(r.text)


def test_regions_search_box_redirects_to_the_region_page(client):
    r = client.get("/regions", params={"region": "深圳", "chain": "nev"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/regions/440300?chain=nev"


def test_region_page_shows_verdicts_declared_targets_and_trend(client):
    r = client.get("/regions/深圳", params={"chain": "高端医疗器械"})
    assert r.status_code == 200
    text = _text(r.text)
    assert "广东省深圳市" in text and "440300" in text
    assert 'href="/regions/440000?chain=medical-devices"' in r.text  # rollup parent
    assert "生命信息与支持设备" in text
    assert re.search(r"生命信息与支持设备.*?有：企业", text)  # verdict with its rule
    assert "650亿元（2025年）" in text and "2000亿元（2025年）" in text  # declared targets
    assert "宣示但无证据的环节" in text
    for stage in ("上游", "中游", "下游"):
        assert f"<h3>{stage}</h3>" in r.text
    assert 'id="trend-chart"' in r.text
    assert re.search(r'href="/entities/[^"]+"[^>]*>深圳迈瑞', r.text)


def test_region_page_without_chain_is_an_overview(client):
    r = client.get("/regions/440300")
    assert r.status_code == 200
    text = _text(r.text)
    assert "区域概览" in text and "宣示的产业结构" in text
    assert 'href="/regions/440300?chain=medical-devices"' in r.text
    assert "650亿元" in text


def test_unknown_region_or_chain_is_a_chinese_404_page(client):
    r = client.get("/regions/火星")
    assert r.status_code == 404 and "没有找到地区" in r.text
    assert r.headers["content-type"].startswith("text/html")
    r = client.get("/regions/深圳", params={"chain": "不存在的链"})
    assert r.status_code == 404 and "产业链" in r.text


def test_compare_page_side_by_side(client):
    empty = client.get("/regions/compare")
    assert empty.status_code == 200 and 'name="a"' in empty.text
    r = client.get(
        "/regions/compare", params={"a": "深圳", "b": "上海", "chain": "medical-devices"}
    )
    assert r.status_code == 200
    text = _text(r.text)
    assert "广东省深圳市" in text and "上海市" in text and "生命信息与支持设备" in text
    assert (
        client.get(
            "/regions/compare", params={"a": "火星", "b": "深圳", "chain": "nev"}
        ).status_code
        == 404
    )
