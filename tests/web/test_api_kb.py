"""REST endpoints for entities, chains and region diagnosis, on the demo corpus."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from chainatlas.web.app import create_app


@pytest.fixture(scope="module")
def client(demo_store):
    return TestClient(create_app(demo_store))


def test_entity_search_and_profile(client):
    hits = client.get("/api/v1/entities", params={"q": "300760"}).json()["items"]
    assert len(hits) == 1 and hits[0]["type"] == "company"
    profile = client.get(f"/api/v1/entities/{hits[0]['id']}").json()
    assert profile["codes"]["stock_code"] == "300760"
    assert "迈瑞" in {a["alias"] for a in profile["aliases"]} or any(
        "迈瑞" in a["alias"] for a in profile["aliases"]
    )
    missing = client.get("/api/v1/entities/nope")
    assert missing.status_code == 404 and missing.json()["status"] == 404


def test_chains_and_segments(client):
    chains = client.get("/api/v1/chains").json()["items"]
    assert len(chains) >= 24
    chain = client.get("/api/v1/chains/高端医疗器械").json()
    assert {s["stage"] for s in chain["segments"]} == {"upstream", "midstream", "downstream"}
    assert client.get("/api/v1/chains/不存在的链").status_code == 404


def test_region_diagnosis(client):
    response = client.get("/api/v1/regions/深圳/diagnosis", params={"chain": "高端医疗器械"})
    assert response.status_code == 200, response.text
    body = response.json()
    life = next(s for s in body["segments"] if s["segment_id"] == "life-support")
    assert any(e.get("stock_code") == "300760" for e in life["enterprises"])
    assert life["verdict"] in {"strong", "present"} and life["rule"]
    assert any(d["label"].startswith("增加值 650亿元") for d in body["declared"])
    assert (
        client.get("/api/v1/regions/火星/diagnosis", params={"chain": "高端医疗器械"}).status_code
        == 404
    )
    assert client.get("/api/v1/regions/440300/diagnosis").status_code == 422  # chain is required


def test_entity_pages(client):
    found = client.get("/entities", params={"q": "迈瑞"})
    assert found.status_code == 200 and 'href="/entities/' in found.text
    entity_id = client.get("/api/v1/entities", params={"q": "300760"}).json()["items"][0]["id"]
    page = client.get(f"/entities/{entity_id}")
    assert page.status_code == 200
    assert "300760" in page.text and "来源文章" in page.text
    assert client.get("/entities/nope").status_code == 404
