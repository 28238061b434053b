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
