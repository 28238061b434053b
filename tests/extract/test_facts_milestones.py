"""Milestones: events with dates, subjects found when the event sits in a later clause.

Sentences written for these tests.
"""

from datetime import date

from tests.extract._facts_helpers import of_kind, run


def events(text: str, published: date = date(2024, 6, 1)) -> dict[str, dict]:
    out = {}
    for f in of_kind(run(text, published=published), "milestone"):
        out[f["event"]] = f
    return out


def test_opening_date_dates_an_event_after_a_relative_clause():
    text = "9月12日，由滇西天文研究所承建的洱海射电望远镜阵列通过国家验收。"
    f = events(text)["通过国家验收"]
    assert f["subject"] == "洱海射电望远镜阵列"
    assert f["date"].text == "9月12日" and f["expected"] is False


def test_later_clause_inherits_the_subject_and_future_date_is_expected():
    text = "阵列于2019年开工建设，2026年6月全面建成。"
    got = events(text)
    assert got["全面建成"]["subject"] == got["开工建设"]["subject"] == "阵列"
    assert got["全面建成"]["expected"] is True  # after the publish date
    assert got["开工建设"]["expected"] is False


def test_head_noun_after_de_and_locative_cut():
    text = "6月18日，株洲中轨装备有限公司自主研制的首台氢能调车机车在田心园区下线。"
    f = events(text, date(2024, 6, 20))["下线"]
    assert f["subject"] == "首台氢能调车机车"


def test_anaphor_takes_the_earlier_subject():
    text = "5月8日，首台氢能调车机车在田心园区下线。该机车将于今年9月完成型式试验。"
    f = events(text, date(2024, 5, 10))["完成型式试验"]
    assert f["subject"] == "首台氢能调车机车" and f["expected"] is True


def test_product_approval_with_long_gap_and_attribute_cut():
    text = "公司首款产品QH-201的上市申请已于今年2月获国家药监局受理，预计2025年下半年获批上市。"
    got = events(text)
    assert "QH-201" in got["获国家药监局受理"]["subject"]
    assert got["获批上市"]["subject"] == got["获国家药监局受理"]["subject"]
    assert got["获批上市"]["expected"] is True


def test_previous_clause_names_the_building():
    text = "据悉，公司二期厂房目前正在建设，预计今年10月竣工。"
    f = events(text)["竣工"]
    assert f["subject"] == "二期厂房" and f["expected"] is True


def test_planned_signing_resolves_this_project():
    text = (
        "一个总投资约40亿元的锂电池回收项目仍在洽谈中。负责人表示，力争该项目在今年三季度完成签约。"
    )
    f = events(text)["完成签约"]
    assert f["subject"] == "锂电池回收项目"


def test_reported_project_stage_is_left_to_investments():
    text = "盛川电子有限公司投资12亿元的封装测试项目已于今年3月开工。"
    assert "开工" not in events(text)
    assert of_kind(run(text), "investment_project")


def test_conditions_and_ceremonies_are_not_events():
    text = "4月16日，滨海新区第二批重点项目集中开工仪式举行。项目建成后可年产电池10GWh。"
    assert events(text) == {}


def test_approval_to_market_and_inspection_and_full_output():
    text = (
        "10月21日，江苏澄川生物医药有限公司宣布，其自主研发的1类创新药澄安替尼片获得国家药品监督管理局"
        "批准上市。公司的制剂生产基地已于今年7月通过GMP符合性检查，基地一期将于今年12月实现满产。"
    )
    got = events(text, date(2024, 10, 22))
    approval = next(f for e, f in got.items() if e.endswith("批准上市"))
    assert "澄安替尼片" in approval["subject"] and approval["expected"] is False
    assert got["通过GMP符合性检查"]["subject"] == "制剂生产基地"
    assert got["实现满产"]["subject"] == "基地一期" and got["实现满产"]["expected"] is True


def test_dated_event_followed_by_hou_is_still_an_event():
    text = "江门中微子实验室将接过接力棒，预计2024年建成运行后，这一装置将成为研究中心。"
    f = events(text, date(2022, 11, 30))["建成运行"]
    assert f["subject"] == "江门中微子实验室" and f["expected"] is True
