"""Entity, resolved-fact and graph exports round-trip: GraphML parsed back with
xml.etree, Neo4j CSVs with csv, JSONL with json — same counts and ids as the store."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from sqlalchemy import select

from chainatlas.exports.kb import write_entities, write_graphml, write_neo4j, write_resolved_facts
from chainatlas.imports.load import import_file
from chainatlas.jobs.resolve import run_resolve
from chainatlas.store.kb_schema import EntityRow, FactEntityRow
from tests.imports.test_load import write_csv
from tests.kb.test_kb_store import filled  # noqa: F401  (fixture)

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


def _resolved(store, tmp_path):
    park = write_csv(
        tmp_path / "parks.csv",
        [
            ["园区名称", "地区", "面积", "联系电话"],
            ["苏州示例产业园", "苏州", "120亩", "13812345678"],
        ],
        "utf-8",
    )
    import_file(store, "parks", park)
    run_resolve(store)
    with store.session() as s:
        ids = set(s.scalars(select(EntityRow.id)))
        linked = {
            (f, e) for f, e in s.execute(select(FactEntityRow.fact_id, FactEntityRow.entity_id))
        }
    return ids, linked


def test_entities_and_facts_jsonl_csv(filled, tmp_path):  # noqa: F811
    ids, _ = _resolved(filled, tmp_path)
    with filled.session() as s:
        out = io.StringIO()
        assert write_entities(s, out, "jsonl") == len(ids)
        records = [json.loads(line) for line in out.getvalue().splitlines()]
        out = io.StringIO()
        write_entities(s, out, "csv")
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        facts = io.StringIO()
        n_facts = write_resolved_facts(s, facts, "jsonl")
    assert {r["id"] for r in records} == ids == {r["id"] for r in rows}
    park = next(r for r in records if r["name"] == "苏州示例产业园")
    assert park["origin"] == "imported"
    assert park["attrs"]["imported"]["contact_phone"] == "138****5678"  # masked
    assert "13812345678" not in out.getvalue()
    fact_records = [json.loads(line) for line in facts.getvalue().splitlines()]
    assert len(fact_records) == n_facts > 0
    assert any(e["entity_id"] in ids for f in fact_records for e in f["entities"])


def test_graphml_round_trip(filled, tmp_path):  # noqa: F811
    ids, linked = _resolved(filled, tmp_path)
    with filled.session() as s:
        out = io.StringIO()
        n_nodes, n_edges = write_graphml(s, out)
    root = ET.fromstring(out.getvalue().encode("utf-8"))
    nodes = root.findall(".//g:node", NS)
    edges = root.findall(".//g:edge", NS)
    assert len(nodes) == n_nodes == len(ids) and {n.get("id") for n in nodes} == ids
    assert len(edges) == n_edges > 0
    for e in edges:
        assert e.get("source") in ids and e.get("target") in ids
        data = {d.get("key"): d.text for d in e.findall("g:data", NS)}
        assert (int(data["e_fact_id"]), e.get("target")) in linked
        assert data["e_kind"] and data["e_document_id"]


def test_neo4j_csvs(filled, tmp_path):  # noqa: F811
    ids, _ = _resolved(filled, tmp_path)
    with filled.session() as s:
        n_nodes, n_edges = write_neo4j(s, tmp_path / "neo4j")
    with (tmp_path / "neo4j" / "nodes.csv").open(encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with (tmp_path / "neo4j" / "relationships.csv").open(encoding="utf-8", newline="") as fh:
        rels = list(csv.DictReader(fh))
    assert {n["entity_id:ID"] for n in nodes} == ids and len(nodes) == n_nodes
    assert all(n[":LABEL"].startswith("Entity;") for n in nodes)
    assert len(rels) == n_edges > 0
    assert all(r[":START_ID"] in ids and r[":END_ID"] in ids and r[":TYPE"].isupper() for r in rels)
    assert all(int(r["fact_id:long"]) > 0 for r in rels)
