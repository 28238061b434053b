"""The minimal web app and JSON API over a small store; article HTML is never rendered raw."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from chainatlas.store import documents
from chainatlas.web.app import create_app
from tests.factories import STORY, prepared

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def client(sqlite_store):
    with sqlite_store.session() as session:
        documents.save(session, prepared("光明区签约医疗器械项目", STORY), near_dup_threshold=0.5)
        documents.save(
            session,
            prepared(
                f"恶意标题{HOSTILE}", f"正文里也有脚本{HOSTILE}" + STORY[:80], source="evil.html"
            ),
            near_dup_threshold=0.5,
        )
    return TestClient(create_app(sqlite_store))


def test_home_lists_documents_in_chinese(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "光明区签约医疗器械项目" in page.text
    assert "<b>2</b><span>篇文档</span>" in page.text


def test_document_page_escapes_stored_html(client):
    hits = client.get("/api/v1/search", params={"q": "恶意标题"}).json()["items"]
    page = client.get(f"/documents/{hits[0]['id']}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "<img" not in page.text  # present only as escaped text
    assert "&lt;script&gt;" in page.text


def test_search_page_highlights_hits(client):
    page = client.get("/search", params={"q": "医学影像"})
    assert "<mark>医学影像</mark>" in page.text


def test_api_documents_and_problem_details(client):
    body = client.get("/api/v1/documents", params={"limit": 1}).json()
    assert body["total"] == 2 and len(body["items"]) == 1
    missing = client.get("/api/v1/documents/nope")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert client.get("/api/v1/documents", params={"limit": 100000}).status_code == 422
    assert client.get("/documents/nope").status_code == 404


def test_static_assets_are_served_locally(client):
    assert client.get("/static/app.css").status_code == 200
    assert "cdn" not in client.get("/").text.lower()


def test_document_page_highlights_mentions_and_lists_facts_with_evidence(demo_store):
    client = TestClient(create_app(demo_store))
    hits = client.get("/api/v1/search", params={"q": "研发人员超10万"}).json()["items"]
    page = client.get(f"/documents/{hits[0]['id']}")
    assert page.status_code == 200
    assert 'class="m m-company"' in page.text
    assert "抽取的事实" in page.text and "证据" in page.text
    assert 'id="s-' in page.text  # evidence anchors exist for the fact links
    home = client.get("/")
    assert "最新动态" in home.text and "个实体提及" in home.text


def test_invalid_parameters_and_unknown_paths_are_problem_details(client):
    r = client.get("/api/v1/documents", params={"limit": 9999})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["status"] == 422 and body["errors"][0]["field"] == "query.limit"
    assert "200" in body["detail"]
    missing = client.get("/api/v1/no-such-endpoint")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "返回首页" in page.text


def test_home_shows_busiest_chains_and_regions(demo_store):
    client = TestClient(create_app(demo_store))
    page = client.get("/").text
    assert "最活跃的产业链" in page and "最活跃的地区" in page
    chains = page[
        page.index('class="busy-chains"') : page.index("</ol>", page.index("busy-chains"))
    ]
    assert '<a href="/chains/nev">新能源汽车</a>' in chains
    regions = page[page.index('class="busy-regions"') :]
    assert '<a href="/regions/440300">深圳</a>' in regions


def test_entity_page_links_the_segments_the_diagnosis_counts(demo_store):
    from sqlalchemy import select

    from chainatlas.store import kb
    from chainatlas.store.placements import PlacementRow
    from chainatlas.web.app import _placements

    with demo_store.session() as s:
        mindray = next(e for e in kb.find_entities(s, "深圳迈瑞") if e.type == "company")
        profile = kb.entity_profile(s, mindray.id)
        stored = s.scalars(
            select(PlacementRow.segment_id).where(PlacementRow.record_id == mindray.id)
        ).all()
    shown = _placements(profile, demo_store)
    assert stored and [p["segment"] for p in shown]
    assert shown[0]["chain_id"] == "medical-devices" and shown[0]["segment"] == "生命信息与支持设备"
    assert len(shown) == min(4, len(stored))
