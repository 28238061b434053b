"""Region recognition and normalisation in running text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chainatlas.extract.records import EntityType
from chainatlas.extract.regions import EXTRACTOR, find_regions


def codes(text: str, **kwargs) -> list[str | None]:
    return [m.attrs["code"] for m in find_regions(text, **kwargs)]


def test_city_short_name_normalised():
    (m,) = find_regions("深圳出台新政")
    assert (m.start, m.end, m.text) == (0, 2, "深圳")
    assert m.type is EntityType.REGION
    assert m.extractor == EXTRACTOR
    assert m.attrs["code"] == "440300"
    assert m.attrs["full_name"] == "广东省深圳市"
    assert m.attrs["level"] == "city"
    assert m.attrs["ambiguous"] is False
    assert m.attrs["lat"] is not None and m.attrs["lon"] is not None


def test_several_cities():
    assert codes("惠州、江门两地") == ["441300", "440700"]


def test_adjacent_names_compose_into_the_most_specific_unit():
    for text in ("广州黄埔", "广州市黄埔区", "广东省广州市黄埔区"):
        (m,) = find_regions(text)
        assert m.attrs["code"] == "440112"
        assert (m.start, m.end) == (0, len(text))


def test_short_county_resolved_by_city_elsewhere_in_document():
    text = "广州持续加大投入。\n黄埔较早布局生物医药。南沙则聚焦科学装置。"
    assert codes(text) == ["440100", "440112", "440115"]
    assert find_regions(text)[2].attrs["resolved_by"] == "context"


def test_shared_district_name_resolved_by_prefix_or_left_ambiguous():
    assert codes("北京朝阳区") == ["110105"]
    assert codes("长春朝阳区") == ["220104"]
    (m,) = find_regions("朝阳区")
    assert m.attrs["ambiguous"] is True
    assert m.attrs["code"] is None
    assert m.attrs["candidates"] == ["110105", "220104"]


def test_shared_name_resolved_by_another_region_in_the_text_or_by_caller():
    assert codes("长春市发布规划，朝阳区将建设新园区") == ["220100", "220104"]
    assert codes("朝阳区将建设新园区", context_codes=["110000"]) == ["110105"]


def test_common_word_needs_suffix_or_preceding_city():
    assert find_regions("光明的前景") == []
    assert codes("光明区") == ["440311"]
    assert codes("深圳光明科学城") == ["440311"]


def test_name_inside_an_organisation_is_flagged():
    (m,) = find_regions("吉林大学")
    assert m.text == "吉林"
    assert m.attrs["inside_org"] is True
    (plain,) = find_regions("吉林省")
    assert "inside_org" not in plain.attrs


def test_zone_and_street_names():
    (m,) = find_regions("广州南沙新区")
    assert m.attrs["code"] == "440115"
    assert m.attrs["inside_park"] is True
    assert find_regions("位于北京路步行街") == []


def test_municipality_district():
    assert codes("上海浦东新区") == ["310115"]


def test_phrases_containing_names_are_not_regions():
    assert find_regions("在珠江西岸") == []
    assert find_regions("确保长治久安") == []
    assert codes("吉林市场监管部门") == ["220000"]


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("广东省深圳市黄埔区光明朝阳吉林大学北京路南沙新区江西珠，。\n a1")
        ),
        max_size=60,
    )
    | st.text(max_size=60)
)
def test_random_text_never_crashes_and_spans_are_valid(text):
    previous_end = 0
    for m in find_regions(text):
        assert 0 <= m.start < m.end <= len(text)
        assert m.start >= previous_end
        assert text[m.start : m.end] == m.text
        assert 0.0 < m.confidence <= 1.0
        assert m.attrs["ambiguous"] == (m.attrs["code"] is None)
        previous_end = m.end
