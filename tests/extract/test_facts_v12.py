"""Rules of `extract.core.v12` (docs/fact-extraction-notes.md, unseen set 5).

Sentences written for these tests; names, firms and figures are invented. Each rule that
could over-fire has its near miss.
"""

from __future__ import annotations

from tests.extract._facts_helpers import of_kind, run


def _positions(text: str) -> set[tuple[str, str, str | None]]:
    return {(f["person"], f["position"], f["org"]) for f in of_kind(run(text), "holds_position")}


def _projects(text: str) -> list[dict]:
    return of_kind(run(text), "investment_project")


def test_a_site_named_like_a_company_is_not_what_company_means():
    text = (
        "重庆澜驰汽车股份有限公司的澜驰新能源汽车二期工厂日前投产。"
        "公司总裁方启航表示，全年销量目标为20万辆。"
    )
    assert ("方启航", "总裁", "重庆澜驰汽车股份有限公司") in _positions(text)


def test_an_investor_of_the_round_is_not_the_employer():
    text = (
        "北京衡晶半导体材料有限公司完成3亿元B轮融资，北京某产业基金领投，西城科创基金、东湖资本跟投。"
        "公司主攻碳化硅衬底，首席执行官严立川称良率持续提升。"
    )
    got = _positions(text)
    assert ("严立川", "首席执行官", "北京衡晶半导体材料有限公司") in got
    assert not any(o and "基金" in o for _p, _t, o in got)


def test_the_appointing_verb_is_not_an_organisation():
    text = (
        "山东岳川重工股份有限公司董事会同时聘任王立为公司总经理，聘任赵敏为副总经理，"
        "聘任副总经理孟庆元兼任财务总监。"
    )
    got = _positions(text)
    assert not any(o == "聘任" for _p, _t, o in got)


def test_a_zone_body_title_belongs_to_the_zone():
    text = "荆门高新区党工委书记、管委会主任卢振国表示，园区今年产值增长一成。"
    got = _positions(text)
    assert any(p == "卢振国" and t == "管委会主任" and o and "荆门" in o for p, t, o in got)
    assert not any(o == "管委会" for _p, _t, o in got)


def test_a_system_of_offices_is_no_office():
    text = "市工业和信息化局局长苗永春兼任市产业链工作专班办公室主任，负责统筹链长制日常工作。"
    got = _positions(text)
    assert not any(t == "链长" for _p, t, _o in got)
    # Near miss: the title itself is still read.
    assert any(p == "苗永春" and t == "局长" for p, t, _o in got)


def test_a_group_of_projects_is_not_a_project():
    text = "开发区管委会介绍，目前还有一批新材料项目处于洽谈阶段。"
    assert _projects(text) == []
    text = "本批项目中，江城动力科技有限公司投资20亿元的电驱动项目规模最大。"
    assert not any(f["project"] == "本批项目" for f in _projects(text))


def test_a_dated_clause_after_a_plan_continues_the_plan():
    text = (
        "漳州古雷港经济开发区与福建澜海新材料科技有限公司签订投资协议，澜海新材料将投资40亿元"
        "建设高端聚烯烃项目，项目计划明年一季度开工，2028年建成投产。"
    )
    stages = {f["stage"] for f in _projects(text)}
    assert stages == {"签约"}


def test_a_dated_clause_without_a_plan_reports_its_stage():
    # Near miss: nothing planned before the dated clause.
    text = "江苏澜禾储能科技有限公司投资12亿元的储能电池项目一期顺利推进，2025年6月建成投产。"
    stages = {f["stage"] for f in _projects(text)}
    assert "投产" in stages
