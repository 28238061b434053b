"""The response cache shared by worker processes: an answer one worker computed is served
by another without recomputing, a write still invalidates it, and a broken cache file
only costs misses."""

from __future__ import annotations

from fastapi.testclient import TestClient

from chainatlas.store import documents
from chainatlas.store.db import Store
from chainatlas.web.app import create_app
from chainatlas.web.cache import CachedResponse, ResponseCache
from chainatlas.web.shared_cache import ENV_VAR, SharedCache, key_digest
from tests.factories import STORY, prepared


def test_entries_written_by_one_opener_are_read_by_another(tmp_path):
    path = tmp_path / "shared.sqlite"
    a, b = SharedCache(path), SharedCache(path)
    key = ("lane", 7, "/api/v1/search", (("q", "激光"),), "zh", "", "")
    assert b.get(key) is None
    a.put(key, 200, (("content-type", "application/json"),), b'{"items": []}')
    assert b.get(key) == (200, (("content-type", "application/json"),), b'{"items": []}')
    # The data version is part of the key: the same request at another version misses.
    assert b.get(("lane", 8, *key[2:])) is None
    assert key_digest(key) == key_digest(tuple(key)) != key_digest(("lane", 8, *key[2:]))


def test_memory_miss_falls_back_to_the_shared_file_and_keeps_the_answer(tmp_path):
    shared = SharedCache(tmp_path / "shared.sqlite")
    first, second = ResponseCache(shared=shared), ResponseCache(shared=SharedCache(shared.path))
    first.put(("k", 1), CachedResponse(200, b"body", (("x-a", "1"),)))
    found = second.get(("k", 1))
    assert found == CachedResponse(200, b"body", (("x-a", "1"),))
    assert (second.hits, second.shared_hits, second.misses) == (1, 1, 0)
    assert len(second) == 1  # promoted to memory: the next get does not read the file
    assert second.get(("k", 2)) is None and second.misses == 1


def test_trim_keeps_the_newest_rows(tmp_path):
    cache = SharedCache(tmp_path / "shared.sqlite", max_rows=100)
    for i in range(500):  # the 500th put trims
        cache.put(("k", i), 200, (), b"x")
    assert len(cache) == 100
    assert cache.get(("k", 0)) is None and cache.get(("k", 499)) is not None


def test_a_corrupt_cache_file_is_only_a_miss(tmp_path):
    path = tmp_path / "shared.sqlite"
    cache = SharedCache(path)
    cache.put(("k", 1), 200, (), b"x")
    reader = SharedCache(path)
    reader._local.conn.close()
    reader._local.conn = None
    path.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"shared.sqlite{suffix}").unlink(missing_ok=True)
    assert reader.get(("k", 1)) is None
    reader.put(("k", 2), 200, (), b"y")  # swallowed, counted
    assert reader.errors >= 1


def test_two_apps_on_one_store_share_answers_until_a_write(sqlite_store, tmp_path, monkeypatch):
    with sqlite_store.session() as session:
        documents.save(session, prepared("光明区签约医疗器械项目", STORY), near_dup_threshold=0.5)
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "shared.sqlite"))
    # Two app instances stand for two uvicorn workers: separate memory, one shared file.
    one = TestClient(create_app(sqlite_store))
    two = TestClient(create_app(Store(sqlite_store.url, migrate=False)))
    first = one.get("/api/v1/search", params={"q": "医疗器械"})
    assert first.headers["x-cache"] == "miss"
    other = two.get("/api/v1/search", params={"q": "医疗器械"})
    assert other.headers["x-cache"] == "hit"
    assert other.content == first.content
    assert two.app.state.response_cache.shared_hits == 1
    page = one.get("/entities")  # not a cached path: untouched by either tier
    assert "x-cache" not in page.headers

    writer = Store(sqlite_store.url, migrate=False)
    with writer.session() as session:
        documents.save(
            session,
            prepared("另一篇医疗器械报道", "医疗器械产业园新签约三家企业。" * 5, source="b.html"),
            near_dup_threshold=0.5,
        )
    writer.close()
    fresh = two.get("/api/v1/search", params={"q": "医疗器械"})
    assert fresh.headers["x-cache"] == "miss"
    assert len(fresh.json()["items"]) == 2
    assert one.get("/api/v1/search", params={"q": "医疗器械"}).headers["x-cache"] == "hit"


def test_without_the_variable_there_is_no_shared_tier(sqlite_store, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    app = create_app(sqlite_store)
    assert app.state.response_cache.shared is None


def test_an_unusable_path_is_refused_at_start_with_its_name(tmp_path):
    import pytest

    bad = tmp_path / "missing-dir" / "shared.sqlite"
    with pytest.raises(ValueError, match=r"CHAINATLAS_SHARED_CACHE=.*missing-dir.*cannot open"):
        SharedCache(bad)
