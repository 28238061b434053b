"""Graph explorer API and page on the demo store: neighbours through facts (positions fold
into edge labels), shared-sentence neighbours, the kinds filter, problem+json for unknown ids."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from chainatlas.web.api_graph import neighbourhood, parse_kinds
from chainatlas.web.app import create_app


@pytest.fixture(scope="module")
def client(demo_store):
    return TestClient(create_app(demo_store))


@pytest.fixture(scope="module")
def byd(client):
    found = client.get("/api/v1/entities", params={"q": "比亚迪"}).json()["items"]
    assert found, "the demo corpus names 比亚迪"
    return found[0]["id"]


def test_graph_shape_and_a_person_holding_a_position(client, byd):
    data = client.get(f"/api/v1/graph/{byd}").json()
    assert data["focus"] == byd
    nodes = {n["id"]: n for n in data["nodes"]}
    assert set(nodes[byd]) >= {"id", "name", "type"}
    assert all(e["source"] in nodes and e["target"] in nodes for e in data["edges"])
    positions = [e for e in data["edges"] if e["kind"] == "holds_position"]
    assert positions, "比亚迪 has an officer in the demo corpus"
    edge = positions[0]
    person = nodes[edge["source"]]
    assert person["type"] == "person" and edge["target"] == byd
    # The position (总工程师, 董事长 …) is the label, not a node of its own.
    assert edge["label"] not in ("任职", "") and all(
        n["type"] != "position" for n in nodes.values()
    )
    ev = edge["evidence"][0]
    assert re.fullmatch(rf"/documents/{ev['document_id']}#s-\d+", ev["href"])
    assert person["name"] in ev["sentence"] or "比亚迪" in ev["sentence"]
    assert edge["fact_id"] == ev["fact_id"] and edge["document_id"] == ev["document_id"]


def test_positions_are_edges_and_shared_sentences_fill_the_rest(client, byd):
    # "董事长王传福……比亚迪": the position fact names its org, so 王传福 is linked by it.
    data = client.get(f"/api/v1/graph/{byd}").json()
    names = {n["name"]: n["id"] for n in data["nodes"]}
    assert "王传福" in names
    edge = next(e for e in data["edges"] if names["王传福"] in (e["source"], e["target"]))
    assert edge["kind"] == "holds_position" and edge["label"] == "董事长"
    # Where no fact links two entities, a sentence naming both still does (同句提及).
    shared = [e for e in data["edges"] if e["kind"] == "co_mention"]
    assert shared and all(e["evidence"] and e["evidence"][0]["sentence"] for e in shared)


def test_kinds_filter_and_limit(client, byd):
    everything = client.get(f"/api/v1/graph/{byd}").json()
    only = client.get(f"/api/v1/graph/{byd}", params={"kinds": "holds_position"}).json()
    assert {e["kind"] for e in only["edges"]} == {"holds_position"}
    assert len(only["nodes"]) < len(everything["nodes"])
    # The kinds list counts every kind around the entity, so unticked boxes stay drawable.
    assert {k["kind"] for k in only["kinds"]} == {k["kind"] for k in everything["kinds"]}
    two = client.get(f"/api/v1/graph/{byd}", params={"limit": 2}).json()
    assert len(two["nodes"]) == 3 and two["truncated"] is True
    assert client.get(f"/api/v1/graph/{byd}", params={"limit": 0}).status_code == 422


def test_fact_neighbours_rank_before_shared_sentences(demo_store, byd):
    with demo_store.session() as session:
        found = neighbourhood(session, byd, limit=50)
    facts = [n.facts for n in found.nodes]
    assert facts == sorted(facts, reverse=True) and facts[0] >= 1


def test_unknown_entity_is_problem_json(client):
    res = client.get("/api/v1/graph/e000000000000000")
    assert res.status_code == 404
    assert res.headers["content-type"].startswith("application/problem+json")
    assert "e000000000000000" in res.json()["title"]


def test_parse_kinds():
    assert parse_kinds(None) is None and parse_kinds(" , ") is None
    assert parse_kinds("financing, launch") == frozenset({"financing", "launch"})


def test_graph_page_with_and_without_entity(client, byd):
    start = client.get("/graph")
    assert start.status_code == 200
    assert 'id="graph-q"' in start.text and "/graph?entity=" in start.text  # suggestions
    page = client.get("/graph", params={"entity": byd})
    assert page.status_code == 200
    assert f'data-entity="{byd}"' in page.text and f'href="/entities/{byd}"' in page.text
    assert client.get("/graph", params={"entity": "nope"}).status_code == 404


def test_entity_profile_embeds_the_graph(client, byd):
    page = client.get(f"/entities/{byd}")
    assert page.status_code == 200
    assert 'class="entity-graph"' in page.text and f'data-entity="{byd}"' in page.text
    assert '<script src="/static/graph.js"></script>' in page.text
    assert page.text.count('id="ui-text"') == 1  # one translated word block per page
