"""Full-text search finds Chinese substrings on both engines, safely."""

from __future__ import annotations

import pytest

from chainatlas.store import documents
from chainatlas.store.search import search_documents
from tests.factories import OTHER_STORY, STORY, prepared


@pytest.fixture
def filled(store):
    with store.session() as session:
        documents.save(
            session, prepared("光明区签约医疗器械项目", STORY, source="a"), near_dup_threshold=0.5
        )
        documents.save(
            session,
            prepared("合肥动力电池产线投产", OTHER_STORY, source="b"),
            near_dup_threshold=0.5,
        )
        documents.save(
            session,
            prepared(
                "臺灣半導體產業鏈觀察",
                "新竹科學園區的晶圓代工產能持續擴張，帶動設備與材料供應商投資。" * 3,
                source="c",
            ),
            near_dup_threshold=0.5,
        )
    return store


def titles(store, query):
    with store.session() as session:
        return [h.title for h in search_documents(session, query)]


def test_substring_of_three_or_more_characters(filled):
    assert titles(filled, "医学影像设备") == ["光明区签约医疗器械项目"]
    assert titles(filled, "动力电池") == ["合肥动力电池产线投产"]


def test_two_character_query_falls_back_but_still_finds(filled):
    assert titles(filled, "隔膜") == ["合肥动力电池产线投产"]


def test_several_terms_must_all_match(filled):
    assert titles(filled, "光明区 探测器") == ["光明区签约医疗器械项目"]
    assert titles(filled, "光明区 电解液") == []


def test_traditional_query_finds_simplified_text_and_vice_versa(filled):
    assert titles(filled, "醫療器械") == ["光明区签约医疗器械项目"]
    assert titles(filled, "晶圆代工") == ["臺灣半導體產業鏈觀察"]


def test_full_width_digits_in_query_are_folded(filled):
    assert titles(filled, "２０２７年投产") == ["光明区签约医疗器械项目"]


def test_snippet_is_original_text_around_the_hit(filled):
    with filled.session() as session:
        hit = search_documents(session, "晶圆代工")[0]
    assert hit.snippet[hit.hit_start : hit.hit_start + hit.hit_length] == "晶圓代工"


@pytest.mark.parametrize(
    "hostile",
    [
        '" OR 1=1 --',
        "'; DROP TABLE documents; --",
        "%",
        "_",
        "NEAR(a b)",
        "*",
        "\\",
        '"""',
        "a\x00b",
    ],
)
def test_hostile_queries_are_data_not_syntax(filled, hostile):
    titles(filled, hostile)  # must not raise
    with filled.session() as session:
        assert documents.count(session) == 3


def test_empty_query_returns_nothing(filled):
    assert titles(filled, "   ") == []
