"""The shipped admin-division table and its lookups."""

from __future__ import annotations

import pytest

from chainatlas.kb.regions import RegionGazetteer


@pytest.fixture(scope="module")
def gaz() -> RegionGazetteer:
    return RegionGazetteer.load()


def test_load_is_cached_and_complete(gaz):
    assert RegionGazetteer.load() is gaz
    levels = {}
    for region in gaz:
        levels[region.level] = levels.get(region.level, 0) + 1
    assert levels["province"] == 34
    assert levels["city"] > 300
    assert levels["county"] > 2800


def test_by_code_gives_full_name_and_parents(gaz):
    shenzhen = gaz.by_code("440300")
    assert shenzhen.name == "深圳市"
    assert shenzhen.full_name == "广东省深圳市"
    assert shenzhen.level == "city"
    assert shenzhen.parent == "440000"
    assert shenzhen.lat == pytest.approx(22.54, abs=0.1)
    assert gaz.by_code("440300000000") == shenzhen  # 12-digit statistical form
    with pytest.raises(KeyError):
        gaz.by_code("999999")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("深圳", "440300"),
        ("深圳市", "440300"),
        ("广东", "440000"),
        ("广东省", "440000"),
        ("内蒙古", "150000"),
        ("广西", "450000"),
        ("新疆", "650000"),
        ("黄埔", "440112"),
        ("黄埔区", "440112"),
        ("南沙", "440115"),
        ("南沙区", "440115"),
        ("延边", "222400"),  # ethnic part of 延边朝鲜族自治州 dropped
        ("广东省广州市黄埔区", "440112"),
    ],
)
def test_lookup_official_and_short_names(gaz, name, code):
    assert [r.code for r in gaz.lookup(name)] == [code]


def test_lookup_shared_names_broadest_first(gaz):
    assert [r.code for r in gaz.lookup("朝阳区")] == ["110105", "220104"]
    assert [r.level for r in gaz.lookup("吉林")] == ["province", "city"]
    assert gaz.lookup("不存在") == []


def test_rollup_and_ancestors(gaz):
    assert [r.code for r in gaz.rollup("440112")] == ["440112", "440100", "440000"]
    assert [r.code for r in gaz.ancestors("440112")] == ["440100", "440000"]
    assert gaz.ancestors("440000") == []


def test_municipal_districts_and_province_managed_counties_hang_off_the_province(gaz):
    pudong = gaz.by_code("310115")
    assert pudong.full_name == "上海市浦东新区"
    assert pudong.parent == "310000"
    xiantao = gaz.by_code("429004")  # 仙桃市, managed by the province directly
    assert xiantao.parent == "420000"
    assert gaz.by_code("441900").full_name == "广东省东莞市"


def test_supplemented_district_present(gaz):
    guangming = gaz.by_code("440311")
    assert guangming.full_name == "广东省深圳市光明区"
    assert guangming.lat is None  # not guessed


def test_every_parent_exists_and_is_broader(gaz):
    for region in gaz:
        if region.parent is not None:
            parent = gaz.by_code(region.parent)
            assert parent.rank < region.rank
            assert region.code.startswith(parent.code[:2])
        assert gaz.by_code(region.province).level == "province"
