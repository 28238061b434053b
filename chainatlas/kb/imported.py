"""Imported records (CSV/Excel enterprises, parks, research bodies, experts) as a gazetteer
source for the resolver.

After mentions are resolved, each imported record either *enriches* the entity it names
(credit code, registered capital, industry … land in the entity's attributes, its name
becomes an alias) or becomes an entity of its own with origin "imported". Matching is
deliberately strict, exact forms only, so an import never merges two extracted entities:

1. a listed company with this exact name → its stock-code entity;
2. an entity with this exact cleaned name among its aliases (one of the right type);
3. the key the resolver would give the name (region + base), following merges;
4. the same base without a region, when the record's region does not contradict it.

Keys of new entities use the resolver's scheme (`company:440300:柏垠生物`), so when
articles later name the company, its mentions land on the same key.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from chainatlas.kb.names import clean, parse_company, parse_org, person_key, regions_compatible

__all__ = ["KIND_TYPES", "ImportedEntity", "attach_imported"]

KIND_TYPES = {
    "enterprises": "company",
    "parks": "park",
    "research": "research",
    "experts": "person",
}
_ORG_TYPES = ("company", "research", "government", "park", "facility", "association")


@dataclass(frozen=True, slots=True)
class ImportedEntity:
    kind: str
    key: str  # the import's upsert key
    name: str
    credit_code: str | None = None
    region_code: str | None = None
    attrs: dict = field(default_factory=dict)

    @property
    def type(self) -> str:
        return KIND_TYPES[self.kind]


def _resolver_key(rec: ImportedEntity) -> tuple[str, str | None, str]:
    """(key, region, base) as the resolver would key this name."""
    p = parse_company(rec.name) if rec.type == "company" else parse_org(rec.name)
    region = p.region_code or rec.region_code
    return f"{rec.type}:{region or '-'}:{p.base}", region, p.base


def attach_imported(result, gazetteers) -> dict[str, int]:
    """Add or enrich entities in `result` (a ResolutionResult) from
    `gazetteers.imported`; returns counts {"enriched": n, "created": n}."""
    from chainatlas.kb.resolve import Entity

    records = list(getattr(gazetteers, "imported", ()) or ())
    if not records:
        return {"enriched": 0, "created": 0}
    listed = getattr(gazetteers, "listed", None)
    by_alias: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key, e in result.entities.items():
        for alias in e.aliases:
            by_alias[(e.type, clean(alias))].add(key)
    counts = {"enriched": 0, "created": 0}
    org_keys: dict[str, str] = {}  # cleaned org name → entity key, for experts

    def find(rec: ImportedEntity) -> tuple[str | None, str]:
        """(existing entity key or None, key for a new entity)."""
        etype = rec.type
        if etype == "person":
            return _find_person(rec)
        if etype == "company" and listed is not None:
            hit = listed.lookup(rec.name)
            if hit is not None:
                key = f"company:code:{hit.code}"
                found = result.find(key)
                return (found.key if found else None), key
        hits = by_alias.get((etype, clean(rec.name)), set())
        if len(hits) == 1:
            return next(iter(hits)), ""
        key, region, base = _resolver_key(rec)
        found = result.find(key)
        if found is not None:
            return found.key, key
        loose = result.find(f"{etype}:-:{base}")
        if loose is not None and regions_compatible(region, loose.region_code):
            return loose.key, key
        return None, key

    def _find_person(rec: ImportedEntity) -> tuple[str | None, str]:
        org = clean(str(rec.attrs.get("organisation", "")))
        org_key = org_keys.get(org)
        if org_key is None and org:
            hits = set().union(*(by_alias.get((t, org), set()) for t in _ORG_TYPES))
            org_key = next(iter(hits)) if len(hits) == 1 else None
        name = person_key(rec.name)
        if org_key:
            key = f"person:{name}@{org_key}"
            found = result.find(key)
            return (found.key if found else None), key
        return None, f"person:{name}@imported:{org or '-'}@{rec.region_code or '-'}"

    # Organisations first, so experts can be keyed by the entity of their organisation.
    ordered = sorted(records, key=lambda r: r.type == "person")
    for rec in ordered:
        existing, new_key = find(rec)
        payload = {k: v for k, v in rec.attrs.items() if v not in (None, "", {}, [])}
        if existing is not None:
            entity = result.entities[existing]
            counts["enriched"] += 1
        else:
            entity = result.entities.get(new_key)
            if entity is None:
                entity = result.entities[new_key] = Entity(
                    new_key, rec.type, rec.name, origin="imported", region_code=rec.region_code
                )
                if new_key.startswith("company:code:"):  # listed, but never in an article
                    code = new_key.rsplit(":", 1)[1]
                    row = listed.by_code.get(code) if listed is not None else None
                    entity.attrs["stock_code"] = code
                    if row is not None:
                        entity.name = row.full_name
                        entity.attrs.update(exchange=row.exchange, ticker=row.ticker,
                                            listed_name=row.name)  # fmt: skip
                        entity.aliases.setdefault(row.name, 0)
                counts["created"] += 1
            else:
                counts["enriched"] += 1
        if rec.credit_code:
            entity.attrs.setdefault("credit_code", rec.credit_code)
            entity.aliases.setdefault(rec.credit_code, 0)  # `entity show 9144…` finds it
        imported = entity.attrs.setdefault("imported", {})
        imported.update(payload)
        imported.setdefault("keys", [])
        if rec.key not in imported["keys"]:
            imported["keys"].append(rec.key)
        entity.aliases.setdefault(rec.name, 0)
        if entity.region_code is None and rec.region_code:
            entity.region_code = rec.region_code
        if rec.type in ("company", "research"):
            org_keys.setdefault(clean(rec.name), entity.key)
            for alias in entity.aliases:
                org_keys.setdefault(clean(alias), entity.key)
    return counts
