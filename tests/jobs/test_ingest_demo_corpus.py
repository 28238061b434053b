"""The demo corpus as a golden set: ingest it on each engine and check every page against
the manifest (title, date, category, tags, author, related links, clean body, reposts)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from chainatlas.data.demo_corpus import demo_items, manifest
from chainatlas.jobs.ingest import run_ingest
from chainatlas.store import documents
from chainatlas.store.search import search_documents

SHANGHAI = ZoneInfo("Asia/Shanghai")
BOILERPLATE_MARKERS = [
    "扫一扫",
    "版权声明",
    "转载请注明",
    "厂房土地租售",
    "分享到",
    "分享给朋友",
    "ICP备",
    "相关文章",
    "本文链接",
]


@pytest.fixture
def ingested(store):
    report = run_ingest(store, demo_items(), arguments=["demo"])
    return store, report


def by_source(report):
    return {o.source.removeprefix("demo:"): o for o in report.outcomes}


def test_every_page_is_ingested_and_reposts_are_clustered(ingested):
    store, report = ingested
    pages = manifest()["pages"]
    assert report.counts["failed"] == 0, report.failed
    outcomes = by_source(report)
    groups = defaultdict(list)
    for page in pages:
        if page["repost_group"]:
            groups[page["repost_group"]].append(outcomes[page["file"]].document_id)
    assert groups, "the demo corpus must contain a repost group"
    with store.session() as session:
        for members in groups.values():
            assert len(members) >= 3
            rows = [documents.get(session, m) for m in members]
            canon = {r.dup_of or r.id for r in rows}
            assert len(canon) == 1, "one canonical document per repost cluster"
            assert sum(r.dup_of is None for r in rows) == 1
        # no story outside a repost group is marked as a repost
        singles = [outcomes[p["file"]].document_id for p in pages if not p["repost_group"]]
        assert all(documents.get(session, d).dup_of is None for d in singles)


def test_reingesting_the_demo_corpus_adds_nothing(ingested):
    store, _ = ingested
    with store.session() as session:
        before = documents.count(session)
    again = run_ingest(store, demo_items())
    assert again.counts["new"] == 0 and again.counts["near_duplicate"] == 0
    with store.session() as session:
        assert documents.count(session) == before


@pytest.mark.parametrize("page", manifest()["pages"], ids=lambda p: p["id"])
def test_page_matches_its_golden_expectations(sqlite_store, page):
    report = run_ingest(
        sqlite_store, (i for i in demo_items() if i.source == f"demo:{page['file']}")
    )
    assert report.counts["failed"] == 0, report.failed
    with sqlite_store.session() as session:
        doc = documents.get(session, report.outcomes[0].document_id)
        assert doc.title == page["title"]
        assert doc.published_at is not None
        assert doc.published_at.astimezone(SHANGHAI).date() == date.fromisoformat(
            page["published_date"]
        )
        assert doc.category == page["category"]
        assert doc.tags == page["tags"]
        if page["author"]:
            assert doc.author == page["author"]
        assert len(doc.links) == page["n_related"]
        assert [link["title"] for link in doc.links] == page["related_titles"]
        assert doc.text.startswith(page["body_first"])
        assert doc.text.rstrip().endswith(page["body_last"])
        for marker in BOILERPLATE_MARKERS:
            assert marker not in doc.text, marker


def test_search_finds_demo_documents_in_both_scripts(ingested):
    store, _ = ingested
    with store.session() as session:
        assert search_documents(session, "除颤器")
        assert search_documents(session, "比亞迪")  # Traditional query, Simplified index
