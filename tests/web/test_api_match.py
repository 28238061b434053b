"""The three matchers over REST, on the demo store (corpus plus demo lists)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from chainatlas.web.app import create_app


@pytest.fixture(scope="module")
def client(demo_store):
    return TestClient(create_app(demo_store))


def test_tech_need_ranks_the_quantum_institute_with_reasons(client):
    body = client.get("/api/v1/match/tech", params={"need": "量子计算 芯片"}).json()
    names = [m["name"] for m in body["items"][:3]]
    assert "深圳国际量子研究院" in names
    assert body["items"][0]["matched_terms"]


def test_site_need_without_a_fit_reports_nearest_misses(client):
    body = client.get(
        "/api/v1/match/site",
        params={"type": "factory", "industry": "医疗器械", "area": 999999, "region": "深圳"},
    ).json()
    assert body["matches"] == [] and body["nearest_misses"]
    assert all(m["failed"] for m in body["nearest_misses"])
    assert client.get("/api/v1/match/site", params={"type": "castle"}).status_code == 422


def test_invest_for_a_region_and_chain(client):
    body = client.get(
        "/api/v1/match/invest", params={"region": "深圳", "chain": "高端医疗器械"}
    ).json()
    assert body["items"] and body["targets"]
    assert all(m["segments"] for m in body["items"])
    assert (
        client.get(
            "/api/v1/match/invest", params={"region": "火星", "chain": "高端医疗器械"}
        ).status_code
        == 404
    )
