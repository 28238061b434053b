"""REST endpoints over the knowledge base and chains: entities, chains, region diagnosis.

Thin wrappers: every answer comes from the same functions the CLI uses."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from chainatlas.store.db import Store

MAX_PAGE = 200


def _chain_record(chain, *, segments: bool) -> dict:
    record = {
        "id": chain.id,
        "name": chain.name,
        "aliases": list(chain.aliases),
        "description": chain.description,
    }
    if segments:
        record["segments"] = [
            {
                "id": s.id,
                "name": s.name,
                "stage": str(s.stage),
                "order": s.order,
                "keywords": list(s.keywords),
                "products": list(s.products),
                "shenwan": [{"code": r.code, "name": r.name} for r in s.shenwan],
            }
            for s in chain.segments
        ]
    else:
        record["segments"] = len(chain.segments)
    return record


def kb_router(store: Store) -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    @router.get("/entities")
    def api_entities(
        q: Annotated[str, Query(max_length=100)] = "",
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
        cursor: Annotated[str | None, Query(max_length=1000)] = None,
        type: Annotated[str | None, Query(max_length=200)] = None,
        region: Annotated[str | None, Query(max_length=200)] = None,
        chain: Annotated[str | None, Query(max_length=200)] = None,
        segment: Annotated[str | None, Query(max_length=200)] = None,
    ):
        """With `q`: exact then partial name/alias/code matches (best first, one page).
        Without: every entity by name, cursor-paginated. `type`, `region` (admin code,
        rolled up) and `chain`/`segment` (placements) narrow either."""
        from chainatlas.store import kb, query

        f = query.EntityFilter(type=type, region=region, chain=chain, segment=segment)
        with store.session() as session:
            if q.strip():
                rows = kb.find_entities(session, q, limit=limit)
                if not f.empty:
                    keep = query.filter_entity_ids(session, [e.id for e in rows], f)
                    rows = [e for e in rows if e.id in keep]
                next_cursor = None
            else:
                page = query.entities_page(session, f, limit=limit, cursor=cursor)
                rows, next_cursor = page.items, page.next_cursor
            return {
                "query": q,
                "items": [
                    {"id": e.id, "type": e.type, "name": e.name, "region_code": e.region_code}
                    for e in rows
                ],
                "next_cursor": next_cursor,
            }

    @router.get("/entities/{entity_id}")
    def api_entity(entity_id: str):
        from chainatlas.store import kb

        with store.session() as session:
            try:
                return kb.entity_profile(session, entity_id)
            except KeyError as exc:
                raise HTTPException(404, f"entity {entity_id} not found") from exc

    @router.get("/chains")
    def api_chains():
        from chainatlas.chains.templates import shipped_chains

        return {"items": [_chain_record(c, segments=False) for c in shipped_chains()]}

    @router.get("/chains/{chain}")
    def api_chain(chain: str):
        from chainatlas.chains.templates import shipped_chains

        found = shipped_chains().get(chain)
        if found is None:
            raise HTTPException(404, f"chain {chain} not found")
        return _chain_record(found, segments=True)

    @router.get("/regions/{region}/diagnosis")
    def api_diagnosis(
        region: str,
        chain: Annotated[str, Query(min_length=1, max_length=50)],
        since: date | None = None,
    ):
        from chainatlas.jobs.diagnose import RegionNotFound, diagnose_region

        try:
            return diagnose_region(store, region, chain, since=since).as_dict()
        except RegionNotFound as exc:
            raise HTTPException(404, f"region {region} not found") from exc
        except KeyError as exc:
            raise HTTPException(404, f"chain {chain} not found") from exc

    return router
