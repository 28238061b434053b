"""Rules added after the batch-11 error analysis (docs/fact-extraction-notes.md, v8).

One test per rule, with the near miss that must stay unread where the rule could be too
broad. Sentences written for these tests; names and figures are invented.
"""

from __future__ import annotations

from datetime import date

from chainatlas.extract.core import extract_document, load_resources
from chainatlas.extract.facts import position_repair
from chainatlas.extract.lexicon import METRICS, SURNAMES
from chainatlas.extract.records import EntityType
from tests.extract._facts_helpers import of_kind, run

_2026 = date(2026, 3, 1)  # so that 2025 is a reported year, not a target


def _mentions(text: str) -> list[tuple[str, EntityType]]:
    ms, _facts = extract_document(text, published=date(2024, 6, 1), resources=load_resources())
    return [(m.text, m.type) for m in ms]


# --- entity layer: short names, glued verbs -------------------------------------------


def test_short_name_of_a_registered_company_is_a_company_mention():
    text = "浙江澜岳智能装备有限公司今日发布年报。澜岳智能装备总经理卞明远表示，订单已排到明年。"
    assert ("澜岳智能装备", EntityType.COMPANY) in _mentions(text)
    (f,) = of_kind(run(text), "holds_position")
    assert (f["person"], f["position"], f["org"]) == (
        "卞明远",
        "总经理",
        "浙江澜岳智能装备有限公司",
    )


def test_short_name_may_keep_its_technology_word():
    text = "深圳市澄光科技有限公司完成B轮融资。澄光科技创始人池远航表示，资金将用于新产线建设。"
    (f,) = of_kind(run(text), "holds_position")
    assert (f["person"], f["org"]) == ("池远航", "深圳市澄光科技有限公司")


def test_generic_head_gives_no_short_name():
    text = "江苏智能装备制造有限公司发布公告。智能装备制造业加快发展。"
    assert ("智能装备制造", EntityType.COMPANY) not in _mentions(text)


def test_verb_before_bare_group_word_is_not_a_company_name():
    text = "华峪控股集团有限公司发布公告，董事会决定聘任蔡明川为集团副总裁。"
    names = [t for t, ty in _mentions(text) if ty is EntityType.COMPANY]
    assert not any("聘任" in n or n.endswith("为集团") for n in names)
    (f,) = of_kind(run(text), "holds_position")
    assert (f["person"], f["position"], f["org"]) == ("蔡明川", "副总裁", "华峪控股集团有限公司")


def test_missing_surnames_live_in_the_shared_lexicon():
    assert {"卞", "冶", "傅", "隋", "闻"} <= SURNAMES
    assert not hasattr(position_repair, "EXTRA_SURNAMES")


# --- investment_project: one project across sentences ----------------------------------


def test_this_project_in_the_next_sentence_shares_name_and_amount():
    text = (
        "8月3日，甘肃祁岳新材料有限公司在金昌经济技术开发区建设的年产2万吨电池级碳酸锂项目建成投产。"
        "这一项目总投资12亿元，于2024年5月开工建设。"
    )
    facts = of_kind(run(text), "investment_project")
    got = sorted((f["project"], f["stage"], f["amount"]) for f in facts)
    assert got == [("电池级碳酸锂项目", "开工", 1.2e9), ("电池级碳酸锂项目", "投产", 1.2e9)]
    assert all(f["investor"] == "甘肃祁岳新材料有限公司" for f in facts)


def test_company_sentence_gives_the_amount_of_the_project_just_named():
    text = (
        "同日开工的还有江苏澄川精工有限公司扩产项目。"
        "这家企业追加投资3亿元，新建精密轴承产线，投用后年产值可达6亿元。"
    )
    (f,) = of_kind(run(text), "investment_project")
    assert (f["project"], f["stage"], f["amount"]) == ("扩产项目", "开工", 3e8)


def test_group_header_sets_the_stage_of_the_items_after_it():
    text = (
        "6月2日，宿迁经济技术开发区举行重大项目集中开工仪式，共有6个项目开工，总投资48亿元；"
        "同时还有2个项目完成签约，总投资9亿元。"
        "开工项目中，江苏宿达新材料有限公司改性塑料项目总投资11亿元；"
        "宿迁澄海食品有限公司速冻食品项目总投资4亿元，达产后可年产速冻食品8万吨。"
    )
    facts = of_kind(run(text), "investment_project")
    named = {(f["project"], f["stage"], f["amount"]) for f in facts if f["project"]}
    assert named == {("改性塑料项目", "开工", 1.1e9), ("速冻食品项目", "开工", 4e8)}


def test_ranking_header_reports_no_stage_but_gives_the_amount():
    text = (
        "已落地的项目中，安徽澄璟玻璃有限公司的光伏玻璃深加工项目投资额最大，达到9亿元。"
        "此项目于4月上旬完成签约，计划今年8月开工。"
    )
    (f,) = of_kind(run(text), "investment_project")
    assert (f["project"], f["stage"], f["amount"]) == ("光伏玻璃深加工项目", "签约", 9e8)


def test_each_batch_takes_the_stage_of_its_own_stretch():
    text = (
        "今年上半年，滁州经济技术开发区新引进制造业项目8个，协议总投资52亿元，"
        "另有3个项目处于洽谈阶段，意向投资额合计约18亿元。"
    )
    facts = of_kind(run(text), "investment_project")
    assert sorted((f["stage"], f["amount"]) for f in facts) == [("在谈", 1.8e9), ("签约", 5.2e9)]


def test_unnamed_company_with_a_headquarters_is_no_project():
    text = "在谈项目中，一家总部位于杭州的电池企业拟投资约8亿元建设储能电池PACK项目。"
    facts = of_kind(run(text), "investment_project")
    assert [(f["project"], f["stage"]) for f in facts] == [("储能电池PACK项目", "在谈")]


def test_centre_invested_in_is_a_project_but_a_service_centre_is_not():
    text = (
        "5月20日，成都高新技术产业开发区举行项目集中签约活动，2个项目现场签约。"
        "其中，四川蓉衡检测技术有限公司投资6亿元的检测认证中心同时签约；"
        "由成都澄禾生物科技有限公司投资的细胞治疗中试平台，投资额为28000万元。"
    )
    facts = of_kind(run(text), "investment_project")
    got = {(f["project"], f["stage"], f["amount"]) for f in facts if f["project"]}
    assert got == {("检测认证中心", "签约", 6e8), ("细胞治疗中试平台", "签约", 2.8e8)}
    near = "园区政务服务中心主任刘一鸣介绍，服务中心全年办理事项1.2万件。"
    assert of_kind(run(near), "investment_project") == []


def test_dated_earlier_stage_before_the_project_is_reported_too():
    text = "去年签约的浙江禾川电源有限公司电池结构件项目已于今年2月竣工，总投资8亿元。"
    facts = of_kind(run(text), "investment_project")
    assert sorted((f["stage"], f["amount"]) for f in facts) == [("竣工", 8e8), ("签约", 8e8)]


def test_signing_without_a_project_signs_the_plan_before_it():
    plan = "浙江曜川电子股份有限公司发布公告，公司拟投资55000万元，在嘉兴经济技术开发区实施功率模块扩产项目。"
    signed = plan + "公司已于当日与开发区管委会签订投资协议。"
    (f,) = of_kind(run(signed), "investment_project")
    assert (f["investor"], f["project"], f["stage"], f["amount"]) == (
        "浙江曜川电子股份有限公司",
        "功率模块扩产项目",
        "签约",
        5.5e8,
    )
    assert of_kind(run(plan), "investment_project") == []


# --- holds_position --------------------------------------------------------------------


def test_office_held_before_or_at_an_unnamed_employer_is_not_reported():
    text = (
        "苏州澈川细胞科技有限公司完成天使轮融资。"
        "澈川细胞创始人贺明远此前曾在一家跨国药企担任研发负责人。"
    )
    facts = of_kind(run(text), "holds_position")
    assert [(f["person"], f["position"]) for f in facts] == [("贺明远", "创始人")]


def test_company_named_in_the_sentence_beats_the_one_inherited():
    text = (
        "陕西穹岳光子科技有限公司的董事长一职由郝明远担任。"
        "陕西天璇航天科技有限公司方面出席签约的是首席执行官金一鸣。"
    )
    facts = of_kind(run(text), "holds_position")
    got = {(f["person"], f["org"]) for f in facts}
    assert ("金一鸣", "陕西天璇航天科技有限公司") in got
    assert ("金一鸣", "陕西穹岳光子科技有限公司") not in got


# --- indicators ------------------------------------------------------------------------


def test_decline_is_a_negative_growth_rate():
    text = "2025年，公司实现营业收入18.6亿元，同比下降12.5%。"
    facts = of_kind(run(text), "indicator")
    growth = [f for f in facts if f["metric"] == "营业收入增速"]
    assert [f["value"] for f in growth] == [-12.5]


def test_hong_kong_year_on_year_wording_and_increase_with_qualifier():
    hk = "啟明生物2025年營業收入為9600萬元，按年增長41%。"
    assert any(
        f["metric"] == "营业收入增速" and f["value"] == 41 for f in of_kind(run(hk), "indicator")
    )
    rd = "苏州瑞川生物医药有限公司完成B轮融资。公司2025年研发投入为3.6亿元，较2024年增加约40%。"
    facts = of_kind(run(rd, published=_2026), "indicator")
    (g,) = [f for f in facts if f["metric"] == "研发投入增速"]
    assert (g["value"], g["qualifier"]) == (40, "约")


def test_respectively_after_the_metric_spreads_over_the_nouns_before_it():
    text = "2025年，动力电池、晶硅光伏和数字经济三个产业的营业收入分别为812亿元、264亿元和97亿元。"
    facts = of_kind(run(text), "indicator")
    got = [(f["subject"], f["value"]) for f in facts if f["metric"] == "营业收入"]
    assert got == [("动力电池", 8.12e10), ("晶硅光伏", 2.64e10), ("数字经济", 9.7e9)]
    sales = "分产品看，公司挖掘机和装载机全年销量分别为2.35万台和1.12万台。"
    subjects = [f["subject"] for f in of_kind(run(sales), "indicator")]
    assert subjects[-1] == "装载机"


def test_base_of_a_comparison_is_not_the_reporting_year():
    text = (
        "上半年全市汽车产量为68.4万辆。"
        "机器人产业方面，全市工业机器人产量达到1.35万套，较去年同期增长18%；"
        "机器人产业营业收入约为142亿元。"
    )
    facts = of_kind(run(text, published=date(2026, 7, 20)), "indicator")
    (rev,) = [f for f in facts if f["metric"] == "营业收入"]
    assert rev["year"] == 2026


def test_share_of_revenue_without_the_amount():
    text = "2025年，公司海外市场收入占营业收入的比重提升至38.6%。"
    facts = of_kind(run(text), "indicator")
    assert [(f["metric"], f["value"]) for f in facts] == [("出口占比", 38.6)]


def test_new_metric_words_are_in_the_shared_lexicon():
    assert METRICS["出口量占比"] == ("出口占比", "pct")
    assert METRICS["研究人员"] == ("研发人员", "qty")
    assert METRICS["研发投入强度"] == ("研发投入占比", "pct")  # moved from indicators.py
    text = (
        "宁夏朔岳新材料有限公司发布年报。据了解，公司2025年石英砂销量为1.2万吨，出口量占比约15%。"
    )
    facts = of_kind(run(text, published=_2026), "indicator")
    assert ("出口占比", 15) in [(f["metric"], f["value"]) for f in facts]


# --- financing -------------------------------------------------------------------------


def test_amount_named_as_the_round_size_further_on():
    text = "同日，东莞的凯川材料科技有限公司完成Pre-B轮融资，融资额超过2亿元，由松湖创投领投。"
    (f,) = of_kind(run(text), "financing")
    assert (f["round"], f["amount"]) == ("Pre-B轮", 2e8)
