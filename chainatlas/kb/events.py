"""Events (pure): facts from many articles that state the same thing become one event.

An event is keyed by (fact kind, subject entity, object): the same project signing reported
by three outlets is one event with three sources. Values are kept per role with their
sources; the newest non-rejected source gives the current value and older disagreeing
sources are marked superseded — kept, never erased. Each fact has a fingerprint (its place
and what it names) that curations use, since row ids change on re-extraction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chainatlas.kb.names import clean

__all__ = ["Event", "EventFact", "build_events", "fact_fingerprint", "summarise_event"]


@dataclass(slots=True)
class EventFact:
    fact_id: int
    document_id: str
    as_of: datetime | None
    values: dict  # role → comparable value (entity key for entity roles)
    fingerprint: str
    status: str = "extracted"  # extracted | confirmed | rejected
    superseded: bool = False


@dataclass(slots=True)
class Event:
    key: str
    kind: str
    subject: str | None  # entity key
    title: str
    facts: list[EventFact] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # role → [{value, facts, latest}]
    current: dict = field(default_factory=dict)  # role → value from the newest source
    conflicts: list[str] = field(default_factory=list)


def fact_fingerprint(document_id: str, kind: str, sentence_start: int, args: dict) -> str:
    """A fact's identity across re-extractions: its place and what it names, not its row id."""
    parts = []
    for role in sorted(args):
        value = args[role]
        if isinstance(value, dict):
            value = value.get("text", value.get("value"))
        elif isinstance(value, list):
            value = ",".join(str(v.get("text") if isinstance(v, dict) else v) for v in value)
        parts.append(f"{role}={value}")
    digest = hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]
    return f"{document_id}|{kind}|{sentence_start}|{digest}"


_ENTITY_ROLES = {"person", "org", "investor", "company", "subject", "place", "investors"}
_OBJECT_ROLE = {
    "investment_project": "project",
    "financing": "round",
    "launch": "product",
    "milestone": "event",
    "indicator": "metric",
    "count": "category",
    "holds_position": "position",
    "located_in": "place",
}
_SUBJECT_ROLES = ("subject", "company", "investor", "person", "place")


def _plain(value: Any) -> Any:
    """A comparable, JSON-safe value for conflict detection."""
    if isinstance(value, dict):
        tag = value.get("_")
        if tag == "money":
            return value.get("value") if value.get("value") is not None else value.get("text")
        if tag == "quantity":
            return f"{value.get('value')}{value.get('unit', '')}"
        if tag == "date":
            return (
                value.get("start")
                if value.get("start") == value.get("end")
                else (f"{value.get('start')}/{value.get('end')}")
            )
        if tag == "arg":
            return clean(str(value.get("text", "")))
    if isinstance(value, list):
        return tuple(sorted(str(_plain(v)) for v in value))
    return value


def build_events(
    facts: Iterable, entity_for: Callable[[str, dict], str | None]
) -> tuple[dict[str, Event], list[tuple[int, str, str]]]:
    """Group facts into events. `entity_for(document_id, arg)` gives the entity key of an
    argument (or None). Returns the events and every (fact id, role, entity key)."""
    events: dict[str, Event] = {}
    fact_args: list[tuple[int, str, str]] = []
    for f in facts:
        values: dict[str, Any] = {}
        for role, value in f.args.items():
            if isinstance(value, dict) and value.get("_") == "arg":
                key = entity_for(f.document_id, value)
                if key is not None:
                    fact_args.append((f.id, role, key))
                    values[role] = key
                    continue
            elif isinstance(value, list) and role in _ENTITY_ROLES:
                keys = [
                    entity_for(f.document_id, v) or _plain(v) for v in value if isinstance(v, dict)
                ]
                for v in value:
                    k = entity_for(f.document_id, v) if isinstance(v, dict) else None
                    if k:
                        fact_args.append((f.id, role, k))
                values[role] = tuple(sorted(map(str, keys)))
                continue
            values[role] = _plain(value)
        subject = next((values[r_] for r_ in _SUBJECT_ROLES if _is_key(values.get(r_))), None)
        obj_role = _OBJECT_ROLE.get(f.kind)
        obj = values.get(obj_role) if obj_role else None
        if f.kind == "indicator":
            obj = f"{obj}|{values.get('year')}|{values.get('target')}"
        if f.kind == "holds_position":
            obj = f"{obj}|{values.get('org')}"
        if subject is None and obj in (None, "", "None"):
            key = f"fact:{f.id}"  # nothing to group on: an event of its own
        else:
            key = f"{f.kind}|{subject or 'doc:' + f.document_id}|{obj}"
        event = events.get(key)
        if event is None:
            title = _event_title(f)
            event = events[key] = Event(key, f.kind, subject, title)
        event.facts.append(
            EventFact(
                f.id,
                f.document_id,
                f.as_of,
                values,
                fact_fingerprint(f.document_id, f.kind, f.sentence_start, f.args),
            )
        )
    for event in events.values():
        summarise_event(event)
    return events, fact_args


def _is_key(value: Any) -> bool:
    return (
        isinstance(value, str)
        and ":" in value
        and value.split(":", 1)[0]
        in (
            "company",
            "person",
            "government",
            "research",
            "park",
            "facility",
            "association",
            "region",
            "curated",
        )
    )


def _event_title(f) -> str:
    def text(role: str) -> str:
        v = f.args.get(role)
        return str(v.get("text", "")) if isinstance(v, dict) else (str(v) if v else "")

    who = next((text(role) for role in _SUBJECT_ROLES if text(role)), "")
    what = text(_OBJECT_ROLE.get(f.kind, "")) if _OBJECT_ROLE.get(f.kind) else ""
    return " ".join(p for p in (who, what) if p) or f.kind


def summarise_event(event: Event) -> None:
    """Per role: every distinct value with its sources; the newest non-rejected source is
    current; older sources that disagree with it are marked superseded (kept, not erased)."""
    live = [ef for ef in event.facts if ef.status != "rejected"]
    live.sort(key=lambda ef: (ef.as_of is not None, ef.as_of or datetime.min, ef.fact_id))
    values: dict[str, list[dict]] = {}
    current: dict[str, Any] = {}
    for ef in live:
        ef.superseded = False
        for role, value in ef.values.items():
            if value is None or value == "":
                continue
            bucket = values.setdefault(role, [])
            entry = next((e for e in bucket if e["value"] == _jsonable(value)), None)
            if entry is None:
                entry = {"value": _jsonable(value), "facts": [], "documents": [], "latest": None}
                bucket.append(entry)
            entry["facts"].append(ef.fact_id)
            if ef.document_id not in entry["documents"]:
                entry["documents"].append(ef.document_id)
            if ef.as_of is not None:
                entry["latest"] = ef.as_of.isoformat()
            current[role] = _jsonable(value)  # ascending order: the newest wins
    for ef in live:
        ef.superseded = any(
            role in current and _jsonable(v) != current[role] and v not in (None, "")
            for role, v in ef.values.items()
        )
    event.values = values
    event.current = current
    event.conflicts = sorted(role for role, bucket in values.items() if len(bucket) > 1)


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
