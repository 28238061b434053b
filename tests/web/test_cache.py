"""The read-endpoint response cache: identical bodies while the data is unchanged, and a
write transaction (any process) bumps the data version so the next answer is fresh."""

from __future__ import annotations

from fastapi.testclient import TestClient

from chainatlas.store import documents
from chainatlas.store import version as store_version
from chainatlas.web.app import create_app
from chainatlas.web.cache import CachedResponse, ResponseCache
from tests.factories import STORY, prepared


def _version(store) -> int | None:
    with store.engine.connect() as conn:
        return store_version.current(conn)


def test_write_transactions_bump_the_version_and_reads_do_not(sqlite_store):
    assert sqlite_store.versioned
    before = _version(sqlite_store)
    with sqlite_store.session() as session:
        documents.count(session)
    assert _version(sqlite_store) == before
    with sqlite_store.session() as session:
        documents.save(session, prepared("光明区签约医疗器械项目", STORY), near_dup_threshold=0.5)
    assert _version(sqlite_store) == before + 1


def test_cached_search_is_identical_until_a_write_invalidates_it(sqlite_store):
    with sqlite_store.session() as session:
        documents.save(session, prepared("光明区签约医疗器械项目", STORY), near_dup_threshold=0.5)
    client = TestClient(create_app(sqlite_store))
    first = client.get("/api/v1/search", params={"q": "医疗器械"})
    second = client.get("/api/v1/search", params={"q": "医疗器械"})
    assert first.status_code == second.status_code == 200
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second.headers["content-type"] == first.headers["content-type"]
    assert len(first.json()["items"]) == 1

    # A second matching document, written through an independent store object (as the
    # ingest command in another process would), must show up on the very next request.
    from chainatlas.store.db import Store

    writer = Store(sqlite_store.url)
    with writer.session() as session:
        documents.save(
            session,
            prepared(
                "另一篇医疗器械产业报道", "医疗器械产业园新签约三家企业。" * 5, source="b.html"
            ),
            near_dup_threshold=0.5,
        )
    writer.close()
    third = client.get("/api/v1/search", params={"q": "医疗器械"})
    assert third.headers["x-cache"] == "miss"
    assert len(third.json()["items"]) == 2


def test_query_order_and_uncached_paths(sqlite_store):
    client = TestClient(create_app(sqlite_store))
    a = client.get("/api/v1/search?q=园区&limit=5")
    b = client.get("/api/v1/search?limit=5&q=园区")
    assert (a.headers["x-cache"], b.headers["x-cache"]) == ("miss", "hit")
    other = client.get("/api/v1/search?q=园区&limit=6")
    assert other.headers["x-cache"] == "miss"
    assert "x-cache" not in client.get("/api/v1/documents").headers  # not a cached path
    invalid = client.get("/api/v1/search")  # errors are never stored
    assert invalid.status_code == 422 and "x-cache" not in invalid.headers


def test_lru_is_bounded_by_bytes():
    cache = ResponseCache(max_bytes=800)
    for i in range(10):
        cache.put(("k", i), CachedResponse(200, b"x" * 100, ()))
    assert len(cache) == 8
    assert cache.get(("k", 0)) is None
    assert cache.get(("k", 9)) is not None
    cache.put(("big",), CachedResponse(200, b"x" * 500, ()))  # over an eighth: refused
    assert cache.get(("big",)) is None


def test_read_token_is_checked_before_a_cached_answer_is_served(sqlite_store):
    from chainatlas.web.security import SecurityConfig

    app = create_app(sqlite_store, SecurityConfig(read_token="r" * 32, write_token="w" * 32))
    client = TestClient(app)
    auth = {"Authorization": "Bearer " + "r" * 32}
    assert client.get("/api/v1/search?q=园区", headers=auth).status_code == 200
    assert client.get("/api/v1/search?q=园区", headers=auth).headers["x-cache"] == "hit"
    assert client.get("/api/v1/search?q=园区").status_code == 401


def test_outer_lane_hits_keep_every_security_header(sqlite_store):
    with sqlite_store.session() as session:
        documents.save(session, prepared("光明区签约医疗器械项目", STORY), near_dup_threshold=0.5)
    client = TestClient(create_app(sqlite_store))
    client.get("/")  # a visit first: the CSRF cookie is minted here, not on the cached page
    first = client.get("/search", params={"q": "医疗器械"})
    second = client.get("/search", params={"q": "医疗器械"})
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
    assert second.content == first.content
    for header in ("content-security-policy", "x-frame-options", "x-content-type-options"):
        assert second.headers[header] == first.headers[header]
    english = client.get("/search", params={"q": "医疗器械", "lang": "en"})
    assert english.headers.get("x-cache") is None  # sets the lang cookie: never stored
    assert client.get("/search", params={"q": "医疗器械"}).headers["x-cache"] == "miss"
