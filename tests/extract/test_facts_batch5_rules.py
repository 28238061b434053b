"""Rules added after the batch-5/6 error analysis (docs/fact-extraction-notes.md).

Each test pairs a phrasing that must give a fact with the near miss that must not, so a
rule that is too broad or too narrow fails one side. Sentences written for these tests.
"""

from __future__ import annotations

from chainatlas.extract.core import extract_document, load_resources
from chainatlas.extract.records import EntityType
from tests.extract._facts_helpers import of_kind, run

# --- investment_project: precision --------------------------------------------------


def test_incentive_clause_of_a_policy_is_not_a_project():
    text = (
        "办法明确，对新引进且固定资产投资超过3亿元的制造业项目，按设备投资额的8%给予补助，"
        "单个项目最高补助1500万元。"
    )
    assert of_kind(run(text), "investment_project") == []


def test_signing_next_to_a_policy_sentence_still_counts():
    text = (
        "11月2日，临江高新区与浙江禾森新材料有限公司签约，禾森新材料投资6亿元建设改性塑料项目。"
        "高新区对新落户企业给予最高500万元奖励。"
    )
    (f,) = of_kind(run(text), "investment_project")
    assert f["project"] == "改性塑料项目" and f["amount"] == 6e8 and f["stage"] == "签约"


def test_what_a_project_builds_is_not_a_second_project():
    text = (
        "广西桂拓医疗器械有限公司华南生产基地项目日前落户南宁高新区，项目总投资9亿元，"
        "主要建设一次性医用耗材生产线。"
    )
    facts = of_kind(run(text), "investment_project")
    assert [f["project"] for f in facts] == ["华南生产基地项目"]
    assert facts[0]["amount"] == 9e8


def test_new_start_category_in_a_plan_is_not_a_start():
    text = (
        "其中，新开工项目30个，包括湖北荆楚化工有限公司拟建设的电子化学品项目，"
        "计划总投资20亿元，预计明年一季度开工。"
    )
    assert of_kind(run(text), "investment_project") == []


def test_new_start_reported_as_done_is_kept():
    text = "今年一季度，江岸经开区新开工项目12个，总投资48亿元。"
    facts = of_kind(run(text), "investment_project")
    assert any(f["project"] is None and f["amount"] == 4.8e9 for f in facts)


def test_sector_name_of_a_signing_event_is_not_a_project():
    text = (
        "10月9日，滨湖新区举行新能源汽车产业项目签约活动，安徽驰远电驱科技有限公司和"
        "安徽澜海储能科技有限公司分别投资12亿元和4亿元，建设电驱总成项目和储能变流器项目。"
    )
    facts = sorted(of_kind(run(text), "investment_project"), key=lambda f: f["amount"])
    assert [(f["investor"], f["project"], f["amount"]) for f in facts] == [
        ("安徽澜海储能科技有限公司", "储能变流器项目", 4e8),
        ("安徽驰远电驱科技有限公司", "电驱总成项目", 1.2e9),
    ]


def test_exhortation_to_sign_early_is_not_a_signing():
    text = "园区将持续优化营商环境，推动更多项目早签约、早开工、早投产。"
    assert of_kind(run(text), "investment_project") == []


# --- investment_project: recall -----------------------------------------------------


def test_total_in_a_next_sentence_that_names_the_investor_first():
    text = (
        "5月20日，位于德阳经开区的川岳重装智能制造产业园一期竣工投产。"
        "该项目由四川川岳重型装备有限公司投资建设，总投资32亿元，一期可年产风电齿轮箱800台。"
    )
    (f,) = of_kind(run(text), "investment_project")
    assert f["investor"] == "四川川岳重型装备有限公司"
    assert f["amount"] == 3.2e9 and f["stage"] == "投产"


def test_ceremony_verb_does_not_swallow_the_project_name():
    text = (
        "3月6日，江西赣源锂业有限公司在宜春经开区举行锂云母提锂项目开工仪式。该项目总投资约18亿元。"
    )
    (f,) = of_kind(run(text), "investment_project")
    assert f["project"] == "锂云母提锂项目"
    assert f["amount"] == 1.8e9 and f["stage"] == "开工"


def test_short_name_before_an_added_investment():
    text = (
        "当天，上饶经开区与江西晶锐光伏有限公司签订协议。根据协议，晶锐光伏将追加投资15亿元，"
        "在上饶经开区建设高效电池片二期项目。"
    )
    facts = [f for f in of_kind(run(text), "investment_project") if f["amount"] == 1.5e9]
    assert [f["investor"] for f in facts] == ["江西晶锐光伏有限公司"]


def test_single_project_under_negotiation_is_not_a_batch():
    text = "另有一个医疗器械项目仍在洽谈中。"
    (f,) = of_kind(run(text), "investment_project")
    assert f["project"] == "医疗器械项目" and f["stage"] == "在谈"


def test_an_earlier_dated_stage_in_the_next_sentence_is_its_own_fact():
    text = (
        "日前，河北冀科新材料有限公司在邢台经开区投资建设的碳纤维项目实现全面达产。"
        "该项目总投资约9亿元，于2023年5月建成投产。"
    )
    facts = of_kind(run(text), "investment_project")
    assert sorted(f["stage"] for f in facts) == ["投产", "达产"]
    assert all(f["amount"] == 9e8 for f in facts)
    # Repeating the stage already reported adds nothing.
    text = "日前，冀科碳纤维项目在邢台经开区开工。该项目总投资约9亿元，于今年3月开工。"
    assert len(of_kind(run(text), "investment_project")) <= 1


def test_two_batches_in_one_sentence():
    text = "本批次全市集中开工项目40个，总投资210亿元，其中临港经开区开工项目8个，总投资56亿元。"
    facts = of_kind(run(text), "investment_project")
    assert sorted(f["amount"] for f in facts) == [5.6e9, 2.1e10]
    assert all(f["project"] is None and f["stage"] == "开工" for f in facts)


def test_named_items_before_a_batch_count():
    text = "其中，华创电池模组项目、远航精密齿轮项目等9个项目已竣工投产。"
    facts = of_kind(run(text), "investment_project")
    # The tagger may read 华创电池 as the investor; the project is then its tail (the
    # scorer accepts a name contained in the gold one).
    names = sorted(f["project"] for f in facts)
    assert len(names) == 2
    assert "华创电池模组项目".endswith(names[0]) and names[1] == "远航精密齿轮项目"
    assert {f["stage"] for f in facts} == {"投产"}


def test_pilot_line_is_a_project_and_announcing_is_not_one():
    text = "合肥量弦科技有限公司投资2亿元建设的光量子芯片中试线已于9月投产。"
    (f,) = of_kind(run(text), "investment_project")
    assert f["project"] == "光量子芯片中试线" and f["amount"] == 2e8
    text = "常务副市长李志远宣布项目开工。"
    assert of_kind(run(text), "investment_project") == []


# --- indicators ---------------------------------------------------------------------


def _indicators(text: str) -> dict[str, float]:
    return {f["metric"]: f["value"] for f in of_kind(run(text), "indicator")}


def test_size_class_is_not_an_industry_size():
    got = _indicators("到2028年，全市规模以上工业总产值突破8000亿元。")
    assert got == {"产值": 8e11}


def test_fund_size_is_not_an_indicator():
    got = _indicators("市政府将设立总规模30亿元的集成电路产业投资基金。")
    assert got == {}


def test_growth_of_another_subject_after_a_comma():
    got = _indicators("前三季度，全区工业产值完成650亿元，固定资产投资同比增长7%。")
    assert got == {"产值": 6.5e10}


def test_growth_after_a_comparison_lead_is_kept():
    got = _indicators("江苏锐达科技有限公司2024年营收达到12亿元，较2023年增长35%。")
    assert got == {"营业收入": 1.2e9, "营业收入增速": 35.0}


def test_rd_intensity_and_share_of_revenue_without_ratio_word():
    got = _indicators("2024年，公司研发投入3.2亿元，占营业收入的7.4%。")
    assert got == {"研发投入": 3.2e8, "研发投入占比": 7.4}
    got = _indicators("2024年，公司研发投入强度达到9.6%。")
    assert got == {"研发投入占比": 9.6}


def test_respectively_written_before_the_metric():
    text = "上半年，新型显示和生物医药两大主导产业分别实现产值320亿元和96亿元。"
    facts = of_kind(run(text), "indicator")
    assert sorted((f["subject"], f["value"]) for f in facts) == [
        ("新型显示", 3.2e10),
        ("生物医药", 9.6e9),
    ]


def test_subject_after_a_colon():
    got = _indicators("2024年度报告显示：全年园区实现规模以上工业总产值980亿元，比上年增长8.1%。")
    assert got == {"产值": 9.8e10, "产值增速": 8.1}


def test_threshold_that_defines_a_group_is_not_a_figure():
    got = _indicators("到2027年，培育年营业收入超百亿元的零部件企业8家以上。")
    assert got == {}


def test_overseas_revenue_share_is_export_share():
    got = _indicators("2024年，公司海外营业收入占比为33%。")
    assert got == {"出口占比": 33.0}


# --- positions ----------------------------------------------------------------------


def test_company_anaphor_far_from_the_company_name():
    text = (
        "深圳蓝峰医疗电子股份有限公司成立于2002年。\n\n"
        "便携监护仪是它最早的产品。后来产品线扩展到超声和麻醉。"
        "行业分析认为，国产设备的价格优势明显。基层医院的采购需求也在上升。"
        "\n\n公司董事长何以宁表示，研发投入必须放在首位。"
    )
    (f,) = of_kind(run(text), "holds_position")
    assert f["person"] == "何以宁" and f["org"] == "深圳蓝峰医疗电子股份有限公司"


def test_company_anaphor_with_two_equal_candidates_stays_open():
    text = (
        "江苏远澄科技有限公司与江苏华屹电子有限公司都在无锡。两家企业去年营收相近。"
        "行业分析认为竞争将加剧。价格战已经开始。市场需求仍在增长。"
        "公司董事长陈立表示，将加大投入。"
    )
    (f,) = of_kind(run(text), "holds_position")
    assert f["org"] is None


def test_chain_chief_names_the_chain_not_an_org():
    (f,) = of_kind(run("新材料产业链链长张远航出席会议并讲话。"), "holds_position")
    assert f["position"] == "链长" and f["org"] is None and f["chain"] == "新材料产业链"
    text = "湘潭市先进储能材料产业链链长、副市长王立群主持会议。"
    facts = {f["position"]: f for f in of_kind(run(text), "holds_position")}
    assert facts["链长"]["org"] == "湘潭市" and facts["链长"]["chain"] == "湘潭市先进储能材料产业链"
    assert facts["副市长"]["org"] == "湘潭市" and "chain" not in facts["副市长"]


# --- regions ------------------------------------------------------------------------


def test_place_in_a_laboratory_name_is_also_a_region_mention():
    text = "江门中微子实验室预计明年建成运行。深圳华晟科技有限公司今年营收增长。"
    mentions, _facts = extract_document(text, resources=load_resources())
    regions = [(m.text, m.attrs.get("code")) for m in mentions if m.type is EntityType.REGION]
    assert ("江门", "440700") in regions
    # A company's registered place is not where the article happens.
    assert all(code != "440300" for _t, code in regions)
    nested = [m for m in mentions if m.attrs.get("nested")]
    assert [m.text for m in nested] == ["江门"]
