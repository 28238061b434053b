"""Two-character terms are answered through the trigram index's vocabulary and the
ends-with indexes (migration 0007), and give exactly what a substring scan gives — in
the middle of a text, at the very end of a title or body, in ASCII of either case, and
combined with longer terms."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainatlas.store import documents
from chainatlas.store.search import search_documents
from tests.factories import prepared

TEXTS = [
    ("深圳医疗器械集群", "光明区的医疗器械企业持续增资扩产，带动上游材料配套。"),
    ("合肥新能源汽车", "整车与动力电池项目同步推进，今年新增产能可观，重点发展医疗"),
    ("AI芯片发布", "这家初创公司发布了面向端侧推理的ai芯片，并完成新一轮融资。"),
    ("园区动态：深圳", "多家企业签约入驻，涉及传感器、精密加工和检测服务等方向。"),
    ("人才政策", "对引进的高层次人才给予安家补贴和子女入学便利。"),
]


@pytest.fixture
def corpus(sqlite_store):
    with sqlite_store.session() as session:
        for i, (title, body) in enumerate(TEXTS):
            documents.save(
                session, prepared(title, body * 2, source=f"s{i}"), near_dup_threshold=0.99
            )
    return sqlite_store


def found(store, query: str) -> set[str]:
    with store.session() as session:
        return {h.title for h in search_documents(session, query, limit=200)}


def scanned(query: str) -> set[str]:
    terms = query.lower().split()
    return {
        title
        for title, body in TEXTS
        if all(t in title.lower() or t in (body * 2).lower() for t in terms)
    }


@pytest.mark.parametrize(
    "query",
    ["医疗", "深圳", "ai", "AI", "芯片", "补贴", "发展", "器械 深圳", "深圳 医疗器械", "无关"],
)
def test_two_character_terms_match_a_substring_scan(corpus, query):
    assert found(corpus, query) == scanned(query)


def test_a_term_at_the_very_end_of_a_body_or_title_is_found(corpus):
    # "…重点发展医疗" ends the body; "园区动态：深圳" ends with 深圳.
    assert "合肥新能源汽车" in found(corpus, "医疗")
    assert "园区动态：深圳" in found(corpus, "深圳")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(TEXTS), st.booleans(), st.integers(min_value=0, max_value=200))
def test_any_two_characters_of_any_text_are_found(corpus, item, in_title, at):
    title, body = item
    source = title if in_title else body * 2  # as stored
    pair = source[at % (len(source) - 1) :][:2]
    if pair.strip() != pair:
        return
    assert title in found(corpus, pair)
    assert found(corpus, pair) == scanned(pair)
