"""Site need → listings: hard filters, scoring, nearest misses, contact masking."""

from __future__ import annotations

import pytest

from chainatlas.jobs.match import load_listings, load_park_profiles
from chainatlas.match.site import Listing, SiteRequirement, match_site, validate_requirement


@pytest.fixture(scope="module")
def catalog():
    from chainatlas.chains.templates import load_chains

    return load_chains()


MU = 10000 / 15
LISTINGS = [
    Listing("F1", "factory", "苏州一号厂房", 3600, "平方米", 3600, 22, "元/m2·月", "苏州工业园区",
            "320500", contact_name="张伟", contact_phone="13900001111"),
    Listing("F2", "factory", "苏州二号厂房", 4000, "平方米", 4000, 40, "元/m2·月", "苏州工业园区",
            "320500"),
    Listing("F3", "factory", "广州厂房", 3600, "平方米", 3600, 18, "元/m2·月", "广州开发区",
            "440100"),
    Listing("O1", "office", "光明写字楼", 2000, "平方米", 2000, 60, "元/m2·月", "光明科学城",
            "440311"),
    Listing("L1", "land", "淄博地块", 50, "亩", 50 * MU, 300000, "元/亩", "淄博齐盛新材料产业园",
            "370300", notes="限新材料、装备制造项目"),
]  # fmt: skip


def test_hard_filters_and_price_ranking(catalog):
    req = SiteRequirement("factory", "精密机械", 3700, "苏州", budget=30)
    result = match_site(req, LISTINGS, catalog=catalog)
    assert [m.listing.id for m in result.matches] == ["F1", "F2"]  # F3 elsewhere
    assert result.matches[0].parts["price"] == 1.0
    assert any("超预算" in r for r in result.matches[1].reasons)
    assert not result.misses


def test_area_tolerance_is_twenty_percent(catalog):
    req = SiteRequirement("factory", "", 3000, "苏州")  # 3600 is +20 %: in; 4000 is out
    ids = [m.listing.id for m in match_site(req, LISTINGS, catalog=catalog).matches]
    assert ids == ["F1"]


def test_region_rolls_up_from_district_to_city_and_province(catalog):
    for region in ("深圳", "广东", "深圳市光明区"):
        result = match_site(SiteRequirement("office", "", 2000, region), LISTINGS, catalog=catalog)
        assert [m.listing.id for m in result.matches] == ["O1"], region


def test_nothing_fits_reports_nearest_misses_with_reasons(catalog):
    req = SiteRequirement("factory", "医疗器械", 3600, "杭州", budget=30)
    result = match_site(req, LISTINGS, catalog=catalog, top=5)
    assert result.matches == []
    assert "没有符合条件" in result.message
    assert len(result.misses) == 5
    first = result.misses[0]
    assert first.listing.listing_type == "factory"  # same type, wrong place: nearest
    assert first.failed == [first.failed[0]] and first.failed[0].startswith("地区不符")
    assert "浙江省杭州市" in first.failed[0]
    assert [m.listing.listing_type for m in result.misses[3:]] == ["office", "land"]
    assert result.misses[-1].failed[0] == "类型不符：需要厂房，此为土地"
    out = result.to_dict()
    assert out["matches"] == [] and out["nearest_misses"][0]["failed"]


def test_land_budget_in_wan_per_mu_and_policy_restriction(catalog):
    ok = match_site(SiteRequirement("land", "新材料", 50 * MU, "淄博", budget=35), LISTINGS,
                    catalog=catalog)  # fmt: skip
    m = ok.matches[0]
    assert m.parts["price"] == 1.0 and m.parts["policy"] == 1.0
    assert any("30万元/亩" in r or "价格 30" in r for r in m.reasons)
    off = match_site(SiteRequirement("land", "生物医药", 50 * MU, "淄博", budget=20), LISTINGS,
                     catalog=catalog)  # fmt: skip
    assert off.matches[0].parts["policy"] == 0.0
    assert off.matches[0].score < m.score


def test_contacts_are_validated_and_masked(catalog):
    req = SiteRequirement("factory", "", 3600, "苏州", contact="李小明", phone="138 1234 5678",
                          email="li@example.com")  # fmt: skip
    result = match_site(req, LISTINGS, catalog=catalog)
    assert result.requirement["phone"] == "138****5678"
    assert result.requirement["email"] == "l***@example.com"
    assert result.requirement["contact"] == "李**"
    assert result.problems == []
    listing = result.to_dict()["matches"][0]
    assert listing["contact_phone"] == "139****1111" and listing["contact_name"] == "张*"
    _, problems = validate_requirement(SiteRequirement("shop", phone="12345", email="x@"))
    assert len(problems) == 3


def test_demo_listings_and_park_profiles(demo_store, catalog):
    listings = load_listings(demo_store)
    assert len(listings) == 32 and listings[0].id == "DEMO-L001"
    profiles = load_park_profiles(demo_store, {x.park for x in listings if x.park})
    req = SiteRequirement("office", "生物医药", 800, "成都", budget=95)
    result = match_site(req, listings, park_profiles=profiles, catalog=catalog)
    assert [m.listing.id for m in result.matches] == ["DEMO-L024"]
    assert "成都天府国际生物城" in profiles
