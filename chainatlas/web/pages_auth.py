"""Login/logout and the curation forms of the entity page (HTML form POSTs with CSRF).

Each form route stores one decision, re-runs the resolver and answers 303 to the entity
page — to the entity that holds the key after the resolve, since a curation may change
which entity (and so which id) survives.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from chainatlas.jobs import curate
from chainatlas.store import kb
from chainatlas.store.db import Store
from chainatlas.web import security
from chainatlas.web.security import require_write, verify_csrf

__all__ = ["ENTITY_FORM_OPS", "auth_router"]

log = logging.getLogger(__name__)

# Entity-page actions (curation ops) → the request field their one `value` input fills.
ENTITY_FORM_OPS: dict[str, str] = {
    "rename": "name",
    "alias-add": "alias",
    "retype": "type",
    "reject-fact": "fact",
}
FORM_AUTHOR = "web"
# Failed logins allowed per client address within the window, before 429: generous for a
# person mistyping, far too slow for guessing a 32-character random token.
LOGIN_FAILURES = 10
LOGIN_WINDOW_S = 300.0


class FailureLimiter:
    """Recent failures per key, kept in memory (one process; a restart forgets them)."""

    def __init__(self, limit: int = LOGIN_FAILURES, window: float = LOGIN_WINDOW_S) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._seen.setdefault(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key, time.monotonic())) >= self.limit

    def fail(self, key: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(key, now).append(now)
            if len(self._seen) > 10_000:  # bound memory under a spray of addresses
                self._seen = {k: v for k, v in self._seen.items() if v}


def auth_router(store: Store, templates: Jinja2Templates) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    limiter = FailureLimiter()

    def login_page(request: Request, next_: str, problem: str | None = None, status: int = 200):
        return templates.TemplateResponse(
            request,
            "login.html",
            {"next": security.safe_next(next_), "problem": problem},
            status_code=status,
        )

    @router.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/"):
        return login_page(request, next)

    @router.post("/login", dependencies=[Depends(verify_csrf)])
    def login(
        request: Request,
        token: Annotated[str, Form(max_length=500)],
        next: Annotated[str, Form(max_length=2000)] = "/",
    ):
        config = request.app.state.security
        client = request.client.host if request.client else "?"
        if limiter.blocked(client):
            return login_page(request, next, "失败次数过多，请几分钟后再试。", status=429)
        role = security.token_role(config, token.strip())
        if role is None:
            limiter.fail(client)
            log.warning("failed login from %s", client)
            return login_page(request, next, "令牌不正确。", status=403)
        response = RedirectResponse(security.safe_next(next), status_code=303)
        value = security.session_cookie_value(config, role)
        security.set_cookie(request, response, security.SESSION_COOKIE, value,
                            security.SESSION_MAX_AGE)  # fmt: skip
        # A fresh CSRF token per login, so a token seen before login is worth nothing after.
        security.set_cookie(request, response, security.CSRF_COOKIE,
                            security.new_csrf_value(), 7 * 86400)  # fmt: skip
        return response

    @router.post("/logout", dependencies=[Depends(verify_csrf)])
    def logout(request: Request):
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(security.SESSION_COOKIE, path="/")
        return response

    @router.post(
        "/entities/{entity_id}/curate/{action}",
        dependencies=[Depends(require_write), Depends(verify_csrf)],
    )
    def entity_curate(
        entity_id: str,
        action: str,
        value: Annotated[str, Form(max_length=200)],
        reason: Annotated[str, Form(max_length=1000)] = "",
    ):
        if action not in ENTITY_FORM_OPS:
            raise HTTPException(404, f"没有这种校正操作：{action}")
        field_ = ENTITY_FORM_OPS[action]
        with store.session() as session:
            if not kb.find_entities(session, entity_id, limit=1):
                raise HTTPException(404, f"没有编号为 {entity_id} 的实体")
        params = {field_: value.strip()}
        if action != "reject-fact":
            params["entity"] = entity_id
        try:
            outcome = curate.record_decision(
                store, action, params, author=FORM_AUTHOR, reason=reason.strip()
            )
        except curate.CurationInputError as exc:
            raise HTTPException(422, f"校正未保存：{exc}") from exc
        target = outcome.entity_ids.get("entity") or entity_id
        return RedirectResponse(f"/entities/{target}?curated={outcome.decision_id}", 303)

    return router
