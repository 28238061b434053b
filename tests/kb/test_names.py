"""Name analysis: the parts resolution blocks and compares on."""

from __future__ import annotations

import pytest

from chainatlas.kb.names import (
    canonical_gov_body,
    is_generic_name,
    is_generic_org,
    parse_company,
    parse_gov,
    person_key,
    regions_compatible,
)


@pytest.mark.parametrize(
    ("name", "region", "core", "form"),
    [
        ("深圳迈瑞生物医疗电子股份有限公司", "440300", "迈瑞", "股份有限公司"),
        ("迈瑞医疗", None, "迈瑞", None),
        ("迈瑞", None, "迈瑞", None),
        ("深圳柏垠生物", "440300", "柏垠", None),
        ("柏垠生物", None, "柏垠", None),
        ("苏州澜图科技有限公司", "320500", "澜图", "有限公司"),
        ("合肥澜图科技有限公司", "340100", "澜图", "有限公司"),
        ("广东省深圳市光明区华星光电有限公司", "440311", "华星", "有限公司"),
        ("迈瑞医疗（深圳）有限公司", "440300", "迈瑞", "有限公司"),
        ("比亞迪股份有限公司", None, "比亚迪", "股份有限公司"),
    ],
)
def test_company_names_split_into_region_core_and_legal_form(name, region, core, form):
    p = parse_company(name)
    assert (p.region_code, p.core, p.legal_form) == (region, core, form)


def test_a_stock_code_in_brackets_is_read_and_removed():
    p = parse_company("卫星化学(002648)")
    assert p.stock_code == "002648" and p.core == "卫星" and p.industry == ("化学",)


def test_place_names_that_are_brands_are_kept_whole():
    assert parse_company("金山软件").core == "金山"
    assert parse_company("金山软件").region is None  # county short forms never strip
    p = parse_company("宁德时代")
    assert p.region is None and p.core == "宁德时代"
    assert p.alt is not None and p.alt[1] == "时代"  # the resolver may still try the split


def test_generic_names_need_more_than_their_spelling():
    assert is_generic_name("机器人") and is_generic_name("连云港") and is_generic_name("光明")
    assert not is_generic_name("迈瑞医疗") and not is_generic_name("海康威视")
    assert is_generic_org("实验室") and is_generic_org("医学科学院")
    assert not is_generic_org("光明科学城")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("广东省科技厅", "广东省科学技术厅"),
        ("深圳市发改委", "深圳市发展和改革委员会"),
        ("合肥市工信局", "合肥市工业和信息化局"),
        ("合肥市政府", "合肥市人民政府"),
    ],
)
def test_government_abbreviations_share_a_key(a, b):
    ga, gb = parse_gov(a), parse_gov(b)
    assert (ga.region_code, ga.body) == (gb.region_code, gb.body)


def test_government_levels_without_a_name_are_hints():
    g = parse_gov("市发改委")
    assert g.region is None and g.level_hint == "city" and g.body == "发展和改革委员会"
    assert canonical_gov_body("科学技术厅") == "科学技术厅"  # already full: unchanged


def test_region_compatibility_is_containment():
    assert regions_compatible("440300", "440000")
    assert regions_compatible("440311", "440300")
    assert not regions_compatible("320500", "340100")
    assert regions_compatible(None, "340100")


def test_person_keys_drop_honorifics_and_script():
    assert person_key("張偉 先生") == person_key("张伟")
    assert person_key("王贻芳院士") == "王贻芳"
