"""Analysts' decisions as pure operations over a `ResolutionResult`.

A decision names its targets by what survives re-extraction — entity keys (with the name
seen at decision time as a fallback), mention spans (document, start, end, text) and fact
fingerprints — never by row ids, which change whenever a document is re-extracted. The
resolver calls `apply_entity_curations` after clustering and `apply_fact_curations` after
building events; decisions run in order, and one whose target is gone is reported, not
raised.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chainatlas.kb.events import summarise_event
from chainatlas.kb.names import clean
from chainatlas.kb.resolve import Entity, Link, MentionIn, ResolutionResult

__all__ = [
    "ENTITY_OPS",
    "FACT_OPS",
    "OPS",
    "CurationError",
    "Decision",
    "apply_entity_curations",
    "apply_fact_curations",
    "validate",
]

ENTITY_OPS = (
    "merge",
    "split",
    "rename",
    "retype",
    "alias-add",
    "alias-remove",
    "reject-mention",
    "set-attr",
    "keep-apart",
)
FACT_OPS = ("confirm-fact", "reject-fact")
OPS = ENTITY_OPS + FACT_OPS

# Payload fields each operation needs (validated before a decision is stored).
REQUIRED: dict[str, tuple[str, ...]] = {
    "merge": ("into", "other"),
    "split": ("entity",),
    "rename": ("entity", "name"),
    "retype": ("entity", "type"),
    "alias-add": ("entity", "alias"),
    "alias-remove": ("entity", "alias"),
    "reject-mention": ("document_id", "start", "end"),
    "set-attr": ("entity", "name"),
    "keep-apart": ("a", "b"),
    "confirm-fact": ("fingerprint",),
    "reject-fact": ("fingerprint",),
}


class CurationError(ValueError):
    """A decision that cannot be stored (unknown operation, missing field)."""


@dataclass(slots=True)
class Decision:
    id: int
    op: str
    payload: dict
    author: str = ""
    reason: str = ""
    at: datetime | None = None
    active: bool = True
    extra: dict = field(default_factory=dict)


def validate(op: str, payload: dict) -> None:
    if op not in OPS:
        raise CurationError(f"unknown operation {op!r}; one of: {', '.join(OPS)}")
    missing = [k for k in REQUIRED[op] if payload.get(k) in (None, "")]
    if missing:
        raise CurationError(f"{op}: missing {', '.join(missing)}")
    if op == "split" and not (payload.get("documents") or payload.get("surfaces")):
        raise CurationError("split: give documents or surfaces to move out")


# --- entity operations --------------------------------------------------------------------


class _Ops:
    def __init__(self, result: ResolutionResult) -> None:
        self.r = result
        self._by_id: dict[int, MentionIn] | None = None
        self._alias_index: dict[str, list[str]] | None = None
        self._by_surface: dict[str, list[int]] | None = None
        self._by_span: dict[tuple, MentionIn] | None = None

    def by_surface(self, surface: str) -> list[int]:
        if self._by_surface is None:
            index: dict[str, list[int]] = {}
            for m in self.r.mentions:
                index.setdefault(clean(m.text), []).append(m.id)
            self._by_surface = index
        return self._by_surface.get(surface, [])

    def by_span(self, doc: str, start: int, end: int) -> MentionIn | None:
        if self._by_span is None:
            self._by_span = {(m.document_id, m.start, m.end): m for m in self.r.mentions}
        return self._by_span.get((doc, start, end))

    def mention(self, mid: int) -> MentionIn | None:
        if self._by_id is None:
            self._by_id = {m.id: m for m in self.r.mentions}
        return self._by_id.get(mid)

    def target(self, payload: dict, field_: str) -> Entity | None:
        """The entity a decision names: its key (following merges), else the name written
        down with the decision, if exactly one entity of that name exists now."""
        key = payload.get(field_)
        entity = self.r.find(key) if key else None
        if entity is not None:
            return entity
        name = payload.get(f"{field_}_name")
        if not name:
            return None
        if self._alias_index is None:
            index: dict[str, list[str]] = {}
            for e in self.r.entities.values():
                for alias in {e.name, *e.aliases}:
                    index.setdefault(clean(alias), []).append(e.key)
            self._alias_index = index
        hits = [
            k for k in dict.fromkeys(self._alias_index.get(clean(name), ())) if k in self.r.entities
        ]
        etype = payload.get(f"{field_}_type")
        if etype:
            hits = [k for k in hits if self.r.entities[k].type == etype]
        return self.r.entities[hits[0]] if len(hits) == 1 else None

    def move(self, ids: list[int], target: Entity, reason: str) -> None:
        """Re-link mentions to `target`; an entity left without mentions disappears."""
        by_source: dict[str, set[int]] = {}
        for mid in ids:
            link = self.r.links.get(mid)
            if link is not None and link.entity != target.key:
                by_source.setdefault(link.entity, set()).add(mid)
            self.r.links[mid] = Link(target.key, 1.0, reason)
        for source_key, moved in by_source.items():
            source = self.r.entities.get(source_key)
            if source is None:
                continue
            source.mentions = [m for m in source.mentions if m not in moved]
            for mid in moved:
                m = self.mention(mid)
                if m is not None:
                    surface = m.text.strip()
                    source.aliases[surface] -= 1
                    if source.aliases[surface] <= 0 and surface != source.name:
                        del source.aliases[surface]
                    target.aliases[surface] += 1
            if not source.mentions:
                self.drop(source, into=target.key)
        existing = set(target.mentions)
        target.mentions.extend(m for m in ids if m not in existing)
        self._alias_index = None

    def drop(self, entity: Entity, into: str | None) -> None:
        del self.r.entities[entity.key]
        if into is not None:
            self.r.redirects[entity.key] = into
            self.r.entities[into].merged_keys.append(entity.key)

    def new_entity(self, key: str, like: Entity, name: str) -> Entity:
        entity = Entity(key, like.type, name, origin="curated", region_code=like.region_code)
        entity.aliases = Counter()
        self.r.entities[key] = entity
        return entity

    # Each op returns None when applied, or a short reason why it could not be.

    def op_merge(self, d: Decision) -> str | None:
        into, other = self.target(d.payload, "into"), self.target(d.payload, "other")
        if into is None or other is None:
            return "entity not found"
        if into.key == other.key:
            return None  # already one entity (the resolver now agrees)
        aliases = other.aliases
        self.move(list(other.mentions), into, f"curated merge #{d.id}")
        for alias in aliases:
            into.aliases.setdefault(alias, 0)
        if other.key in self.r.entities:  # no mentions left to move it: merge it anyway
            self.drop(other, into=into.key)
        for attr, value in other.attrs.items():
            into.attrs.setdefault(attr, value)
        for cand in self.r.candidates:
            if {cand.a, cand.b} == {into.key, other.key}:
                cand.status = "merged"
        self.r.candidates = [
            c for c in self.r.candidates if c.a in self.r.entities and c.b in self.r.entities
        ]
        return None

    def op_split(self, d: Decision) -> str | None:
        entity = self.target(d.payload, "entity")
        if entity is None:
            return "entity not found"
        docs = set(d.payload.get("documents") or ())
        surfaces = {clean(s) for s in d.payload.get("surfaces") or ()}
        ids = []
        for mid in entity.mentions:
            m = self.mention(mid)
            if m is not None and (m.document_id in docs or clean(m.text) in surfaces):
                ids.append(mid)
        if not ids:
            return "no mentions matched"
        if len(ids) == len(entity.mentions):
            return "split would move every mention"
        first = self.mention(ids[0])
        name = d.payload.get("name") or (first.text if first else entity.name)
        new = self.new_entity(f"curated:{d.id}", entity, name)
        self.move(ids, new, f"curated split #{d.id}")
        return None

    def op_rename(self, d: Decision) -> str | None:
        entity = self.target(d.payload, "entity")
        if entity is None:
            return "entity not found"
        entity.aliases.setdefault(entity.name, 0)
        entity.name = d.payload["name"]
        return None

    def op_retype(self, d: Decision) -> str | None:
        entity = self.target(d.payload, "entity")
        if entity is None:
            return "entity not found"
        entity.type = d.payload["type"]
        return None

    def op_alias_add(self, d: Decision) -> str | None:
        entity = self.target(d.payload, "entity")
        if entity is None:
            return "entity not found"
        alias = clean(d.payload["alias"])
        ids = [
            mid
            for mid in self.by_surface(alias)
            if mid in self.r.links and (m := self.mention(mid)) and m.type == entity.type
        ]
        if ids:
            self.move(ids, entity, f"curated alias #{d.id}")
        entity.aliases.setdefault(d.payload["alias"], 0)
        return None

    def op_alias_remove(self, d: Decision) -> str | None:
        entity = self.target(d.payload, "entity")
        if entity is None:
            return "entity not found"
        alias = clean(d.payload["alias"])
        ids = [
            mid for mid in entity.mentions if (m := self.mention(mid)) and clean(m.text) == alias
        ]
        for surface in [s for s in entity.aliases if clean(s) == alias]:
            del entity.aliases[surface]
        if ids and len(ids) < len(entity.mentions):
            new = self.new_entity(f"curated:{d.id}", entity, d.payload["alias"])
            self.move(ids, new, f"curated alias removal #{d.id}")
        elif not ids and not any(clean(s) == alias for s in entity.aliases):
            return None
        return None

    def op_reject_mention(self, d: Decision) -> str | None:
        p = d.payload
        hit = self.by_span(p["document_id"], int(p["start"]), int(p["end"]))
        if hit is not None and p.get("text") and hit.text != p["text"]:
            hit = None
        if hit is None or hit.id not in self.r.links:
            return "mention not found"
        link = self.r.links.pop(hit.id)
        entity = self.r.entities.get(link.entity)
        if entity is not None:
            entity.mentions = [m for m in entity.mentions if m != hit.id]
            surface = hit.text.strip()
            entity.aliases[surface] -= 1
            if entity.aliases[surface] <= 0:
                del entity.aliases[surface]
            if not entity.mentions and entity.origin != "curated":
                self.drop(entity, into=None)
        return None

    def op_set_attr(self, d: Decision) -> str | None:
        entity = self.target(d.payload, "entity")
        if entity is None:
            return "entity not found"
        name, value = d.payload["name"], d.payload.get("value")
        if value is None:
            entity.attrs.pop(name, None)
        elif name == "region_code":
            entity.region_code = str(value)
        else:
            entity.attrs[name] = value
        return None

    def op_keep_apart(self, d: Decision) -> str | None:
        a, b = self.target(d.payload, "a"), self.target(d.payload, "b")
        if a is None or b is None:
            return "entity not found"
        for cand in self.r.candidates:
            if {cand.a, cand.b} == {a.key, b.key}:
                cand.status = "rejected"
        return None


def _run(result: ResolutionResult, decisions: Iterable, ops: tuple[str, ...], handler) -> None:
    for d in decisions:
        d = _as_decision(d)
        if not d.active or d.op not in ops:
            continue
        try:
            problem = handler(d)
        except (KeyError, TypeError, ValueError) as exc:  # a malformed stored payload
            problem = f"invalid payload: {exc}"
        result.curation_reports.append(
            {"curation": d.id, "op": d.op, "status": "missing" if problem else "applied",
             "detail": problem or ""}
        )  # fmt: skip


def _as_decision(d: Any) -> Decision:
    if isinstance(d, Decision):
        return d
    return Decision(
        id=d.id, op=d.op, payload=d.payload, author=d.author, reason=d.reason, at=d.at,
        active=d.active,
    )  # fmt: skip


def apply_entity_curations(result: ResolutionResult, decisions: Iterable) -> None:
    ops = _Ops(result)
    _run(result, decisions, ENTITY_OPS, lambda d: getattr(ops, "op_" + d.op.replace("-", "_"))(d))


def apply_fact_curations(result: ResolutionResult, decisions: Iterable) -> None:
    decisions = [d for d in map(_as_decision, decisions) if d.op in FACT_OPS]
    if not decisions:
        return
    by_print = {ef.fingerprint: (ev, ef) for ev in result.events.values() for ef in ev.facts}

    def handle(d: Decision) -> str | None:
        hit = by_print.get(d.payload["fingerprint"])
        if hit is None:
            return "fact not found"
        event, ef = hit
        ef.status = "confirmed" if d.op == "confirm-fact" else "rejected"
        summarise_event(event)
        return None

    _run(result, decisions, FACT_OPS, handle)
