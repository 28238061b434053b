"""The 数据 page: upload CSV/Excel, add URLs and feeds, watch jobs, read stored reports.

Visible to everyone; the forms are shown only to a logged-in writer. The forms post to the
REST endpoints (static/data.js sends the CSRF token), and the jobs table polls
/api/v1/jobs while something runs.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from chainatlas.store.db import Store
from chainatlas.web import security
from chainatlas.web.api_data import IMPORT_KINDS, MAX_INPUTS, UPLOAD_TYPES, stored_runs

__all__ = ["data_pages"]


def data_pages(store: Store, templates: Jinja2Templates) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/data", response_class=HTMLResponse)
    def data_page(request: Request):
        with store.session() as session:
            runs = stored_runs(session, 10)
        config = getattr(request.app.state, "security", None)
        max_mb = getattr(config, "max_upload_bytes", 20 * 1024 * 1024) / (1024 * 1024)
        return templates.TemplateResponse(
            request,
            "data.html",
            {
                "kinds": IMPORT_KINDS,
                "runs": runs,
                "writer": security.is_writer(request),
                "csrf": security.csrf_token(request),
                "max_inputs": MAX_INPUTS,
                "upload_types": "、".join(UPLOAD_TYPES),
                "max_mb": f"{max_mb:g}",
            },
        )

    return router
