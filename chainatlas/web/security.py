"""Access control for the web app: tokens, signed session cookies, CSRF, upload checks.

Model (see docs/architecture.md, "Security"): reads are open unless a read token is set;
every write needs the write token, sent as `Authorization: Bearer <token>` (API clients)
or proven once at POST /login, which sets an HttpOnly, SameSite=Strict session cookie
signed with HMAC. HTML form POSTs carry a double-submit CSRF token (cookie + form field),
anonymous visitors included; bearer-authenticated calls are exempt because a browser never
attaches a bearer header on its own.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass, replace
from pathlib import PurePath
from urllib.parse import quote

from fastapi import HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "CSRF_COOKIE",
    "SESSION_COOKIE",
    "SecurityConfig",
    "allow_private_fetch",
    "csrf_token",
    "ensure_write_token",
    "install",
    "is_writer",
    "new_csrf_value",
    "read_upload",
    "require_read",
    "require_write",
    "role_of",
    "safe_next",
    "session_cookie_value",
    "set_cookie",
    "token_role",
    "verify_csrf",
]

SESSION_COOKIE = "ca_session"
CSRF_COOKIE = "ca_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_MAX_AGE = 12 * 3600  # a working day; after that the token is asked for again
# Paths reachable without the read token, so a locked site can still show its login form.
OPEN_PREFIXES = ("/login", "/static/", "/vendor/", "/favicon")
UPLOAD_CHUNK = 64 * 1024
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and small fields around an upload
# Cheap browser-side defences that no page of ours relies on the absence of.
HARDENING_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
# Sent with every HTML page. Scripts only from our own origin, so an injected <script> or
# on…= attribute never runs: templates carry JSON data blocks and <script src> only.
# 'unsafe-inline' stays for *styles* alone because the two libraries we serve write style
# attributes into markup they build (ECharts tooltips, Swagger UI on /docs); styles cannot
# run code, and our own templates use classes in app.css instead.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SecurityConfig:
    read_token: str | None = None  # None: reads are open to everyone
    write_token: str | None = None  # None only before create_app fills in a random one
    max_upload_bytes: int = 20 * 1024 * 1024
    store_contacts: bool = False  # site-need contact data is kept only when enabled
    # URL ingest from the web may reach loopback/private/link-local hosts only when the
    # operator allows it (an intranet deployment); off, the server cannot be made a proxy
    # into its own network (SSRF).
    allow_private_fetch: bool = False

    @classmethod
    def from_env(cls) -> SecurityConfig:
        env = os.environ
        mb = env.get("CHAINATLAS_MAX_UPLOAD_MB", "").strip()
        return cls(
            read_token=env.get("CHAINATLAS_READ_TOKEN") or None,
            write_token=env.get("CHAINATLAS_WRITE_TOKEN") or None,
            max_upload_bytes=int(float(mb) * 1024 * 1024) if mb else cls.max_upload_bytes,
            store_contacts=env.get("CHAINATLAS_STORE_CONTACTS", "").strip().lower() in _TRUE,
            allow_private_fetch=(
                env.get("CHAINATLAS_ALLOW_PRIVATE_FETCH", "").strip().lower() in _TRUE
            ),
        )


def ensure_write_token(config: SecurityConfig) -> SecurityConfig:
    """Writes are never open: without a configured token, mint one for this process."""
    if config.write_token:
        return config
    return replace(config, write_token=secrets.token_urlsafe(24))


def _config(request: Request) -> SecurityConfig:
    config = getattr(request.app.state, "security", None)
    return config if config is not None else SecurityConfig()


def allow_private_fetch(request: Request) -> bool:
    """Whether this app lets web-submitted jobs fetch internal addresses."""
    return _config(request).allow_private_fetch


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


# --- session cookie -------------------------------------------------------------------------


def _sign(token: str, role: str, issued: int) -> str:
    # Keyed by the role's own token: changing a token logs out every session it granted.
    msg = f"chainatlas-session|{role}|{issued}".encode()
    return hmac.new(token.encode(), msg, hashlib.sha256).hexdigest()


def session_cookie_value(config: SecurityConfig, role: str, issued: int | None = None) -> str:
    token = config.write_token if role == "write" else config.read_token
    if not token:
        raise ValueError(f"no token configured for role {role!r}")
    issued = int(time.time()) if issued is None else issued
    return f"{role}.{issued}.{_sign(token, role, issued)}"


def _cookie_role(config: SecurityConfig, value: str | None) -> str | None:
    if not value or value.count(".") != 2:
        return None
    role, issued_s, sig = value.split(".")
    token = {"write": config.write_token, "read": config.read_token}.get(role)
    if not token or not issued_s.isdigit():
        return None
    issued = int(issued_s)
    if not 0 <= time.time() - issued <= SESSION_MAX_AGE:
        return None
    return role if _same(sig, _sign(token, role, issued)) else None


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def token_role(config: SecurityConfig, token: str) -> str | None:
    if _same(token, config.write_token):
        return "write"
    if _same(token, config.read_token):
        return "read"
    return None


def role_of(request: Request) -> tuple[str | None, str]:
    """(role, how): role is "write", "read" or None; how is "bearer", "cookie", "bad" or ""
    ("bad" = a credential was presented but is wrong)."""
    config = _config(request)
    bearer = _bearer(request)
    if bearer is not None:
        role = token_role(config, bearer)
        return (role, "bearer") if role else (None, "bad")
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        role = _cookie_role(config, cookie)
        return (role, "cookie") if role else (None, "bad")
    return None, ""


def is_writer(request: Request) -> bool:
    return role_of(request)[0] == "write"


def require_read(request: Request) -> None:
    config = _config(request)
    if config.read_token is None:
        return
    role, how = role_of(request)
    if role is None:
        if how == "bad":
            raise HTTPException(403, "访问令牌无效")
        raise HTTPException(401, "需要访问令牌：请登录或使用 Authorization: Bearer <令牌>")


async def require_write(request: Request) -> None:
    role, how = role_of(request)
    if role == "write":
        if how == "cookie" and request.method not in ("GET", "HEAD", "OPTIONS"):
            # A cookie rides along on any request the browser makes, so cookie writes also
            # prove they came from our own page.
            await verify_csrf(request)
        return
    if role is None and how != "bad":
        raise HTTPException(401, "需要写入令牌：请登录或使用 Authorization: Bearer <令牌>")
    raise HTTPException(403, "该令牌没有写入权限" if role == "read" else "写入令牌无效")


# --- CSRF (double submit) -------------------------------------------------------------------


def csrf_token(request: Request) -> str:
    """The visitor's CSRF token; mints one (set as a cookie by the middleware) if absent."""
    minted = getattr(request.state, "csrf_new", None)
    if minted:
        return minted
    current = request.cookies.get(CSRF_COOKIE)
    if current and len(current) >= 32:
        return current
    request.state.csrf_new = new_csrf_value()
    return request.state.csrf_new


def new_csrf_value() -> str:
    return secrets.token_urlsafe(32)


async def verify_csrf(request: Request) -> None:
    if role_of(request)[1] == "bearer":
        return
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not _same(sent, request.cookies.get(CSRF_COOKIE)):
        raise HTTPException(403, "表单校验失败（CSRF）：请刷新页面后重试")


def safe_next(value: str | None, default: str = "/") -> str:
    """Only same-site relative paths, so /login?next= cannot bounce visitors elsewhere."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value


def set_cookie(request: Request, response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


# --- app wiring -----------------------------------------------------------------------------


def _problem(status: int, title: str) -> JSONResponse:
    return JSONResponse(
        {"type": "about:blank", "title": title, "status": status},
        status_code=status,
        media_type="application/problem+json",
    )


def install(app, jinja_env) -> None:
    """Template helpers plus one middleware: the read-token lock, the CSRF cookie and the
    hardening headers (CSP on HTML). Also swaps FastAPI's stock /docs page, which loads a
    CDN and runs an inline script, for one that passes the same CSP."""
    from chainatlas.web import api_docs

    api_docs.install(app)
    jinja_env.globals["csrf_token"] = csrf_token
    jinja_env.globals["is_writer"] = is_writer
    jinja_env.globals["account_role"] = lambda request: role_of(request)[0]

    @app.middleware("http")
    async def guard(request: Request, call_next):
        config = _config(request)
        path = request.url.path
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > config.max_upload_bytes + FORM_OVERHEAD:
            # Refuse before the body is spooled to disk; read_upload enforces the exact cap.
            return _problem(413, f"请求体超过 {_size_label(config.max_upload_bytes)} 上限")
        if config.read_token is not None and not path.startswith(OPEN_PREFIXES):
            role, how = role_of(request)
            if role is None:
                api = path.startswith("/api/") or path == "/openapi.json"
                if api or _bearer(request) is not None:
                    if how == "bad":
                        return _problem(403, "访问令牌无效")
                    return _problem(401, "需要访问令牌")
                # A person with a browser (no or expired cookie) is sent to the login form.
                target = path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        response = await call_next(request)
        minted = getattr(request.state, "csrf_new", None)
        already = "".join(response.headers.getlist("set-cookie"))
        if minted and f"{CSRF_COOKIE}=" not in already:
            set_cookie(request, response, CSRF_COOKIE, minted, 7 * 86400)
        for name, value in HARDENING_HEADERS.items():
            response.headers.setdefault(name, value)
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


# --- uploads --------------------------------------------------------------------------------


async def read_upload(
    upload: UploadFile, *, allowed: tuple[str, ...] = (".csv", ".xlsx"), max_bytes: int
) -> bytes:
    """The upload's bytes, or 413 past `max_bytes` / 415 for a type we do not take."""
    suffix = PurePath(upload.filename or "").suffix.lower()
    if suffix not in allowed:
        raise HTTPException(
            415, f"不支持的文件类型 {suffix or '（无扩展名）'}，只接受 {'、'.join(allowed)}"
        )
    chunks, size = [], 0
    while chunk := await upload.read(UPLOAD_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise HTTPException(413, f"文件超过 {_size_label(max_bytes)} 上限")
        chunks.append(chunk)
    data = b"".join(chunks)
    if not _content_matches(suffix, data):
        raise HTTPException(415, f"文件内容与扩展名 {suffix} 不符")
    return data


def _size_label(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n} 字节"


def _content_matches(suffix: str, data: bytes) -> bool:
    if suffix in (".xlsx", ".xlsm", ".zip"):
        return data.startswith(b"PK\x03\x04")
    if suffix in (".csv", ".tsv", ".txt"):
        if b"\x00" in data:
            return False
        # Spreadsheets exported on Chinese Windows are often GB18030 rather than UTF-8.
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                data.decode(encoding)
                return True
            except UnicodeDecodeError:
                continue
        return False
    return True
