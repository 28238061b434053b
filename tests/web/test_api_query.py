"""The read side of the REST API: filters, cursor pagination, search facets.

A small hand-built store (both engines) pins exact answers; the demo corpus checks that
filters pick out the realistic cases (financing facts, Shenzhen, Mindray, people)."""

from __future__ import annotations

import base64
import dataclasses
import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from chainatlas.exports.extractions import FACT_FIELDS, MENTION_FIELDS
from chainatlas.store import documents
from chainatlas.store.kb_schema import EntityRow, FactEntityRow, MentionLinkRow
from chainatlas.store.placements import PlacementRow
from chainatlas.store.query import region_prefix
from chainatlas.store.schema import FactRow, MentionRow
from chainatlas.web.app import create_app
from tests.factories import STORY, prepared

PROBES = ("' OR 1=1 --", '"; DROP TABLE documents; --', "%'--", "_", "%", "比亚迪' UNION SELECT 1")

# (title, site, url host, published day, category)
DOCS = [
    (
        "深圳医疗器械项目签约",
        "深圳新闻网",
        "sz.example.cn",
        datetime(2024, 3, 1, tzinfo=UTC),
        "项目",
    ),
    ("光明区医疗器械集群", "深圳新闻网", "sz.example.cn", datetime(2024, 6, 1, tzinfo=UTC), "集群"),
    ("上海医疗器械融资", "上海产经网", "sh.example.cn", datetime(2023, 9, 1, tzinfo=UTC), "融资"),
    ("苏州园区动态", "苏州园区网", "sz-park.example.cn", datetime(2022, 1, 5, tzinfo=UTC), "项目"),
]
NOW = datetime(2024, 12, 1, tzinfo=UTC)


def _entity(eid: str, etype: str, name: str, region: str | None) -> EntityRow:
    return EntityRow(
        id=eid,
        key=f"{etype}:{name}",
        type=etype,
        name=name,
        attrs={},
        region_code=region,
        origin="extracted",
        mention_count=1,
        document_count=1,
        merged_keys=[],
        created_at=NOW,
        updated_at=NOW,
    )


def _placement(kind: str, rid: str, chain: str, segment: str) -> PlacementRow:
    return PlacementRow(
        record_kind=kind,
        record_id=rid,
        record_type="company" if kind == "entity" else "project",
        rank=0,
        chain_id=chain,
        segment_id=segment,
        weight=1.0,
        confidence=0.9,
        stage=None,
        evidence={},
        region_code=None,
        province_code=None,
        city_code=None,
        county_code=None,
        listed=False,
        classifier_version="test",
    )


def _build(store) -> dict[str, str]:
    """Four documents; a Shenzhen (Guangming district) company on medical devices, a
    Shanghai company, a person; one financing and one investment-project fact each."""
    ids = {}
    with store.session() as session:
        for i, (title, site, host, day, category) in enumerate(DOCS):
            # The Suzhou page is about something else, so search hits are exactly three.
            body = STORY[i * 10 :] if i < 3 else "园区今年新增企业二十家，主要集中在纳米材料领域。"
            doc = prepared(title, f"{title}。{body}", source=f"d{i}.html", published=day)
            doc = dataclasses.replace(
                doc, site=site, url=f"https://{host}/news/{i}.html", category=category
            )
            documents.save(session, doc, near_dup_threshold=0.99)
            ids[title] = doc.id
    d0, d1, d2, d3 = (ids[t[0]] for t in DOCS)
    with store.session() as session:
        session.add_all(
            [
                _entity("e_gm", "company", "光明医疗器械公司", "440311"),
                _entity("e_sh", "company", "上海影像公司", "310000"),
                _entity("e_p", "person", "张三", None),
                _entity("e_sz", "region", "深圳市", "440300"),
            ]
        )
        session.flush()
        mentions = [
            (d0, "company", "光明医疗器械公司", "e_gm"),
            (d0, "person", "张三", "e_p"),
            (d1, "region", "深圳市", "e_sz"),
            (d2, "company", "上海影像公司", "e_sh"),
            (d3, "company", "某公司", None),
        ]
        for doc_id, mtype, text, eid in mentions:
            m = MentionRow(
                document_id=doc_id,
                start=0,
                end=len(text),
                text=text,
                type=mtype,
                confidence=0.9,
                extractor="test.v1",
                attrs={},
                sentence_start=0,
                sentence_end=5,
            )
            session.add(m)
            session.flush()
            if eid:
                session.add(MentionLinkRow(mention_id=m.id, entity_id=eid, score=1.0, reason="t"))
        facts = {}
        for key, doc_id, kind, as_of in [
            ("fin", d2, "financing", DOCS[2][3]),
            ("proj", d3, "investment_project", DOCS[3][3]),
            ("pos", d0, "holds_position", DOCS[0][3]),
        ]:
            f = FactRow(
                document_id=doc_id,
                kind=kind,
                args={"company": "x"},
                sentence_start=0,
                sentence_end=5,
                sentence="证据句子。",
                confidence=0.8,
                extractor="facts.test.v1",
                as_of=as_of,
            )
            session.add(f)
            session.flush()
            facts[key] = f.id
        session.add_all(
            [
                FactEntityRow(fact_id=facts["fin"], role="company", entity_id="e_sh"),
                FactEntityRow(fact_id=facts["pos"], role="org", entity_id="e_gm"),
                FactEntityRow(fact_id=facts["pos"], role="person", entity_id="e_p"),
                _placement("entity", "e_gm", "medical-devices", "imaging"),
                _placement("entity", "e_sh", "medical-devices", "life-support"),
                _placement("project", str(facts["proj"]), "nev", "battery"),
            ]
        )
    return ids | {f"fact:{k}": str(v) for k, v in facts.items()}


@pytest.fixture
def small(store):
    ids = _build(store)
    return TestClient(create_app(store)), ids


@pytest.fixture(scope="module")
def demo(demo_store):
    return TestClient(create_app(demo_store))


def _get(client, path, **params) -> dict:
    r = client.get(path, params=params)
    assert r.status_code == 200, (path, params, r.text)
    return r.json()


def _walk(client, path, limit, **params) -> list[dict]:
    """Every item of a listing, page by page, checking each page's size."""
    items, cursor, pages = [], None, 0
    while True:
        extra = {"cursor": cursor} if cursor else {}
        body = _get(client, path, limit=limit, **params, **extra)
        assert len(body["items"]) <= limit
        items += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items
        assert len(body["items"]) == limit and pages < 1000


def _titles(body) -> set[str]:
    return {i["title"] for i in body["items"]}


# --------------------------------------------------------------------------- small store


def test_region_prefix_rolls_up_and_rejects_non_codes():
    assert region_prefix("440300") == "4403"
    assert region_prefix("440000") == "44"
    assert region_prefix("440311") == "440311"
    assert region_prefix("4403") is None and region_prefix("' OR 1=1") is None
    assert region_prefix("000000") is None


def test_document_filters(small):
    client, _ = small
    assert _get(client, "/api/v1/documents")["total"] == 4
    assert _titles(_get(client, "/api/v1/documents", site="深圳新闻网")) == {
        "深圳医疗器械项目签约",
        "光明区医疗器械集群",
    }
    # A URL host is a source too, and it must not match a longer host sharing its prefix.
    assert _titles(_get(client, "/api/v1/documents", source="sz.example.cn")) == {
        "深圳医疗器械项目签约",
        "光明区医疗器械集群",
    }
    dated = _get(client, "/api/v1/documents", since="2023-09-01", until="2024-03-01")
    assert _titles(dated) == {"深圳医疗器械项目签约", "上海医疗器械融资"}
    # City 440300 rolls up the Guangming district company (440311) and the city itself.
    assert _titles(_get(client, "/api/v1/documents", region="440300")) == {
        "深圳医疗器械项目签约",
        "光明区医疗器械集群",
    }
    assert _titles(_get(client, "/api/v1/documents", region="440000")) == _titles(
        _get(client, "/api/v1/documents", region="440300")
    )
    assert _titles(_get(client, "/api/v1/documents", chain="medical-devices")) == {
        "深圳医疗器械项目签约",
        "上海医疗器械融资",
    }
    assert _titles(
        _get(client, "/api/v1/documents", chain="medical-devices", segment="imaging")
    ) == {"深圳医疗器械项目签约"}
    # Project placements count too.
    assert _titles(_get(client, "/api/v1/documents", chain="nev")) == {"苏州园区动态"}
    both = _get(client, "/api/v1/documents", q="医疗器械", region="440300", since="2024-05-01")
    assert _titles(both) == {"光明区医疗器械集群"} and both["total"] == 1


def test_documents_keep_offset_and_newest_first(small):
    client, _ = small
    body = _get(client, "/api/v1/documents", limit=2)
    assert [i["title"] for i in body["items"]] == ["光明区医疗器械集群", "深圳医疗器械项目签约"]
    assert {"url", "site", "text", "published_at", "category"} <= set(body["items"][0])
    second = _get(client, "/api/v1/documents", limit=2, offset=2)
    assert [i["title"] for i in second["items"]] == ["上海医疗器械融资", "苏州园区动态"]


def test_mention_and_fact_filters(small):
    client, ids = small
    people = _get(client, "/api/v1/mentions", type="person")["items"]
    assert [m["text"] for m in people] == ["张三"] and people[0]["entity_id"] == "e_p"
    in_doc = _get(client, "/api/v1/mentions", document=ids["苏州园区动态"])["items"]
    assert [m["text"] for m in in_doc] == ["某公司"]
    sz = _get(client, "/api/v1/mentions", region="440300")["items"]
    assert {m["text"] for m in sz} == {"光明医疗器械公司", "深圳市"}
    old = _get(client, "/api/v1/mentions", until="2023-12-31", source="上海产经网")["items"]
    assert [m["text"] for m in old] == ["上海影像公司"]

    assert {f["kind"] for f in _get(client, "/api/v1/facts", kind="financing")["items"]} == {
        "financing"
    }
    by_entity = _get(client, "/api/v1/facts", entity="e_gm")["items"]
    assert [str(f["id"]) for f in by_entity] == [ids["fact:pos"]]
    assert [str(f["id"]) for f in _get(client, "/api/v1/facts", region="440300")["items"]] == [
        ids["fact:pos"]
    ]
    chain = _get(client, "/api/v1/facts", chain="medical-devices")["items"]
    assert {str(f["id"]) for f in chain} == {ids["fact:fin"], ids["fact:pos"]}
    assert [str(f["id"]) for f in _get(client, "/api/v1/facts", chain="nev")["items"]] == [
        ids["fact:proj"]
    ]
    recent = _get(client, "/api/v1/facts", since="2024-01-01")["items"]
    assert [str(f["id"]) for f in recent] == [ids["fact:pos"]]
    assert _get(client, "/api/v1/facts", source="sh.example.cn")["items"][0]["kind"] == "financing"


def test_entity_listing_filters(small):
    client, _ = small
    names = [e["name"] for e in _walk(client, "/api/v1/entities", 1)]
    assert sorted(names) == names and len(names) == 4
    assert [e["id"] for e in _get(client, "/api/v1/entities", type="person")["items"]] == ["e_p"]
    sz = _get(client, "/api/v1/entities", region="440300")["items"]
    assert {e["id"] for e in sz} == {"e_gm", "e_sz"}
    placed = _get(client, "/api/v1/entities", chain="medical-devices", segment="imaging")
    assert [e["id"] for e in placed["items"]] == ["e_gm"]
    # With q the name search still answers, narrowed by the filters.
    assert [e["id"] for e in _get(client, "/api/v1/entities", q="上海影像公司")["items"]] == [
        "e_sh"
    ]
    assert _get(client, "/api/v1/entities", q="上海影像公司", region="440300")["items"] == []


@pytest.mark.parametrize(
    "path", ["/api/v1/documents", "/api/v1/mentions", "/api/v1/facts", "/api/v1/entities"]
)
def test_cursor_walk_returns_every_row_once(small, path):
    client, _ = small
    everything = _get(client, path, limit=200)["items"]
    assert len(everything) >= 3
    walked = _walk(client, path, 2)
    key = "name" if path.endswith("entities") else "id"
    assert [i["id"] for i in walked] == [i["id"] for i in everything]
    assert len({i["id"] for i in walked}) == len(walked)
    assert key in walked[0]


def test_records_carry_the_export_fields(small):
    client, _ = small
    mention = _get(client, "/api/v1/mentions", limit=1)["items"][0]
    assert set(MENTION_FIELDS) <= set(mention)
    fact = _get(client, "/api/v1/facts", kind="financing")["items"][0]
    assert set(FACT_FIELDS) <= set(fact)
    assert fact["evidence"] == {
        "document_id": fact["document_id"],
        "sentence": "证据句子。",
        "start": 0,
        "end": 5,
    }
    assert fact["extractor"] == "facts.test.v1" and fact["confidence"] == 0.8
    assert fact["entities"] == [{"role": "company", "entity_id": "e_sh"}]


def _forged(kind: str, key) -> str:
    raw = json.dumps({"k": kind, "v": key}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    ("path", "cursor"),
    [
        ("/api/v1/documents", "not a cursor!"),
        ("/api/v1/documents", "eyJrIjoi"),  # truncated
        ("/api/v1/documents", _forged("facts", [3])),  # another listing's cursor
        ("/api/v1/documents", _forged("documents", ["yesterday", 3])),
        ("/api/v1/documents", _forged("documents", ["2024-01-01T00:00:00", 3])),  # naive
        ("/api/v1/mentions", _forged("mentions", ["1; DROP TABLE mentions"])),
        ("/api/v1/facts", _forged("facts", [True])),
        ("/api/v1/facts", _forged("facts", [1, 2])),
        ("/api/v1/entities", _forged("entities", [1, "x"])),
        ("/api/v1/search?q=医疗器械", "%%%"),
    ],
)
def test_tampered_cursor_is_a_problem(small, path, cursor):
    client, _ = small
    r = client.get(path, params={"cursor": cursor})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"


def test_limit_bounds(small):
    client, _ = small
    for path in ("/api/v1/documents", "/api/v1/mentions", "/api/v1/facts", "/api/v1/entities"):
        assert client.get(path, params={"limit": 201}).status_code == 422
        assert client.get(path, params={"limit": 0}).status_code == 422
        assert client.get(path, params={"limit": 200}).status_code == 200


def test_search_facets_and_drill_down(small):
    client, _ = small
    plain = _get(client, "/api/v1/search", q="医疗器械", limit=1)
    assert "facets" not in plain and "total" not in plain  # counting is opt-in
    body = _get(client, "/api/v1/search", q="医疗器械", limit=1, facets="true")
    assert len(body["items"]) == 1 and body["total"] == 3
    facets = body["facets"]
    assert facets["counted"] == 3 and facets["cap"] >= 1000 and not facets["truncated"]
    for name in ("site", "category", "year"):
        assert sum(v["count"] for v in facets[name]) == 3, name
    assert {v["value"]: v["count"] for v in facets["site"]} == {"深圳新闻网": 2, "上海产经网": 1}
    assert {v["value"]: v["count"] for v in facets["year"]} == {2024: 2, 2023: 1}
    assert {v["value"]: v["count"] for v in facets["entity_type"]} == {
        "company": 2,
        "person": 1,
        "region": 1,
    }
    site = _get(client, "/api/v1/search", q="医疗器械", site="上海产经网", facets="true")
    assert _titles(site) == {"上海医疗器械融资"} and site["total"] == 1
    assert _titles(_get(client, "/api/v1/search", q="医疗器械", year=2024)) == {
        "深圳医疗器械项目签约",
        "光明区医疗器械集群",
    }
    assert _titles(_get(client, "/api/v1/search", q="医疗器械", category="集群")) == {
        "光明区医疗器械集群"
    }
    walked = _walk(client, "/api/v1/search", 1, q="医疗器械")
    assert len({i["id"] for i in walked}) == 3


def test_search_matches_like_search_documents(small, store):
    """The API answers what the store's search gives (the CLI's `search` calls it too)."""
    from chainatlas.store.search import search_documents

    client, _ = small
    for q in ("医疗器械", "医疗 签约", "光明区医疗", "纳米材料", "器械", "不存在的词语"):
        with store.session() as session:
            expected = [h.id for h in search_documents(session, q, limit=50)]
        assert [i["id"] for i in _get(client, "/api/v1/search", q=q, limit=50)["items"]] == expected


def test_injection_probes_in_every_string_filter(small):
    client, _ = small
    filters = {
        "/api/v1/documents": ("site", "source", "region", "chain", "segment", "q"),
        "/api/v1/mentions": ("type", "document", "region", "source"),
        "/api/v1/facts": ("kind", "entity", "region", "chain", "segment", "source"),
        "/api/v1/entities": ("type", "region", "chain", "segment", "q"),
        "/api/v1/search": ("site", "category"),
    }
    for path, names in filters.items():
        for name in names:
            for probe in PROBES:
                params = {name: probe}
                if path.endswith("search"):
                    params["q"] = "医疗器械"
                if name == "segment":
                    params["chain"] = "medical-devices"
                body = _get(client, path, **params)
                # A probe is plain text: it matches nothing (no "OR 1=1" widening).
                assert body["items"] == [], (path, name, probe)
    assert _get(client, "/api/v1/documents")["total"] == 4  # nothing was dropped


# --------------------------------------------------------------------------- demo corpus


def test_demo_filters_pick_realistic_cases(demo):
    financing = _walk(demo, "/api/v1/facts", 50, kind="financing")
    assert financing and {f["kind"] for f in financing} == {"financing"}
    assert all(f["evidence"]["sentence"] and f["extractor_version"] for f in financing)

    shenzhen = _walk(demo, "/api/v1/facts", 50, region="440300")
    assert shenzhen
    for fact in shenzhen[:10]:
        codes = [
            _get(demo, f"/api/v1/entities/{e['entity_id']}").get("region_code") or ""
            for e in fact["entities"]
        ]
        assert any(c.startswith("4403") for c in codes), fact["id"]

    med = _walk(demo, "/api/v1/documents", 50, chain="medical-devices")
    assert any("迈瑞" in (d["title"] or "") for d in med)
    assert not any(
        "迈瑞" in (d["title"] or "") for d in _walk(demo, "/api/v1/documents", 50, chain="nev")
    )

    people = _walk(demo, "/api/v1/mentions", 200, type="person")
    assert people and {m["type"] for m in people} == {"person"}

    companies = _walk(demo, "/api/v1/entities", 200, type="company", region="440300")
    assert "深圳迈瑞生物医疗电子股份有限公司" in {e["name"] for e in companies}
    assert all((e["region_code"] or "").startswith("4403") for e in companies)


def test_demo_cursor_walk_covers_all_mentions(demo):
    walked = _walk(demo, "/api/v1/mentions", 200)
    assert len(walked) > 200  # more than one page
    assert len({m["id"] for m in walked}) == len(walked)
    assert [m["id"] for m in walked] == sorted(m["id"] for m in walked)


def test_demo_search_facets_sum_and_drill_down(demo):
    body = _get(demo, "/api/v1/search", q="医疗器械", limit=3, facets="true")
    facets = body["facets"]
    assert facets["counted"] == body["total"] > 3
    for name in ("site", "category", "year"):
        assert sum(v["count"] for v in facets[name]) == body["total"]
    top = facets["site"][0]
    drilled = _get(
        demo, "/api/v1/search", q="医疗器械", site=top["value"], limit=200, facets="true"
    )
    assert drilled["total"] == len(drilled["items"]) == top["count"]
    assert {i["site"] for i in drilled["items"]} == {top["value"]}


def test_openapi_lists_only_the_api(demo):
    paths = _get(demo, "/openapi.json")["paths"]
    assert {"/api/v1/documents", "/api/v1/mentions", "/api/v1/facts", "/api/v1/search"} <= set(
        paths
    )
    assert all(p.startswith("/api/") for p in paths), sorted(p for p in paths if "/api/" not in p)
