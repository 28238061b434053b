"""The 图谱 page: a force-directed graph around one entity, grown by clicking.

The page only draws; its data comes from /api/v1/graph/{id} (see api_graph), so what a
visitor sees and what an API client gets are the same."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from chainatlas.store.db import Store
from chainatlas.store.kb_schema import EntityRow
from chainatlas.web.api_graph import KIND_LABELS, busy_entities
from chainatlas.web.labels import ENTITY_TYPE_LABELS

__all__ = ["graph_pages"]

ECHARTS = Path(__file__).parent / "assets" / "node_modules" / "echarts" / "dist"


def graph_pages(store: Store, templates: Jinja2Templates) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/graph", response_class=HTMLResponse)
    def graph_page(request: Request, entity: Annotated[str, Query(max_length=40)] = ""):
        focus = None
        with store.session() as session:
            if entity.strip():
                row = session.get(EntityRow, entity.strip())
                if row is None:
                    raise HTTPException(404, f"没有编号为 {entity} 的实体")
                focus = {"id": row.id, "name": row.name, "type": row.type}
            suggestions = busy_entities(session, limit=8)
        return templates.TemplateResponse(
            request,
            "graph.html",
            {
                "focus": focus,
                "suggestions": suggestions,
                "type_labels": ENTITY_TYPE_LABELS,
                "kind_labels": KIND_LABELS,
                "has_echarts": ECHARTS.is_dir(),
            },
        )

    return router
