"""Field parsers and the row validator: credit codes, dates, money, areas, phones, regions,
keys and duplicates."""

from __future__ import annotations

import pytest

from chainatlas.imports.columns import map_columns, parse_overrides
from chainatlas.imports.validate import (
    RegionResolver,
    Validator,
    check_credit_code,
    credit_check_char,
    listing_type,
    mask_name,
    mask_phone,
    normalise_phone,
    parse_area,
    parse_date,
    parse_money,
)

GOOD = "91440300MA5F0ABCD" + credit_check_char("91440300MA5F0ABCD")


def test_credit_code_check_digit():
    assert check_credit_code(GOOD) is None
    wrong = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")
    assert "校验位" in check_credit_code(wrong)
    assert "18 位" in check_credit_code(GOOD[:-1])
    assert "非法字符" in check_credit_code(GOOD[:-1] + "I")


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2019-05-01", "2019-05-01"), ("2019/5/1", "2019-05-01"), ("2019年5月1日", "2019-05-01"),
     ("20190501", "2019-05-01"), ("2019-05", "2019-05-01"), ("2019-05-01 00:00:00", "2019-05-01")],
)  # fmt: skip
def test_dates(text, iso):
    assert parse_date(text).isoformat() == iso


def test_bad_dates():
    assert parse_date("2019-13-01") is None
    assert parse_date("去年") is None


def test_money_and_units():
    assert parse_money("5000万元") == (5e7, "CNY")
    assert parse_money("1.2亿元") == (1.2e8, "CNY")
    assert parse_money("500万美元") == (5e6, "USD")
    assert parse_money("5000万人民币") == (5e7, "CNY")
    assert parse_money("5000", "万元") == (5e7, "CNY")
    assert parse_money("不详") is None


def test_areas():
    assert parse_area("120亩") == (120, "亩", pytest.approx(80000))
    assert parse_area("1.2万平方米") == (12000, "平方米", 12000)
    assert parse_area("5,000㎡") == (5000, "平方米", 5000)
    assert parse_area("50", "亩")[1] == "亩"
    assert parse_area("很大") is None


def test_phones_and_masks():
    assert normalise_phone("138 1234 5678") == ("13812345678", "mobile")
    assert normalise_phone("+86 13812345678") == ("13812345678", "mobile")
    assert normalise_phone("0755-26881234") == ("0755-26881234", "landline")
    assert normalise_phone("02161234567") == ("021-61234567", "landline")
    assert normalise_phone("0512-6688123转808") == ("0512-6688123转808", "landline")
    assert normalise_phone("400-820-1234") == ("400-820-1234", "service")
    assert normalise_phone("12345678901") is None
    assert normalise_phone("021-6123456") is None  # 021 numbers have 8 digits
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0755-26881234") == "0755-****1234"
    assert mask_name("王建国") == "王**"


def test_listing_types():
    assert listing_type("标准厂房") == "factory"
    assert listing_type("工业用地") == "land"
    assert listing_type("写字楼") == "office"
    assert listing_type("别墅") is None


def test_regions():
    r = RegionResolver()
    assert r("深圳") == "440300"
    assert r("广东省深圳市南山区") == "440305"
    assert r("440305") == "440305"
    assert r("火星") is None


def _validator(kind, headers, overrides=None):
    return Validator(map_columns(kind, headers, parse_overrides(overrides)))


def test_row_problems_and_keys():
    v = _validator(
        "enterprises", ["企业名称", "统一社会信用代码", "地区", "注册资本(万元)", "成立日期"]
    )
    rec, problems = v.row(2, ["深圳甲乙科技有限公司", GOOD, "深圳", "5000", "2019-05-01"])
    assert rec.key == f"uscc:{GOOD}" and rec.region_code == "440300" and not problems
    assert rec.values["registered_capital"]["amount"] == 5e7
    rec, problems = v.row(3, ["苏州丙丁有限公司", "", "", "abc", "明年"])
    # No region column value, but the name carries one; bad values are warnings only.
    assert rec.key == "name:苏州丙丁有限公司@320500"
    assert {(p.column, p.severity) for p in problems} == {("注册资本(万元)", "warning"),
                                                          ("成立日期", "warning")}  # fmt: skip
    rec, problems = v.row(4, ["深圳甲乙科技有限公司", GOOD, "深圳", "", ""])
    assert rec is None and problems[0].message == "与第 2 行重复"
    rec, problems = v.row(5, ["", "", "深圳", "", ""])
    assert rec is None and problems[0].column == "企业名称"
    rec, problems = v.row(6, ["某公司", "", "火星", "", ""])
    assert rec is None and "无法识别的地区" in problems[0].message


def test_english_headers_and_map_override():
    cols = map_columns("enterprises", ["Company Name", "Credit Code", "Region", "Founded"])
    assert {s.name for s in cols.fields.values()} == {"name", "credit_code", "region", "founded"}
    cols = map_columns("enterprises", ["单位全称", "所在城市"], parse_overrides(["单位全称=name",
                                                                        "所在城市=region"]))  # fmt: skip
    assert not cols.missing_required and len(cols.fields) == 2
    assert map_columns("enterprises", ["备注"]).missing_required[0].name == "name"
    with pytest.raises(ValueError):
        map_columns("enterprises", ["x"], parse_overrides(["x=nonsense"]))
    with pytest.raises(ValueError):
        parse_overrides(["没有等号"])
