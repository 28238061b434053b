"""REST endpoints for regions: chain presence per province or city (the 区域 map) and a
side-by-side comparison of two regions on one chain.

Presence is counted from the same inputs the diagnosis reads (`load_inputs`), so a region
coloured on the map and its diagnosis page never disagree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, HTTPException, Query

from chainatlas.chains.diagnose import ENTERPRISE_TYPES, INSTITUTION_TYPES
from chainatlas.chains.templates import ChainCatalog, shipped_chains
from chainatlas.kb.regions import RegionGazetteer
from chainatlas.store.db import Store

if TYPE_CHECKING:
    from chainatlas.jobs.diagnose import DiagnosisInputs

__all__ = [
    "MUNICIPALITIES",
    "RegionPresence",
    "load_presence_inputs",
    "presence_by_region",
    "presence_from_placements",
    "region_presence",
    "region_router",
]

Level = Literal["province", "city"]

# Province-level municipalities have districts directly under them, so at city level they
# stand in for their own city (北京 is compared with 深圳, not left off the city list).
MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})

# Institutions weigh half an enterprise: they signal capability, not production.
INSTITUTION_WEIGHT = 0.5


@dataclass(frozen=True)
class RegionPresence:
    code: str
    name: str  # official name, e.g. 广东省
    short_name: str  # e.g. 广东 (what the province map labels)
    full_name: str
    level: str
    province: str
    lat: float | None
    lon: float | None
    enterprises: int
    institutions: int
    projects: int
    investment: float  # CNY
    score: float  # enterprises + projects + INSTITUTION_WEIGHT * institutions


def _level_codes(regions: frozenset[str], level: Level, gaz: RegionGazetteer) -> set[str]:
    out = set()
    for code in regions:
        region = gaz.get(code)
        if region is None:
            continue
        if region.level == level or (level == "city" and code in MUNICIPALITIES):
            out.add(code)
    return out


def presence_by_region(
    inputs: DiagnosisInputs,
    chain_id: str | None,
    level: Level,
    gazetteer: RegionGazetteer,
) -> list[RegionPresence]:
    """Per region at `level`, what of `chain_id` (None: any chain) is placed there; regions
    with nothing are left out. Sorted by score, highest first."""

    def on_chain(placements) -> bool:
        return any(chain_id is None or p.chain_id == chain_id for p in placements)

    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for e in inputs.entities:
        if not e.placements or not on_chain(e.placements):
            continue
        key = (
            "enterprises"
            if e.type in ENTERPRISE_TYPES
            else "institutions"
            if e.type in INSTITUTION_TYPES
            else None
        )
        if key is None:
            continue
        for code in _level_codes(e.regions, level, gazetteer):
            counts[code][key] += 1
    for p in inputs.projects:
        if not on_chain(p.placements):
            continue
        for code in _level_codes(p.regions, level, gazetteer):
            counts[code]["projects"] += 1
            counts[code]["investment"] += p.amount or 0.0
    return _presence_rows(counts, level, gazetteer)


def _presence_rows(
    counts: dict[str, dict[str, float]], level: Level, gazetteer: RegionGazetteer
) -> list[RegionPresence]:
    out = []
    for code, c in counts.items():
        r = gazetteer.by_code(code)
        if r is None:
            continue
        ents, insts, projs = int(c["enterprises"]), int(c["institutions"]), int(c["projects"])
        out.append(
            RegionPresence(
                code=code,
                name=r.name,
                short_name=r.aliases[0] if r.aliases else r.name,
                full_name=r.full_name,
                level=level,
                province=r.province,
                lat=r.lat,
                lon=r.lon,
                enterprises=ents,
                institutions=insts,
                projects=projs,
                investment=c["investment"],
                score=ents + projs + INSTITUTION_WEIGHT * insts,
            )
        )
    out.sort(key=lambda x: (-x.score, x.code))
    return out


def presence_from_placements(
    session, chain_id: str | None, level: Level, gazetteer: RegionGazetteer
) -> list[RegionPresence] | None:
    """`presence_by_region` read from the persisted placements with grouped queries, so the
    map and the chain pages stay fast on large stores; None when the placements are stale
    (the caller then computes presence on the fly)."""
    from sqlalchemy import select

    from chainatlas.jobs.diagnose import placements_current
    from chainatlas.store.placements import LEVEL_COLUMNS, PlacementRecordRow, PlacementRow

    if not placements_current(session):
        return None
    p = PlacementRow
    column = getattr(p, LEVEL_COLUMNS[level])
    stmt = select(column, p.province_code, p.record_kind, p.record_type, p.record_id).distinct()
    if chain_id is not None:
        stmt = stmt.where(p.chain_id == chain_id)
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    project_codes: dict[str, set[str]] = defaultdict(set)
    for code, province, kind, rtype, record_id in session.execute(stmt):
        codes = {code} if code else set()
        if level == "city" and province in MUNICIPALITIES:
            codes.add(province)
        for c in codes:
            if kind == "project":
                project_codes[record_id].add(c)
            elif rtype in ENTERPRISE_TYPES:
                counts[c]["enterprises"] += 1
            elif rtype in INSTITUTION_TYPES:
                counts[c]["institutions"] += 1
    if project_codes:
        amounts = dict(
            session.execute(
                select(PlacementRecordRow.record_id, PlacementRecordRow.attrs).where(
                    PlacementRecordRow.record_kind == "project",
                    PlacementRecordRow.record_id.in_(list(project_codes)),
                )
            ).all()
        )
        for record_id, codes in project_codes.items():
            amount = (amounts.get(record_id) or {}).get("amount") or 0.0
            for c in codes:
                counts[c]["projects"] += 1
                counts[c]["investment"] += amount
    return _presence_rows(counts, level, gazetteer)


def region_presence(
    store: Store,
    chain_id: str | None,
    levels: tuple[Level, ...],
    gazetteer: RegionGazetteer,
    catalog: ChainCatalog | None = None,
) -> dict[str, list[RegionPresence]]:
    """Presence per level: from the persisted placements when they are current, else
    computed on the fly from the diagnosis inputs (same counts either way)."""
    with store.session() as session:
        fast = {lv: presence_from_placements(session, chain_id, lv, gazetteer) for lv in levels}
    if all(v is not None for v in fast.values()):
        return fast  # type: ignore[return-value]
    inputs = load_presence_inputs(store, catalog or shipped_chains(), gazetteer)
    return {lv: presence_by_region(inputs, chain_id, lv, gazetteer) for lv in levels}


def load_presence_inputs(
    store: Store, catalog: ChainCatalog, gaz: RegionGazetteer
) -> DiagnosisInputs:
    # Imported here, as app.py does, so the web app loads even while the diagnosis job
    # is mid-change. No national baseline: presence needs only the store's own placements, and skipping
    # it keeps the map's page load to one pass over the store.
    from chainatlas.jobs.diagnose import load_inputs

    with store.session() as session:
        return load_inputs(session, catalog, gaz, with_baseline=False)


def region_router(store: Store) -> APIRouter:
    router = APIRouter(prefix="/api/v1/regions", tags=["regions"])

    @router.get("")
    def api_regions(
        chain: Annotated[str, Query(max_length=50)] = "",
        level: Level = "province",
    ):
        """Chain presence per province or city: enterprises, institutions, projects and a
        score (enterprises + projects + 0.5 × institutions). Without `chain`: any chain."""
        catalog = shipped_chains()
        found = None
        if chain.strip():
            found = catalog.get(chain.strip())
            if found is None:
                raise HTTPException(404, f"chain {chain} not found")
        gaz = RegionGazetteer.load()
        items = region_presence(store, found.id if found else None, (level,), gaz, catalog)[level]
        return {
            "chain_id": found.id if found else None,
            "chain_name": found.name if found else None,
            "level": level,
            "items": [asdict(i) for i in items],
        }

    @router.get("/compare")
    def api_compare(
        a: Annotated[str, Query(min_length=1, max_length=50)],
        b: Annotated[str, Query(min_length=1, max_length=50)],
        chain: Annotated[str, Query(min_length=1, max_length=50)],
        since: date | None = None,
    ):
        """Both regions diagnosed on one chain, from one read of the store."""
        from chainatlas.jobs.diagnose import RegionNotFound, compare

        try:
            left, right = compare(store, a, b, chain, since=since)
        except RegionNotFound as exc:
            raise HTTPException(404, f"region {exc.text} not found") from exc
        except KeyError as exc:
            raise HTTPException(404, f"chain {chain} not found") from exc
        return {"chain_id": left.chain_id, "a": left.as_dict(), "b": right.as_dict()}

    return router
