"""Record an analyst's decision and re-run the resolver: the one code path behind the
`chainatlas curate …` commands, the REST curation API and the entity-page forms.

Callers name targets the way people do (entity id, key, stock code, name or alias; fact
number or fingerprint); this module turns them into the key-based payloads that
`chainatlas.kb.curation` stores, with a precise `CurationInputError` when a reference does
not resolve to exactly one thing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from chainatlas.extract.records import EntityType
from chainatlas.kb.curation import OPS, CurationError
from chainatlas.store import kb
from chainatlas.store.db import Store
from chainatlas.store.kb_schema import EntityRow, EventFactRow

__all__ = [
    "ENTITY_FIELDS",
    "CurationInputError",
    "CurationOutcome",
    "build_payload",
    "curation_record",
    "entity_ref",
    "fact_ref",
    "record_decision",
    "surviving_entity_id",
    "undo_decision",
]

# Which request fields name entities, per operation.
ENTITY_FIELDS: dict[str, tuple[str, ...]] = {
    "merge": ("into", "other"),
    "split": ("entity",),
    "rename": ("entity",),
    "retype": ("entity",),
    "alias-add": ("entity",),
    "alias-remove": ("entity",),
    "set-attr": ("entity",),
    "keep-apart": ("a", "b"),
}
# A resolve rebuilds the whole knowledge base; two at once would race on the same tables.
_RESOLVE_LOCK = threading.Lock()


class CurationInputError(ValueError):
    """A request that cannot become a decision; the message says which field and why."""


@dataclass(slots=True)
class CurationOutcome:
    decision_id: int
    op: str
    payload: dict
    resolved: bool
    status: str | None = None  # applied | missing | None (not resolved yet)
    detail: str | None = None
    entity_ids: dict[str, str | None] = field(default_factory=dict)  # field → surviving id


def entity_ref(session, ref: str, field_: str) -> dict[str, str]:
    """Payload fields for one entity reference: key, plus name and type as a fallback."""
    ref = (ref or "").strip()
    if not ref:
        raise CurationInputError(f"{field_}: an entity id or name is required")
    hits = kb.find_entities(session, ref, limit=6)
    if not hits:
        raise CurationInputError(f"{field_}: no entity matches {ref!r}")
    if len(hits) > 1:
        listed = ", ".join(f"{h.id} ({h.type} {h.name})" for h in hits[:5])
        raise CurationInputError(f"{field_}: {ref!r} matches several entities, use an id: {listed}")
    e = hits[0]
    return {field_: e.key, f"{field_}_name": e.name, f"{field_}_type": e.type}


def fact_ref(session, ref: str | int) -> dict[str, Any]:
    """A fact named by its number (as shown on profiles) or its fingerprint."""
    ref = str(ref).strip()
    if "|" in ref:
        return {"fingerprint": ref}
    if not ref.isdigit():
        raise CurationInputError(f"fact: give a fact number or fingerprint, not {ref!r}")
    fp = session.scalar(select(EventFactRow.fingerprint).where(EventFactRow.fact_id == int(ref)))
    if fp is None:
        raise CurationInputError(f"fact: no fact #{ref} in the knowledge base")
    return {"fingerprint": fp, "fact_id_at_decision": int(ref)}


def _text(params: dict, name: str, op: str, *, limit: int = 200) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not value.strip():
        raise CurationInputError(f"{op}: field {name!r} is required")
    if len(value) > limit:
        raise CurationInputError(f"{op}: field {name!r} is longer than {limit} characters")
    return value.strip()


def build_payload(session, op: str, params: dict[str, Any]) -> dict[str, Any]:
    """Turn a request's fields into the stored payload of `op` (validated)."""
    if op not in OPS:
        raise CurationInputError(f"unknown operation {op!r}; one of: {', '.join(OPS)}")
    payload: dict[str, Any] = {}
    for name in ENTITY_FIELDS.get(op, ()):
        payload.update(entity_ref(session, str(params.get(name) or ""), name))
    if op in ("merge", "keep-apart"):
        first, second = ENTITY_FIELDS[op]
        if payload[first] == payload[second]:
            raise CurationInputError(f"{op}: {first} and {second} are the same entity")
    if op == "rename":
        payload["name"] = _text(params, "name", op)
    elif op == "retype":
        kinds = [t.value for t in EntityType]
        if params.get("type") not in kinds:
            raise CurationInputError(
                f"retype: unknown type {params.get('type')!r}; one of: {', '.join(kinds)}"
            )
        payload["type"] = params["type"]
    elif op in ("alias-add", "alias-remove"):
        payload["alias"] = _text(params, "alias", op)
    elif op == "set-attr":
        payload["name"] = _text(params, "name", op, limit=60)
        value = params.get("value")
        payload["value"] = None if value in (None, "") else str(value)
    elif op == "split":
        payload["documents"] = [str(d) for d in params.get("documents") or []]
        payload["surfaces"] = [str(s) for s in params.get("surfaces") or []]
        payload["name"] = (params.get("name") or "").strip() or None
    elif op == "reject-mention":
        payload.update(_mention(params))
    elif op in ("confirm-fact", "reject-fact"):
        if params.get("fact") in (None, ""):
            raise CurationInputError(f"{op}: field 'fact' (number or fingerprint) is required")
        payload.update(fact_ref(session, params["fact"]))
    try:
        from chainatlas.kb.curation import validate

        validate(op, payload)
    except CurationError as exc:
        raise CurationInputError(str(exc)) from exc
    return payload


def _mention(params: dict) -> dict[str, Any]:
    doc = _text(params, "document_id", "reject-mention", limit=64)
    try:
        start, end = int(params.get("start")), int(params.get("end"))
    except (TypeError, ValueError) as exc:
        raise CurationInputError("reject-mention: start and end must be integers") from exc
    if not 0 <= start < end:
        raise CurationInputError("reject-mention: need 0 <= start < end")
    text = params.get("text")
    return {"document_id": doc, "start": start, "end": end, "text": text or None}


def surviving_entity_id(session, key: str) -> str | None:
    """The entity that holds `key` after a resolve: the same key, or the one it merged into."""
    row = session.scalar(select(EntityRow.id).where(EntityRow.key == key))
    if row is not None:
        return row
    for eid, merged in session.execute(select(EntityRow.id, EntityRow.merged_keys)):
        if merged and key in merged:
            return eid
    return None


def _report_for(report, decision_id: int) -> dict | None:
    return next((c for c in report.curations if c["curation"] == decision_id), None)


def record_decision(
    store: Store,
    op: str,
    params: dict[str, Any],
    *,
    author: str,
    reason: str = "",
    resolve: bool = True,
) -> CurationOutcome:
    """Validate, store and (by default) apply one decision by re-running the resolver."""
    from chainatlas.jobs.resolve import run_resolve

    if not author.strip():
        raise CurationInputError("author is required")
    with _RESOLVE_LOCK:
        with store.session() as session:
            payload = build_payload(session, op, params)
            did = kb.add_curation(session, op, payload, author=author.strip(), reason=reason)
        outcome = CurationOutcome(decision_id=did, op=op, payload=payload, resolved=resolve)
        if resolve:
            rep = _report_for(run_resolve(store), did) or {}
            outcome.status, outcome.detail = rep.get("status"), rep.get("detail")
        with store.session() as session:
            for name in ENTITY_FIELDS.get(op, ()):
                outcome.entity_ids[name] = surviving_entity_id(session, payload[name])
    return outcome


def undo_decision(store: Store, decision_id: int, *, resolve: bool = True) -> bool:
    """Deactivate a decision (it stays in the log) and re-apply the rest; False if unknown."""
    from chainatlas.jobs.resolve import run_resolve

    with _RESOLVE_LOCK:
        with store.session() as session:
            found = kb.set_curation_active(session, decision_id, False)
        if found and resolve:
            run_resolve(store)
    return found


def curation_record(d) -> dict[str, Any]:
    """One log entry, JSON-ready."""
    return {
        "id": d.id,
        "op": d.op,
        "payload": d.payload,
        "author": d.author,
        "reason": d.reason,
        "at": d.at.isoformat() if d.at else None,
        "active": d.active,
        "last_status": d.extra.get("last_status"),
        "last_detail": d.extra.get("last_detail"),
    }
