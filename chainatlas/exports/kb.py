"""The resolved knowledge base out of the store: entities and resolved facts as JSONL/CSV,
and the entity graph as GraphML or as Neo4j bulk-import CSVs.

Graph model: nodes are entities (type, name, key, region code, codes); every fact that
names two or more entities gives edges from its subject (the person of holds_position,
the investor of an investment, the subject of located_in …) to each other entity it names,
typed by the fact kind and carrying the role, document, sentence and as-of date.

Contact details of imported records (phone numbers, contact names) are masked in every
export here; the store keeps them whole.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainatlas.exports.rows import row_writer
from chainatlas.extract.serialize import plain_args
from chainatlas.imports.validate import mask_name, mask_phone
from chainatlas.store.kb_schema import EntityAliasRow, EntityRow, EventFactRow, FactEntityRow
from chainatlas.store.schema import FactRow

__all__ = [
    "ENTITY_FIELDS",
    "GRAPH_FORMATS",
    "RESOLVED_FACT_FIELDS",
    "iter_edges",
    "mask_contacts",
    "write_entities",
    "write_graph",
    "write_graphml",
    "write_neo4j",
    "write_resolved_facts",
]

GRAPH_FORMATS = ("graphml", "neo4j")
ENTITY_FIELDS = [
    "id",
    "key",
    "type",
    "name",
    "origin",
    "region_code",
    "codes",
    "aliases",
    "attrs",
    "mention_count",
    "document_count",
    "merged_keys",
]
RESOLVED_FACT_FIELDS = [
    "id",
    "kind",
    "document_id",
    "as_of",
    "sentence",
    "args",
    "entities",
    "event_id",
    "status",
    "superseded",
]
# Which role is the edge's source, per fact kind (the first one present wins).
_SOURCE_ROLES = ("person", "investor", "investors", "company", "subject", "org", "place")
_CODE_KEYS = ("stock_code", "ticker", "code", "credit_code")
_PHONE_KEYS = re.compile(r"(phone|电话|手机|tel)", re.IGNORECASE)
_CONTACT_KEYS = re.compile(r"(contact_name|联系人)", re.IGNORECASE)
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def mask_contacts(value):
    """Mask phone numbers and contact names anywhere in nested attributes."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(v, str) and _PHONE_KEYS.search(str(k)):
                out[k] = mask_phone(v)
            elif isinstance(v, str) and _CONTACT_KEYS.search(str(k)):
                out[k] = mask_name(v)
            else:
                out[k] = mask_contacts(v)
        return out
    if isinstance(value, list):
        return [mask_contacts(v) for v in value]
    return value


def _codes(attrs: dict) -> dict:
    return {k: attrs[k] for k in _CODE_KEYS if attrs.get(k)}


def _aliases(session: Session) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    rows = session.execute(
        select(EntityAliasRow.entity_id, EntityAliasRow.alias).order_by(
            EntityAliasRow.entity_id, EntityAliasRow.mentions.desc(), EntityAliasRow.id
        )
    )
    for eid, alias in rows:
        out[eid].append(alias)
    return out


def _entities(session: Session) -> Iterator[EntityRow]:
    yield from session.scalars(select(EntityRow).order_by(EntityRow.type, EntityRow.id))


def write_entities(session: Session, stream: TextIO, fmt: str) -> int:
    """Every resolved entity with its aliases, codes and attributes."""
    write = row_writer(stream, fmt, ENTITY_FIELDS)
    aliases = _aliases(session)
    n = 0
    for e in _entities(session):
        attrs = mask_contacts(e.attrs or {})
        write(
            {
                "id": e.id,
                "key": e.key,
                "type": e.type,
                "name": e.name,
                "origin": e.origin,
                "region_code": e.region_code,
                "codes": _codes(attrs),
                "aliases": aliases.get(e.id, []),
                "attrs": attrs,
                "mention_count": e.mention_count,
                "document_count": e.document_count,
                "merged_keys": e.merged_keys or [],
            }
        )
        n += 1
    return n


def _fact_entities(session: Session) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for fid, role, eid in session.execute(
        select(FactEntityRow.fact_id, FactEntityRow.role, FactEntityRow.entity_id).order_by(
            FactEntityRow.id
        )
    ):
        out[fid].append((role, eid))
    return out


def write_resolved_facts(session: Session, stream: TextIO, fmt: str) -> int:
    """Facts with the entity id behind each entity-valued role and their event."""
    write = row_writer(stream, fmt, RESOLVED_FACT_FIELDS)
    roles = _fact_entities(session)
    events = {
        ef.fact_id: ef for ef in session.scalars(select(EventFactRow))
    }  # fact id → event link
    n = 0
    for f in session.scalars(select(FactRow).order_by(FactRow.id)):
        ef = events.get(f.id)
        write(
            {
                "id": f.id,
                "kind": f.kind,
                "document_id": f.document_id,
                "as_of": f.as_of.isoformat() if f.as_of else None,
                "sentence": f.sentence,
                "args": f.args if fmt == "jsonl" else plain_args(f.args),
                "entities": [{"role": r, "entity_id": e} for r, e in roles.get(f.id, [])],
                "event_id": ef.event_id if ef else None,
                "status": ef.status if ef else "extracted",
                "superseded": bool(ef.superseded) if ef else False,
            }
        )
        n += 1
    return n


# --- the graph ----------------------------------------------------------------------------


def iter_edges(session: Session) -> Iterator[dict]:
    """One edge per (fact, other entity): source = the fact's subject-like role."""
    roles = _fact_entities(session)
    facts = session.execute(
        select(FactRow.id, FactRow.kind, FactRow.document_id, FactRow.sentence, FactRow.as_of)
        .where(FactRow.id.in_(select(FactEntityRow.fact_id)))
        .order_by(FactRow.id)
    )
    for fid, kind, doc, sentence, as_of in facts:
        named = roles.get(fid, [])
        ids = {e for _, e in named}
        if len(ids) < 2:
            continue
        source_role = next((r for r in _SOURCE_ROLES if any(n[0] == r for n in named)), named[0][0])
        source = next(e for r, e in named if r == source_role)
        seen = set()
        for role, target in named:
            if target == source or (role, target) in seen:
                continue
            seen.add((role, target))
            yield {
                "source": source,
                "target": target,
                "kind": kind,
                "role": role,
                "fact_id": fid,
                "document_id": doc,
                "sentence": sentence,
                "as_of": as_of.isoformat() if as_of else "",
            }


def _xml(value) -> str:
    return _BAD_XML.sub("", "" if value is None else str(value))


_NODE_KEYS = [("type", "string"), ("name", "string"), ("key", "string"),
              ("region_code", "string"), ("codes", "string"), ("origin", "string")]  # fmt: skip
_EDGE_KEYS = [("kind", "string"), ("role", "string"), ("fact_id", "long"),
              ("document_id", "string"), ("sentence", "string"), ("as_of", "string")]  # fmt: skip


def write_graphml(session: Session, stream: TextIO) -> tuple[int, int]:
    """GraphML (directed); returns (nodes, edges). Streams: nothing is built in memory
    beyond the fact → entity index."""
    w = stream.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
      'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
      'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')  # fmt: skip
    for name, kind in _NODE_KEYS:
        w(f'  <key id="n_{name}" for="node" attr.name="{name}" attr.type="{kind}"/>\n')
    for name, kind in _EDGE_KEYS:
        w(f'  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n')
    w('  <graph id="chainatlas" edgedefault="directed">\n')
    nodes = edges = 0
    for e in _entities(session):
        w(f"    <node id={quoteattr(e.id)}>")
        values = {"type": e.type, "name": e.name, "key": e.key, "region_code": e.region_code,
                  "codes": json.dumps(_codes(e.attrs or {}), ensure_ascii=False),
                  "origin": e.origin}  # fmt: skip
        for name, _ in _NODE_KEYS:
            if values[name] not in (None, ""):
                w(f'<data key="n_{name}">{escape(_xml(values[name]))}</data>')
        w("</node>\n")
        nodes += 1
    for edge in iter_edges(session):
        edges += 1
        w(f'    <edge id="f{edge["fact_id"]}_{edges}" source={quoteattr(edge["source"])} '
          f'target={quoteattr(edge["target"])}>')  # fmt: skip
        for name, _ in _EDGE_KEYS:
            if edge[name] not in (None, ""):
                w(f'<data key="e_{name}">{escape(_xml(edge[name]))}</data>')
        w("</edge>\n")
    w("  </graph>\n</graphml>\n")
    return nodes, edges


def _label(etype: str) -> str:
    return "".join(part.capitalize() for part in etype.split("_"))


def write_neo4j(session: Session, directory: str | Path) -> tuple[int, int]:
    """`nodes.csv` and `relationships.csv` in `directory`, with the header conventions of
    `neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv`:
    `:ID`, `:LABEL` (Entity;Company), `:START_ID`, `:END_ID`, `:TYPE` (HOLDS_POSITION),
    typed property columns (`fact_id:long`). Returns (nodes, relationships)."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    nodes = edges = 0
    with (out / "nodes.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["entity_id:ID", "name", "type", "key", "region_code", "codes", "origin",
                    "mention_count:int", ":LABEL"])  # fmt: skip
        for e in _entities(session):
            w.writerow([e.id, e.name, e.type, e.key, e.region_code or "",
                        json.dumps(_codes(e.attrs or {}), ensure_ascii=False), e.origin,
                        e.mention_count, f"Entity;{_label(e.type)}"])  # fmt: skip
            nodes += 1
    with (out / "relationships.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([":START_ID", ":END_ID", ":TYPE", "role", "fact_id:long", "document_id",
                    "sentence", "as_of"])  # fmt: skip
        for edge in iter_edges(session):
            w.writerow([edge["source"], edge["target"], edge["kind"].upper(), edge["role"],
                        edge["fact_id"], edge["document_id"], edge["sentence"],
                        edge["as_of"]])  # fmt: skip
            edges += 1
    return nodes, edges


def write_graph(
    session: Session, fmt: str, output: str | Path | None, stream: TextIO | None = None
):
    """Dispatch for the CLI: GraphML to a file or stream, Neo4j CSVs into a directory."""
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}")
    if fmt == "neo4j":
        if output is None:
            raise ValueError("neo4j 格式需要用 --output 指定输出目录")
        return write_neo4j(session, output)
    if output is None:
        return write_graphml(session, stream)
    with Path(output).open("w", encoding="utf-8") as fh:
        return write_graphml(session, fh)
