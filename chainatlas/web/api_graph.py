"""Graph explorer data: an entity's neighbours through the facts that name it.

Two entities are neighbours when one fact gives both a role (王传福 holds_position at
比亚迪; 比亚迪 located_in 深圳). Edges are grouped per (source, target, kind) so a claim
repeated by ten articles is one edge with ten pieces of evidence. Position entities
(董事长, 院长 …) are folded into the edge label instead of becoming nodes: as nodes they
would link every chairman in the corpus to every other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from chainatlas.store.db import Store
from chainatlas.store.kb_schema import EntityRow, EventFactRow, FactEntityRow, MentionLinkRow
from chainatlas.store.schema import DocumentRow, FactRow, MentionRow
from chainatlas.web.labels import ENTITY_TYPE_LABELS, FACT_KIND_LABELS

__all__ = [
    "GraphEdge",
    "GraphNode",
    "Neighbourhood",
    "busy_entities",
    "graph_router",
    "neighbourhood",
]

MAX_NEIGHBOURS = 200
MAX_CO_MENTIONS = 2000  # rows scanned for shared sentences; bounds a very busy entity
MAX_EVIDENCE = 5  # per edge: enough to judge a claim without shipping whole articles
FOLDED_TYPES = ("position",)
CO_MENTION = "co_mention"
KIND_LABELS = {**FACT_KIND_LABELS, CO_MENTION: "同句提及"}
# Which role reads as the edge's source: "person → org", "investor → place", "subject →
# place". Lower ranks come first; unknown roles go last in name order.
_ROLE_RANK = {
    "person": 0,
    "investor": 1,
    "investors": 1,
    "subject": 2,
    "company": 3,
    "org": 4,
    "project": 5,
    "category": 6,
    "place": 7,
}


@dataclass(frozen=True, slots=True)
class GraphNode:
    id: str
    name: str
    type: str
    type_label: str
    facts: int = 0  # facts shared with the focus entity (0 for the focus itself)


@dataclass(slots=True)
class GraphEdge:
    source: str
    target: str
    kind: str
    kind_label: str
    label: str  # e.g. 董事长 for holds_position
    fact_id: int | None  # first piece of evidence, so a client can link without the list
    document_id: str
    evidence: list[dict] = field(default_factory=list)  # fact_id, document_id, sentence, href


@dataclass(slots=True)
class Neighbourhood:
    focus: GraphNode
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    kinds: dict[str, int]  # every fact kind around the focus, before the kinds filter
    truncated: bool

    def to_dict(self) -> dict:
        return {
            "focus": self.focus.id,
            "nodes": [asdict(n) for n in [self.focus, *self.nodes]],
            "edges": [asdict(e) for e in self.edges],
            "kinds": [
                {"kind": k, "label": KIND_LABELS.get(k, k), "count": n}
                for k, n in sorted(self.kinds.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            "truncated": self.truncated,
        }


def _node(row: EntityRow, facts: int = 0) -> GraphNode:
    return GraphNode(row.id, row.name, row.type, ENTITY_TYPE_LABELS.get(row.type, row.type), facts)


@dataclass(frozen=True, slots=True)
class _Link:
    """One fact (or shared sentence) joining the focus to another entity."""

    entity: EntityRow
    kind: str
    source: str
    target: str
    label: str
    fact_id: int | None
    evidence: dict


def _rank(role: str) -> tuple[int, str]:
    return _ROLE_RANK.get(role, 99), role


def _fact_links(session: Session, focus: EntityRow) -> list[_Link]:
    mine = aliased(FactEntityRow)
    other = aliased(FactEntityRow)
    rows = session.execute(
        select(
            FactRow.id,
            FactRow.kind,
            FactRow.document_id,
            FactRow.sentence,
            FactRow.sentence_start,
            mine.role,
            other.role,
            EntityRow,
        )
        .join(mine, mine.fact_id == FactRow.id)
        .join(other, other.fact_id == FactRow.id)
        .join(EntityRow, EntityRow.id == other.entity_id)
        .outerjoin(EventFactRow, EventFactRow.fact_id == FactRow.id)
        .where(mine.entity_id == focus.id, other.entity_id != focus.id)
        .where((EventFactRow.status.is_(None)) | (EventFactRow.status != "rejected"))
        .order_by(FactRow.id)
    ).all()
    # Folded entities (positions) label the other edges of the same fact.
    folded: dict[int, str] = {}
    for fid, _k, _d, _s, _ss, _mr, _or, ent in rows:
        if ent.type in FOLDED_TYPES and fid not in folded:
            folded[fid] = ent.name
    links: list[_Link] = []
    seen: set[tuple[str, int]] = set()
    for fid, kind, doc_id, sentence, start, my_role, other_role, ent in rows:
        if ent.type in FOLDED_TYPES or (ent.id, fid) in seen:
            continue  # a position, or the same entity in two roles of one fact
        seen.add((ent.id, fid))
        pair = sorted([(_rank(my_role), focus.id), (_rank(other_role), ent.id)])
        evidence = {
            "fact_id": fid,
            "document_id": doc_id,
            "sentence": sentence,
            "href": f"/documents/{doc_id}#s-{start}",
        }
        label = folded.get(fid) or FACT_KIND_LABELS.get(kind, kind)
        links.append(_Link(ent, kind, pair[0][1], pair[1][1], label, fid, evidence))
    return links


def _co_mention_links(session: Session, focus: EntityRow, known: set[str]) -> list[_Link]:
    """Entities named in the same sentence as the focus, when no fact links the two: the
    extractors miss relations (董事长王传福……比亚迪 puts the company after the person), and
    a reader exploring the graph still wants to see who appears together."""
    mine_l, other_l = aliased(MentionLinkRow), aliased(MentionLinkRow)
    mine_m, other_m = aliased(MentionRow), aliased(MentionRow)
    sentence = func.substr(
        DocumentRow.text, mine_m.sentence_start + 1, mine_m.sentence_end - mine_m.sentence_start
    )
    rows = session.execute(
        select(EntityRow, mine_m.document_id, mine_m.sentence_start, sentence)
        .select_from(mine_l)
        .join(mine_m, mine_m.id == mine_l.mention_id)
        .join(
            other_m,
            (other_m.document_id == mine_m.document_id)
            & (other_m.sentence_start == mine_m.sentence_start),
        )
        .join(other_l, other_l.mention_id == other_m.id)
        .join(EntityRow, EntityRow.id == other_l.entity_id)
        .join(DocumentRow, DocumentRow.id == mine_m.document_id)
        .where(mine_l.entity_id == focus.id, other_l.entity_id != focus.id)
        .where(EntityRow.type.not_in(FOLDED_TYPES))
        .order_by(mine_m.document_id, mine_m.sentence_start, EntityRow.id)
        .limit(MAX_CO_MENTIONS)
    ).all()
    links: list[_Link] = []
    seen: set[tuple[str, str, int]] = set()
    for ent, doc_id, start, text in rows:
        if ent.id in known or (ent.id, doc_id, start) in seen:
            continue
        seen.add((ent.id, doc_id, start))
        evidence = {"fact_id": None, "document_id": doc_id, "sentence": text,
                    "href": f"/documents/{doc_id}"}  # fmt: skip
        a, b = sorted([focus.id, ent.id])
        links.append(_Link(ent, CO_MENTION, a, b, KIND_LABELS[CO_MENTION], None, evidence))
    return links


def neighbourhood(
    session: Session,
    entity_id: str,
    *,
    kinds: frozenset[str] | None = None,
    limit: int = 50,
) -> Neighbourhood:
    """The entity's neighbours (most facts first, at most `limit`) and the edges to them.
    Raises KeyError for an unknown id. Facts an analyst rejected are left out."""
    focus = session.get(EntityRow, entity_id)
    if focus is None:
        raise KeyError(entity_id)
    links = _fact_links(session, focus)
    links += _co_mention_links(session, focus, {link.entity.id for link in links})
    kind_counts: dict[str, int] = {}
    weight: dict[str, float] = {}
    entities: dict[str, EntityRow] = {}
    for link in links:
        kind_counts[link.kind] = kind_counts.get(link.kind, 0) + 1
        if kinds and link.kind not in kinds:
            continue
        # A fact outweighs any number of shared sentences.
        weight[link.entity.id] = weight.get(link.entity.id, 0) + (
            0.01 if link.kind == CO_MENTION else 1
        )
        entities[link.entity.id] = link.entity
    ranked = sorted(
        weight, key=lambda i: (-weight[i], -entities[i].mention_count, entities[i].name)
    )
    kept = set(ranked[:limit])
    edges: dict[tuple[str, str, str], GraphEdge] = {}
    facts: dict[str, int] = {}
    for link in links:
        if link.entity.id not in kept or (kinds and link.kind not in kinds):
            continue
        if link.kind != CO_MENTION:
            facts[link.entity.id] = facts.get(link.entity.id, 0) + 1
        key = (link.source, link.target, link.kind)
        edge = edges.get(key)
        if edge is None:
            edge = edges[key] = GraphEdge(
                link.source,
                link.target,
                link.kind,
                KIND_LABELS.get(link.kind, link.kind),
                link.label,
                link.fact_id,
                link.evidence["document_id"],
            )
        if len(edge.evidence) < MAX_EVIDENCE:
            edge.evidence.append(link.evidence)
    return Neighbourhood(
        focus=_node(focus),
        nodes=[_node(entities[i], facts.get(i, 0)) for i in ranked[:limit]],
        edges=list(edges.values()),
        kinds=kind_counts,
        truncated=len(ranked) > limit,
    )


def busy_entities(session: Session, limit: int = 8) -> list[GraphNode]:
    """Entities named by the most facts: good starting points for a first look."""
    n = func.count(func.distinct(FactEntityRow.fact_id))
    rows = session.execute(
        select(EntityRow, n)
        .join(FactEntityRow, FactEntityRow.entity_id == EntityRow.id)
        .where(EntityRow.type.not_in((*FOLDED_TYPES, "region")))
        .group_by(EntityRow.id)
        .order_by(n.desc(), EntityRow.mention_count.desc(), EntityRow.id)
        .limit(limit)
    ).all()
    return [_node(row, count) for row, count in rows]


def parse_kinds(kinds: str | None) -> frozenset[str] | None:
    """ "a,b" → {"a", "b"}; empty or missing → None (every kind)."""
    if not kinds:
        return None
    found = frozenset(k.strip() for k in kinds.split(",") if k.strip())
    return found or None


def graph_router(store: Store) -> APIRouter:
    router = APIRouter(prefix="/api/v1/graph")

    @router.get("/{entity_id}")
    def api_graph(
        entity_id: str,
        kinds: Annotated[str | None, Query(max_length=300)] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_NEIGHBOURS)] = 50,
    ):
        with store.session() as session:
            try:
                found = neighbourhood(session, entity_id, kinds=parse_kinds(kinds), limit=limit)
            except KeyError as exc:
                raise HTTPException(404, f"没有编号为 {entity_id} 的实体") from exc
        return found.to_dict()

    return router
