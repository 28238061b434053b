"""Rules of `extract.core.v11` (docs/fact-extraction-notes.md, unseen set 4).

Sentences written for these tests; names, firms and figures are invented. Each rule that
could over-fire has its near miss.
"""

from __future__ import annotations

from datetime import date

from tests.extract._facts_helpers import of_kind, run


def _positions(text: str) -> set[tuple[str, str, str | None]]:
    return {(f["person"], f["position"], f["org"]) for f in of_kind(run(text), "holds_position")}


def _investors(text: str) -> set[str | None]:
    return {f["investor"] for f in of_kind(run(text), "investment_project")}


def test_given_up_office_with_the_employer_between_verb_and_title():
    text = "湖州澜禾新材料股份有限公司公告，原董事长季远舟因个人原因不再担任公司董事长及董事职务。"
    got = _positions(text)
    assert not any(p == "季远舟" for p, _t, _o in got)


def test_removed_office_at_a_named_bureau_is_not_current():
    text = "绍兴市人民政府发布任免通知：任命钱慕白为绍兴滨海新区管委会主任，免去其绍兴市商务局副局长职务。"
    got = _positions(text)
    assert not any(t == "副局长" for _p, t, _o in got)


def test_office_kept_after_a_resignation_stays():
    # Near miss: 辞去…职务 ends the given-up span; the office after it is held.
    text = "衢州晟川化工股份有限公司公告，梁启明辞去公司总经理职务，辞职后继续担任公司董事长。"
    got = _positions(text)
    assert ("梁启明", "董事长", "衢州晟川化工股份有限公司") in got
    assert not any(t == "总经理" for _p, t, _o in got)


def test_bare_company_after_a_subsidiary_means_the_parent():
    text = (
        "嘉兴禾辰新材料股份有限公司发布公告。"
        "据悉，控股子公司平湖禾辰高分子材料有限公司的总经理由林望舒兼任。"
        "公司同日披露，其投资6亿元建设的高性能薄膜项目已于3月在平湖经济技术开发区投产。"
    )
    assert _investors(text) == {"嘉兴禾辰新材料股份有限公司"}


def test_indicator_of_bare_company_after_a_subsidiary_means_the_parent():
    text = (
        "嘉兴禾辰新材料股份有限公司发布公告。"
        "据悉，控股子公司平湖禾辰高分子材料有限公司的总经理由林望舒兼任。"
        "另悉，该子公司今年新招聘员工。"
        "此外，林望舒还负责海外市场。"
        "公司2025年前三季度实现营业收入21.5亿元。"
    )
    subjects = {f["subject"] for f in of_kind(run(text), "indicator") if f["metric"] == "营业收入"}
    assert subjects == {"嘉兴禾辰新材料股份有限公司"}


def _projects(text: str) -> list[dict]:
    return of_kind(run(text), "investment_project")


def test_elected_chair_after_a_board_change():
    text = "常州澜岳精工有限公司近日完成董事会换届，蒋若川当选董事长。"
    assert ("蒋若川", "董事长", "常州澜岳精工有限公司") in _positions(text)


def test_c_level_title_written_as_chief_x_officer():
    text = "上海禾屿数字医疗有限公司完成A轮融资。公司联合创始人、首席医学官范书宁表示，资金将用于临床研究。"
    got = _positions(text)
    assert ("范书宁", "首席医学官", "上海禾屿数字医疗有限公司") in got
    assert ("范书宁", "联合创始人", "上海禾屿数字医疗有限公司") in got


def test_bare_title_in_a_sentence_that_says_gong_si_takes_the_topic_company():
    text = (
        "台州恒屿精密机械股份有限公司披露年度报告，全年营业收入30.2亿元。"
        "分产品看，减速器销量增长较快。"
        "董事长柯望川在致股东信中表示，公司新工厂已经投产。"
    )
    assert ("柯望川", "董事长", "台州恒屿精密机械股份有限公司") in _positions(text)


def test_appointee_glued_to_the_verb_is_read_whole():
    text = "温州澜汐电气股份有限公司董事会同意聘任谷若岚为公司副总经理。"
    assert ("谷若岚", "副总经理", "温州澜汐电气股份有限公司") in _positions(text)


def test_office_of_a_past_term_is_not_current():
    text = "丽水禾川新材料股份有限公司公告，邵逸凡上一届任期内担任公司总经理，目前兼任公司董事。"
    got = _positions(text)
    assert not any(t == "总经理" for _p, t, _o in got)


def test_region_chain_title_run_gives_the_region():
    text = "会上，常州市新能源产业链链长、副市长葛书衡作了讲话。"
    got = _positions(text)
    assert ("葛书衡", "副市长", "常州市") in got
    assert ("葛书衡", "链长", "常州市") in got


def test_park_chain_chief_takes_the_park_named_before():
    text = (
        "常州天目湖智能装备产业园已集聚企业90家。"
        "常州经济开发区管委会副主任江澄兼任园区智能装备产业链链长。"
    )
    assert ("江澄", "链长", "常州天目湖智能装备产业园") in _positions(text)


def test_restated_projects_without_amount_give_no_fact():
    text = "丽水经济技术开发区管委会副主任方知远表示，以上项目均已签订投资协议。"
    assert _projects(text) == []


def test_project_anaphor_fills_the_amount_of_the_project_just_reported():
    text = (
        "6月3日，嘉兴澜拓机械有限公司增资扩产项目在嘉兴经济技术开发区开工。"
        "该项目由公司追加投资5.2亿元建设，新增两条齿轮生产线。"
    )
    facts = _projects(text)
    assert [(f["project"], f["amount"]) for f in facts] == [("增资扩产项目", 520000000.0)]


def test_settled_item_under_a_signing_header_is_signed():
    text = (
        "湖州市在杭州举办招商推介会，现场签约项目6个。"
        "签约项目中，杭州禾锐电子有限公司将投资8亿元建设传感器基地；"
        "宁波澜川精密有限公司精密轴承项目落户湖州南太湖新区，总投资5亿元；"
    )
    stages = {f["project"]: f["stage"] for f in _projects(text)}
    assert stages.get("精密轴承项目") == "签约"


def test_settled_project_outside_a_signing_list_keeps_luohu():
    # Near miss: no 签约项目中 header, so 落户 stays the reported stage.
    text = "宁波澜川精密有限公司精密轴承项目落户湖州南太湖新区，总投资5亿元。"
    stages = {f["project"]: f["stage"] for f in _projects(text)}
    assert stages.get("精密轴承项目") == "落户"


def test_park_hosting_firms_is_not_a_project():
    text = "苏州太湖智能机器人产业园负责人表示，园区已入驻企业80余家。"
    assert not any(f["project"] == "苏州太湖智能机器人产业园" for f in _projects(text))


def _years(text: str, published: date = date(2026, 2, 1)) -> dict[str, int | None]:
    return {f["metric"]: f["year"] for f in of_kind(run(text, published=published), "indicator")}


def test_breakdown_far_from_the_opening_takes_the_report_year():
    text = (
        "株洲高新区近日发布2025年经济运行情况。全年园区完成工业总产值1200亿元，同比增长6.5%；"
        "实现税收收入52亿元，位居全省前列。"
        "分产业看，轨道交通产业产值约600亿元，同比增长8.1%；"
        "航空产业产值突破210亿元。"
    )
    years = {
        (f["subject"], f["metric"]): f["year"]
        for f in of_kind(run(text, published=date(2026, 1, 20)), "indicator")
    }
    assert years.get(("航空产业", "产值")) == 2025


def test_head_count_at_the_end_of_the_report_period():
    text = (
        "台州恒屿精密机械股份有限公司披露2025年年度报告。报告期内，公司实现营业收入30.2亿元。"
        "分产品看，减速器销量增长较快。海外客户持续增加。截至报告期末，公司共有研发人员860人。"
    )
    assert _years(text).get("研发人员") == 2025


def test_head_count_now_without_a_report_keeps_no_year():
    # Near miss: 目前 with no report named anywhere gives no year.
    text = "台州恒屿精密机械股份有限公司成立于2010年。目前公司共有研发人员860人。"
    assert _years(text).get("研发人员") is None
