"""REST endpoints for the three matchers: /api/v1/match/{invest|tech|site}.

Matching queries are GETs; each result carries its explanation (segments, evidence, score
parts, or the reasons a listing failed). Stored site requirements (POST and list) need the
write token; contact details stay masked unless the list is asked to reveal them."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from chainatlas.store.db import Store
from chainatlas.web.security import require_write


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

    @router.post("/site/requirements", status_code=201, dependencies=[Depends(require_write)])
    def api_submit_requirement(
        request: Request,
        body: Annotated[dict[str, str | float | int | bool | None], Body()],
    ):
        """Store a site requirement (the lead form's fields) and return its matches.
        Contacts are kept only when the operator enabled it; the echo is masked."""
        from chainatlas.web.pages_match import parse_site_form, submit_requirement

        fields = {k: "" if v is None else str(v) for k, v in body.items()}
        if body.get("consent") is True:
            fields["consent"] = "1"
        form = parse_site_form(fields)
        if form.requirement is None:
            return JSONResponse(
                {"type": "about:blank", "title": "选址需求有误", "status": 422,
                 "errors": form.errors},
                status_code=422,
                media_type="application/problem+json",
            )  # fmt: skip
        security = request.app.state.security
        done = submit_requirement(
            store,
            form.requirement,
            store_contacts=security.store_contacts,
            source="api",
            consent=form.consent,
        )
        return {"id": done.id, "contacts_kept": done.contacts_kept, **done.result.to_dict()}

    @router.get("/site/requirements", dependencies=[Depends(require_write)])
    def api_list_requirements(
        reveal: bool = False,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ):
        """Stored requirements, newest first; contacts masked unless reveal=true."""
        from chainatlas.store.leads import count_requirements, list_requirements

        with store.session() as session:
            rows = list_requirements(session, limit=limit, offset=offset)
            total = count_requirements(session)
        return {"total": total, "items": [r.public(reveal=reveal) for r in rows]}

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
