"""The index copy: simplified, width-folded, and always the same length as the original."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chainatlas.text.normalize import fold_width, normalize, normalize_query


def test_traditional_becomes_simplified():
    result = normalize("臺灣半導體產業鏈")
    assert result.text == "台湾半导体产业链"
    assert result.looks_traditional


def test_simplified_is_untouched():
    result = normalize("深圳迈瑞医疗")
    assert result.text == "深圳迈瑞医疗" and not result.looks_traditional


def test_full_width_forms_fold_to_ascii():
    assert fold_width("ＡＥＤ　２０２５年，（３００７６０）") == "AED 2025年,(300760)"


def test_query_normalisation_matches_index_normalisation():
    assert normalize_query("  醫療器械２０２５ ") == "医疗器械2025"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_offsets_never_shift(text):
    # Spans found in the normalised copy must address the same characters in the original.
    assert len(normalize(text).text) == len(text)


@given(st.text(alphabet="臺灣產業鏈發展與電動汽車半導體們個為後著裡乾髮麵\n ", max_size=200))
def test_offsets_never_shift_on_dense_traditional_text(text):
    assert len(normalize(text).text) == len(text)
