"""REST endpoints for the three matchers: /api/v1/match/{invest|tech|site}.

Read-only queries (GET); each result carries its explanation (segments, evidence, score
parts, or the reasons a listing failed). Contact details stay masked."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query

from chainatlas.store.db import Store


def match_router(store: Store) -> APIRouter:
    router = APIRouter(prefix="/api/v1/match")

    @router.get("/tech")
    def api_match_tech(
        need: Annotated[str, Query(min_length=2, max_length=200)],
        region: Annotated[str | None, Query(max_length=50)] = None,
        top: Annotated[int, Query(ge=1, le=50)] = 10,
    ):
        from chainatlas.jobs.match import load_tech_candidates
        from chainatlas.match.tech import match_tech

        found = match_tech(need, load_tech_candidates(store), region=region, top=top)
        return {"need": need, "region": region, "items": [m.to_dict() for m in found]}

    @router.get("/site")
    def api_match_site(
        need_type: Annotated[Literal["land", "factory", "office"], Query(alias="type")],
        industry: Annotated[str, Query(max_length=50)] = "",
        area: Annotated[float | None, Query(gt=0, le=10_000_000)] = None,
        region: Annotated[str | None, Query(max_length=50)] = None,
        budget: Annotated[float | None, Query(gt=0)] = None,
        top: Annotated[int, Query(ge=1, le=50)] = 5,
    ):
        from chainatlas.jobs.match import load_listings, load_park_profiles
        from chainatlas.match.site import SiteRequirement, match_site

        requirement = SiteRequirement(
            need_type=need_type, industry=industry, area_sqm=area, region=region, budget=budget
        )
        result = match_site(
            requirement, load_listings(store), top=top, park_profiles=load_park_profiles(store)
        )
        return result.to_dict()

    @router.get("/invest")
    def api_match_invest(
        region: Annotated[str, Query(min_length=1, max_length=50)],
        chain: Annotated[str, Query(min_length=1, max_length=50)],
        segment: Annotated[str | None, Query(max_length=60)] = None,
        top: Annotated[int, Query(ge=1, le=50)] = 10,
    ):
        from chainatlas.jobs.diagnose import RegionNotFound
        from chainatlas.jobs.invest import invest_region

        try:
            result = invest_region(store, region, chain, segment=segment, top=top)
        except RegionNotFound as exc:
            raise HTTPException(404, f"region {region} not found") from exc
        except KeyError as exc:
            raise HTTPException(404, f"chain or segment not found: {exc}") from exc
        return {
            "region": region,
            "chain": chain,
            "message": result.message,
            "targets": result.targets,
            "items": [m.as_dict() for m in result.matches],
        }

    return router
