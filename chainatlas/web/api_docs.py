"""The /docs page: the OpenAPI description of /api/v1, readable with no internet.

FastAPI's stock page pulls Swagger UI from a CDN and starts it with an inline script;
our Content-Security-Policy refuses both. Here Swagger UI comes from the npm package
`swagger-ui-dist` (installed by scripts/install-web-assets.sh, served under
/vendor/swagger-ui) and is started by /static/docs.js. Without that package the page
is a plain server-rendered list of the endpoints, linking /openapi.json.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["DOCS_PATH", "SWAGGER_DIR", "endpoint_rows", "install"]

DOCS_PATH = "/docs"
SWAGGER_DIR = Path(__file__).parent / "assets" / "node_modules" / "swagger-ui-dist"
_METHODS = ("get", "post", "put", "patch", "delete")


def install(app: FastAPI, swagger_dir: Path = SWAGGER_DIR) -> None:
    """Replace the stock Swagger routes with ours (same path, so links keep working)."""
    stock = {DOCS_PATH, app.docs_url, app.swagger_ui_oauth2_redirect_url} - {None}
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) not in stock]
    app.docs_url = None
    has_swagger = (swagger_dir / "swagger-ui-bundle.js").is_file()
    if has_swagger:
        app.mount("/vendor/swagger-ui", StaticFiles(directory=swagger_dir), name="swagger-ui")

    def docs() -> HTMLResponse:
        body = _swagger_page(app) if has_swagger else _plain_page(app)
        return HTMLResponse(body)

    app.add_api_route(DOCS_PATH, docs, methods=["GET"], include_in_schema=False)


def _head(app: FastAPI, extra: str = "") -> str:
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(app.title)} API 文档</title>"
        '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
        f"{extra}</head>"
    )


def _swagger_page(app: FastAPI) -> str:
    spec = escape(app.openapi_url or "/openapi.json")
    return (
        _head(app, '<link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">')
        + f'<body><div id="swagger-ui" data-spec-url="{spec}"></div>'
        '<script src="/vendor/swagger-ui/swagger-ui-bundle.js" defer></script>'
        '<script src="/static/docs.js" defer></script></body></html>'
    )


def endpoint_rows(spec: dict) -> list[tuple[str, str, str]]:
    """(METHOD, path, summary) for every operation in an OpenAPI document, by path."""
    rows = []
    for path, item in sorted(spec.get("paths", {}).items()):
        for method in _METHODS:
            operation = item.get(method)
            if operation is not None:
                text = (operation.get("summary") or operation.get("description") or "").strip()
                rows.append((method.upper(), path, text.splitlines()[0] if text else ""))
    return rows


def _plain_page(app: FastAPI) -> str:
    spec_url = escape(app.openapi_url or "/openapi.json")
    rows = "".join(
        f"<tr><td><code>{escape(m)}</code></td><td><code>{escape(p)}</code></td>"
        f"<td>{escape(s)}</td></tr>"
        for m, p, s in endpoint_rows(app.openapi())
    )
    return (
        _head(app, '<link rel="stylesheet" href="/static/app.css">') + "<body><main>"
        f"<h1>{escape(app.title)} API</h1>"
        f'<p>机器可读的完整描述：<a href="{spec_url}">{spec_url}</a>'
        "（交互式文档需安装 swagger-ui-dist：scripts/install-web-assets.sh）</p>"
        f"<table><thead><tr><th>方法</th><th>路径</th><th>说明</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></main></body></html>"
    )
