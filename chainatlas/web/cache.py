"""A response cache for the read endpoints that dominate traffic (search, entity profiles,
region diagnoses), keyed by request and the store's data version.

Correctness rests on the key, not on expiry: the store bumps its data version in every
write transaction (`chainatlas.store.version`), so an answer is served from memory only
while the data it was computed from is unchanged. The key also holds everything else an
answer depends on: the path, the sorted query, the page language and, for HTML pages, the
visitor's cookies (pages embed a per-visitor CSRF token and login state). Responses that
set a cookie, fail, or stream are never stored.
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from chainatlas.store import version as store_version
from chainatlas.store.db import Store
from chainatlas.web import i18n
from chainatlas.web.shared_cache import ENV_VAR as SHARED_ENV_VAR
from chainatlas.web.shared_cache import SharedCache

__all__ = ["CACHED_PATHS", "CachedResponse", "ResponseCache", "install"]

# The read endpoints worth caching: expensive, read-only and deterministic given the data.
CACHED_PATHS = re.compile(
    r"^(/api/v1/search|/api/v1/entities/[^/]+|/api/v1/regions/[^/]+/diagnosis"
    r"|/search|/entities/[^/]+)$"
)
HEADER = "x-cache"


@dataclass(frozen=True)
class CachedResponse:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]


class ResponseCache:
    """Thread-safe LRU bounded by total body bytes; entries carry the data version.

    With `shared` (several worker processes on one store), a miss in memory is looked up
    in the shared file before the answer is computed, and every stored answer goes there
    too, so each answer is computed once per server rather than once per worker."""

    def __init__(
        self, max_bytes: int = 64 * 1024 * 1024, shared: SharedCache | None = None
    ) -> None:
        self.max_bytes = max_bytes
        self.shared = shared
        self.shared_hits = 0
        self._items: OrderedDict[tuple, CachedResponse] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple) -> CachedResponse | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found
        if self.shared is not None:
            stored = self.shared.get(key)
            if stored is not None:
                status, headers, body = stored
                found = CachedResponse(status, body, headers)
                self._remember(key, found)
                with self._lock:
                    self.hits += 1
                    self.shared_hits += 1
                return found
        with self._lock:
            self.misses += 1
        return None

    def put(self, key: tuple, value: CachedResponse) -> None:
        if self._remember(key, value) and self.shared is not None:
            self.shared.put(key, value.status, value.headers, value.body)

    def _remember(self, key: tuple, value: CachedResponse) -> bool:
        """Keep `value` in memory; False when it is too large to cache at all."""
        size = len(value.body)
        if size > self.max_bytes // 8:  # one huge answer must not flush everything else
            return False
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._items[key] = value
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.body)
        return True

    def __len__(self) -> int:
        return len(self._items)


def request_key(request: Request, version: int) -> tuple:
    query = tuple(sorted(request.query_params.multi_items()))
    lang = getattr(request.state, "lang", None) or ""
    api = request.url.path.startswith("/api/")
    # API answers do not depend on cookies; pages do (CSRF token, login state).
    cookies = "" if api else request.headers.get("cookie", "")
    auth = request.headers.get("authorization", "")
    return (version, request.url.path, query, lang, cookies, auth)


def _sqlite_files_state(store: Store) -> tuple | None:
    """(size, mtime) of a SQLite store's file and its write-ahead log: every committed
    write changes one of them, so while they stay the same the version cannot have moved."""
    url = store.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    state = []
    for path in (url.database, url.database + "-wal"):
        try:
            st = os.stat(path)
        except OSError:
            state.append(None)
            continue
        state.append((st.st_size, st.st_mtime_ns))
    return tuple(state)


_last_seen: dict[int, tuple[tuple, int | None]] = {}


def _fast_version(store: Store) -> tuple[bool, int | None]:
    """(known, version) without touching the database when the SQLite files are unchanged."""
    files = _sqlite_files_state(store)
    seen = _last_seen.get(id(store))
    if files is not None and seen is not None and seen[0] == files:
        return True, seen[1]
    return False, None


def read_version(store: Store) -> int | None:
    if not getattr(store, "versioned", False):
        return None
    # Fast path for SQLite: two stat calls instead of a query per request.
    known, version = _fast_version(store)
    if known:
        return version
    files = _sqlite_files_state(store)
    with store.engine.connect() as conn:
        version = store_version.current(conn)
    if files is not None:
        _last_seen[id(store)] = (files, version)
    return version


async def current_version(store: Store) -> int | None:
    """The data version for a request: from the file check when it suffices, else read
    from the database off the event loop."""
    known, version = _fast_version(store)
    return version if known else await run_in_threadpool(read_version, store)


class CacheLane:
    """The same cache as a plain ASGI layer outside every other middleware, used while
    reads are open (no read token): a hit is answered here without passing through the
    security, language and routing layers, which cost more than the answer itself under
    load. Stored answers are the complete responses those layers produced (security
    headers included); anything that sets a cookie is never stored. With a read token the
    lane steps aside and the inner middleware caches after the token check."""

    def __init__(self, app, store: Store, cache: ResponseCache) -> None:
        self.app = app
        self.store = store
        self.cache = cache

    def _key(self, scope, version: int) -> tuple:
        query = tuple(sorted(parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                                       keep_blank_values=True)))  # fmt: skip
        headers = {k: v for k, v in scope.get("headers", ())}
        cookie = headers.get(b"cookie", b"").decode("latin-1")
        asked = next((v for k, v in query if k == "lang"), None)
        cookie_lang = re.search(r"(?:^|;\s*)lang=([a-z]+)", cookie)
        lang = i18n.pick_lang(asked, cookie_lang.group(1) if cookie_lang else None)
        path = scope["path"]
        api = path.startswith("/api/")
        auth = headers.get(b"authorization", b"").decode("latin-1")
        return ("lane", version, path, query, lang, "" if api else cookie, auth)

    async def __call__(self, scope, receive, send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not CACHED_PATHS.match(scope["path"])
            or getattr(scope["app"].state, "security", None) is None
            or scope["app"].state.security.read_token
        ):
            await self.app(scope, receive, send)
            return
        version = await current_version(self.store)
        if version is None:
            await self.app(scope, receive, send)
            return
        key = self._key(scope, version)
        hit = self.cache.get(key)
        if hit is not None:
            await send({"type": "http.response.start", "status": hit.status,
                        "headers": _raw(hit, "hit")})  # fmt: skip
            await send({"type": "http.response.body", "body": hit.body})
            return
        scope.setdefault("state", {})["cache_lane"] = True  # the inner middleware steps aside
        kept: list = [None]  # the storable headers, once the answer has started
        chunks: list[bytes] = []

        async def capture(message) -> None:
            if message["type"] == "http.response.start":
                raw = message.get("headers", ())
                kept[0] = _storable_headers(raw) if message["status"] == 200 else None
                if kept[0] is not None:  # only answers that can be stored say "miss"
                    message = {**message, "headers": [*raw, (HEADER.encode(), b"miss")]}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and kept[0] is not None:
                    self.cache.put(key, CachedResponse(200, b"".join(chunks), kept[0]))
            await send(message)

        await self.app(scope, receive, capture)


def _storable_headers(raw) -> tuple[tuple[str, str], ...] | None:
    """The headers to keep with a stored answer (its length and cache state are added when
    it is served), or None when it sets a cookie: then it is one visitor's alone."""
    if any(k.lower() == b"set-cookie" for k, _ in raw):
        return None
    skip = (b"content-length", HEADER.encode())
    return tuple(
        (k.decode("latin-1"), v.decode("latin-1")) for k, v in raw if k.lower() not in skip
    )


def _raw(stored: CachedResponse, state: str) -> list[tuple[bytes, bytes]]:
    return [
        *((k.encode("latin-1"), v.encode("latin-1")) for k, v in stored.headers),
        (b"content-length", str(len(stored.body)).encode()),
        (HEADER.encode(), state.encode()),
    ]


def install_lane(app: FastAPI, store: Store) -> None:
    """Add the outer fast lane; call after every other middleware is added (last added is
    outermost), and after `install`, whose cache it shares."""
    app.add_middleware(CacheLane, store=store, cache=app.state.response_cache)


def install(app: FastAPI, store: Store, cache: ResponseCache | None = None) -> ResponseCache:
    """Add the caching middleware to `app`; returns the cache (tests inspect it). With
    CHAINATLAS_SHARED_CACHE set to a file path, the worker processes that share it also
    share their answers (`shared_cache`)."""
    if cache is None:
        shared_path = os.environ.get(SHARED_ENV_VAR, "").strip()
        cache = ResponseCache(shared=SharedCache(shared_path) if shared_path else None)
    app.state.response_cache = cache

    @app.middleware("http")
    async def response_cache(request: Request, call_next):
        if request.method != "GET" or not CACHED_PATHS.match(request.url.path):
            return await call_next(request)
        if getattr(request.state, "cache_lane", False):
            return await call_next(request)
        version = await current_version(store)
        if version is None:
            return await call_next(request)
        key = request_key(request, version)
        hit = cache.get(key)
        if hit is not None:
            return _rebuild(hit, "hit")
        response = await call_next(request)
        # A page that minted a CSRF token for this visitor is theirs alone: not stored.
        minted = getattr(request.state, "csrf_new", None)
        headers = _storable_headers(response.raw_headers)
        if response.status_code != 200 or minted or headers is None:
            return response
        body = b"".join([chunk async for chunk in response.body_iterator])
        stored = CachedResponse(response.status_code, body, headers)
        cache.put(key, stored)
        return _rebuild(stored, "miss")

    return cache


def _rebuild(stored: CachedResponse, state: str) -> Response:
    response = Response(stored.body, status_code=stored.status)
    response.raw_headers = _raw(stored, state)
    return response
