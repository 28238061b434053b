"""Load matcher inputs from the store: innovation resources for `match_tech`, listings and
park profiles for `match_site`. The matchers themselves stay pure.

Loads are cached per process and store data version (latest resolve run, entity count,
highest mention and fact ids, imported-record and listing counts and stamps): every
write path that changes what these loaders read moves one of them, and checking them is
a few indexed lookups instead of re-reading every candidate's evidence per query
(seconds at 10⁵ documents, see BENCHMARKS.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from chainatlas.match.site import Listing
from chainatlas.match.tech import TechCandidate
from chainatlas.store import kb
from chainatlas.store.db import Store
from chainatlas.store.imports_schema import ImportedRecordRow, ListingRow
from chainatlas.store.kb_schema import EntityRow, FactEntityRow, ResolveRunRow
from chainatlas.store.schema import FactRow, MentionRow

__all__ = ["load_listings", "load_park_profiles", "load_tech_candidates"]

_MAX_SENTENCES = 8
_MAX_HEADS = 3
_RESOURCE_TYPES = ("research", "facility")
_FIELD_LABELS = {  # imported attribute → label shown in explanations
    "directions": "研究方向",
    "fields": "研究领域",
    "organisation": "单位",
    "title": "职称",
    "host": "依托单位",
    "level": "级别",
    "industries": "主导产业",
}


def _fields(attrs: dict) -> tuple[tuple[str, str], ...]:
    return tuple((label, str(attrs[key])) for key, label in _FIELD_LABELS.items() if attrs.get(key))


def _sentences(session, entity_ids: list[str]) -> dict[str, list[str]]:
    """Evidence sentences per entity: its mentions' sentences (`kb.entity_sentences`),
    then its facts' sentences."""
    out: dict[str, list[str]] = defaultdict(list)

    def keep(eid: str, sentence: str | None) -> None:
        sentence = (sentence or "").strip()
        if sentence and sentence not in out[eid] and len(out[eid]) < _MAX_SENTENCES:
            out[eid].append(sentence)

    for i in range(0, len(entity_ids), 500):
        chunk = entity_ids[i : i + 500]
        for eid, sentence, _doc, _published in kb.entity_sentences(session, chunk):
            keep(eid, sentence)
        for eid, sentence in session.execute(
            select(FactEntityRow.entity_id, FactRow.sentence)
            .join(FactRow, FactRow.id == FactEntityRow.fact_id)
            .where(FactEntityRow.entity_id.in_(chunk))
        ).all():
            keep(eid, sentence)
    return out


def _heads(session, entity_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    """(person, position) per organisation from its holds_position facts, first stated
    first: who leads a lab is what a technology-transfer office calls about."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for i in range(0, len(entity_ids), 500):
        chunk = entity_ids[i : i + 500]
        rows = session.execute(
            select(FactEntityRow.entity_id, FactRow.args)
            .join(FactRow, FactRow.id == FactEntityRow.fact_id)
            .where(
                FactEntityRow.entity_id.in_(chunk),
                FactEntityRow.role == "org",
                FactRow.kind == "holds_position",
            )
            .order_by(FactRow.id)
        ).all()
        for eid, args in rows:
            person = (args or {}).get("person")
            name = person.get("text") if isinstance(person, dict) else person
            position = (args or {}).get("position")
            pair = (str(name), str(position)) if name and position else None
            if pair and pair not in out[eid] and len(out[eid]) < _MAX_HEADS:
                out[eid].append(pair)
    return out


_CACHE: dict[tuple, Any] = {}
_CACHE_SIZE = 16


def data_version(session) -> tuple:
    """Changes whenever the rows the loaders read may have changed."""
    imported = session.execute(
        select(func.count(), func.max(ImportedRecordRow.id), func.max(ImportedRecordRow.updated_at))
    ).one()
    listings = session.execute(
        select(func.count(), func.max(ListingRow.id), func.max(ListingRow.updated_at))
    ).one()
    return (
        session.scalar(select(func.max(ResolveRunRow.id))),
        session.scalar(select(func.count()).select_from(EntityRow)),
        session.scalar(select(func.max(MentionRow.id))),
        session.scalar(select(func.max(FactRow.id))),
        *imported,
        *listings,
    )


def _cached(store: Store, key: tuple, load: Callable[[], Any]) -> Any:
    with store.session() as session:
        full = (store.url, *key, data_version(session))
    hit = _CACHE.get(full)
    if hit is None:
        hit = load()
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[full] = hit
    return hit


def load_tech_candidates(store: Store) -> list[TechCandidate]:
    """Research bodies and facilities (resolved, with evidence), imported experts, and any
    imported research body or expert not yet resolved into an entity (cached, see above)."""
    return list(_cached(store, ("tech",), lambda: _load_tech_candidates(store)))


def _load_tech_candidates(store: Store) -> list[TechCandidate]:
    """Research bodies and facilities (resolved, with evidence), imported experts, and any
    imported research body or expert not yet resolved into an entity."""
    with store.session() as session:
        entities = session.scalars(
            select(EntityRow).where(
                EntityRow.type.in_(_RESOURCE_TYPES)
                | ((EntityRow.type == "person") & (EntityRow.origin == "imported"))
            )
        ).all()
        sentences = _sentences(session, [e.id for e in entities])
        heads = _heads(session, [e.id for e in entities if e.type in _RESOURCE_TYPES])
        covered: set[str] = set()
        out: list[TechCandidate] = []
        for e in entities:
            imported = (e.attrs or {}).get("imported") or {}
            covered.update(imported.get("keys", []))
            kind = "expert" if e.type == "person" else e.type
            out.append(
                TechCandidate(
                    id=e.id,
                    name=e.name,
                    kind=kind,
                    region_code=e.region_code,
                    fields=_fields(imported),
                    sentences=tuple(sentences.get(e.id, ())),
                    origin="imported" if imported else "extracted",
                    people=tuple(heads.get(e.id, ())),
                )
            )
        for r in session.scalars(
            select(ImportedRecordRow).where(ImportedRecordRow.kind.in_(("research", "experts")))
        ):
            if r.key in covered:
                continue
            out.append(
                TechCandidate(
                    id=f"imported:{r.kind}:{r.id}",
                    name=r.name,
                    kind="expert" if r.kind == "experts" else "research",
                    region_code=r.region_code,
                    fields=_fields(r.attrs or {}),
                    origin="imported",
                )
            )
    return out


def load_listings(store: Store) -> list[Listing]:
    return list(_cached(store, ("listings",), lambda: _load_listings(store)))


def _load_listings(store: Store) -> list[Listing]:
    with store.session() as session:
        rows = session.scalars(select(ListingRow).order_by(ListingRow.id)).all()
        return [
            Listing(
                id=r.key.removeprefix("id:"),
                listing_type=r.listing_type,
                title=r.title or "",
                area=r.area,
                area_unit=r.area_unit,
                area_sqm=r.area_sqm,
                price=r.price,
                price_unit=r.price_unit,
                park=r.park,
                region_code=r.region_code,
                address=r.address,
                contact_name=r.contact_name,
                contact_phone=r.contact_phone,
                notes=str((r.attrs or {}).get("notes") or ""),
            )
            for r in rows
        ]


def load_park_profiles(store: Store, parks: set[str] | None = None) -> dict[str, str]:
    """Park name → text describing what it hosts: imported 主导产业 plus the news
    sentences that mention it. The site matcher classifies this text into chains."""
    key = ("parks", None if parks is None else frozenset(parks))
    return dict(_cached(store, key, lambda: _load_park_profiles(store, parks)))


def _load_park_profiles(store: Store, parks: set[str] | None = None) -> dict[str, str]:
    out: dict[str, list[str]] = defaultdict(list)
    with store.session() as session:
        for r in session.scalars(
            select(ImportedRecordRow).where(ImportedRecordRow.kind == "parks")
        ):
            attrs = r.attrs or {}
            for key in ("industries", "leading_industries", "主导产业"):
                if attrs.get(key):
                    out[r.name].append(str(attrs[key]))
        query = select(EntityRow).where(EntityRow.type == "park")
        if parks is not None:
            query = query.where(EntityRow.name.in_(sorted(parks)))
        ents = session.scalars(query).all()
        sentences = _sentences(session, [e.id for e in ents])
        for e in ents:
            out[e.name].extend(sentences.get(e.id, ()))
    return {k: "。".join(v) for k, v in out.items() if v}
