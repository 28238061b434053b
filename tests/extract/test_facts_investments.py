import pytest

from tests.extract._facts_helpers import of_kind, run


def test_signed_project_with_amount_and_place():
    text = "其中，嘉禾医药投资约25亿元的抗体药物生产基地项目签约落户中新广州知识城。嘉禾医药总部位于广州。"
    (f,) = of_kind(run(text), "investment_project")
    assert f["project"] == "抗体药物生产基地项目"
    assert f["stage"] == "签约"
    assert f["amount"] == 2.5e9
    assert f["place"] == "中新广州知识城"


def test_planned_stage_is_not_an_investment_fact():
    text = "项目一期将于2026年底建成投产。"
    assert of_kind(run(text), "investment_project") == []


def test_rumour_gives_nothing():
    text = "网络上流传一则消息，称安徽远能电池科技有限公司将投资100亿元建设储能电池基地，该消息未获证实。"
    assert of_kind(run(text), "investment_project") == []


def test_company_followed_by_project_in_a_list():
    text = "一、南通远帆船舶配套有限公司船用曲轴项目，总投资68000万元，签约地为南通经济技术开发区。"
    (f,) = of_kind(run(text), "investment_project")
    assert f["investor"] == "南通远帆船舶配套有限公司"
    assert f["project"] == "船用曲轴项目"
    assert f["amount"] == 6.8e8
    assert f["stage"] == "签约"


def test_aggregate_with_count_after_project_word():
    text = "9月25日，江州新区举行项目集中签约活动，现场签约项目12个，总投资约186亿元。"
    facts = of_kind(run(text), "investment_project")
    assert any(f["project"] is None and f["amount"] == 1.86e10 for f in facts)


def test_negotiation_stage_phrase():
    text = "另有一个投资约10亿元的钠电正极材料项目已完成多轮对接，目前仍处于洽谈阶段。"
    (f,) = of_kind(run(text), "investment_project")
    assert f["stage"] == "在谈" and f["amount"] == 1e9


def test_this_project_in_the_next_sentence():
    text = "8月28日，合肥芯岳微电子有限公司12英寸晶圆制造项目主厂房封顶。该项目总投资165亿元，去年11月开工建设。"
    (f,) = of_kind(run(text), "investment_project")
    assert f["project"] == "12英寸晶圆制造项目" and f["stage"] == "开工"
    assert f["investor"] == "合肥芯岳微电子有限公司" and f["amount"] == 1.65e10


def test_agreement_sentence_then_plan_is_a_signing():
    text = (
        "2月17日，上杭县与福建岚峰铜业有限公司签订投资协议。根据协议，岚峰铜业将追加投资18亿元，"
        "建设高端铜箔二期项目。"
    )
    (f,) = of_kind(run(text), "investment_project")
    assert f["stage"] == "签约" and f["project"] == "高端铜箔二期项目"
    assert f["investor"] == "福建岚峰铜业有限公司"


def test_park_before_invest_verb_is_not_an_investor():
    text = "该公司将在桐城经济技术开发区投资20亿元，建设生物降解材料项目。"
    facts = of_kind(run(text), "investment_project")
    assert all(f["investor"] is None or "开发区" not in f["investor"] for f in facts)


def test_company_name_glued_to_park_project():
    text = "2. 邵州恒达智能家居有限公司智能门锁产业园项目，计划投资52000万元；"
    facts = of_kind(run(text, title="邵州经开区第四季度签约项目一览"), "investment_project")
    assert facts and facts[0]["investor"] == "邵州恒达智能家居有限公司"
    assert facts[0]["project"] == "智能门锁产业园项目"


def test_total_investment_in_the_next_sentence():
    text = (
        "9月9日，盐河风电装备有限公司投资建设的海上风机叶片项目在盐城经济技术开发区正式投产。"
        "项目总投资26亿元，其中设备投资约9亿元。"
    )
    (f,) = of_kind(run(text), "investment_project")
    assert f["stage"] == "投产" and f["amount"] == 2.6e9


def test_this_project_after_a_source_clause_takes_the_earlier_amount():
    text = (
        "宁波甬岳新材料股份有限公司公告称，公司拟在杭州湾新区投资30亿元建设高性能碳纤维项目。"
        "公告显示，该项目已于近日与杭州湾新区管委会签署投资协议。"
    )
    (f,) = of_kind(run(text), "investment_project")
    assert f["stage"] == "签约" and f["amount"] == 3e9
    assert f["investor"] == "宁波甬岳新材料股份有限公司"


def test_aggregate_count_with_gong_and_this_base():
    text = (
        "6月13日，株江高新区重大项目集中签约仪式举行。本次签约项目共9个，总投资68.4亿元。"
        "5月8日，安徽皖岳存储科技有限公司位于合肥空港经济示范区的存储芯片封测基地迎来首片晶圆下线。"
        "该基地于去年3月开工建设，总投资42亿元。"
    )
    facts = of_kind(run(text), "investment_project")
    assert any(f["project"] is None and f["amount"] == pytest.approx(6.84e9) for f in facts)
    base = [f for f in facts if f["project"] == "存储芯片封测基地"]
    assert base and base[0]["stage"] == "开工" and base[0]["amount"] == 4.2e9
    milestones = of_kind(run(text), "milestone")
    assert not any(m["event"] == "开工建设" for m in milestones)  # the investment owns it
