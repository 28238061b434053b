from tests.extract._facts_helpers import of_kind, run


def test_two_targets_in_one_sentence():
    text = "行动计划提出，到2027年，东莞高端装备产业增加值达到500亿元，营业收入达到1800亿元。"
    facts = {f["metric"]: f for f in of_kind(run(text), "indicator")}
    assert facts["增加值"]["value"] == 5e10 and facts["营业收入"]["value"] == 1.8e11
    for f in facts.values():
        assert f["year"] == 2027 and f["target"] is True
        assert "东莞高端装备产业" in f["subject"]


def test_people_count_before_metric_word_and_growth():
    text = "海澜汽车有超3万名研发工程师。2023年，海澜汽车营业收入约12亿元，同比增长20%。"
    facts = {f["metric"]: f for f in of_kind(run(text), "indicator")}
    assert facts["研发人员"]["value"] == 30000 and facts["研发人员"]["unit"] == "名"
    assert facts["营业收入"]["year"] == 2023
    assert facts["营业收入增速"]["value"] == 20


def test_counts_with_region_subject():
    text = "广东已构建由10家省实验室、30家国家重点实验室组成的实验室体系。"
    got = {(f["subject"], f["category"], f["number"]) for f in of_kind(run(text), "count")}
    assert ("广东", "省实验室", 10) in got
    assert ("广东", "国家重点实验室", 30) in got


def test_reporting_year_is_inherited_from_earlier_sentences():
    text = (
        "3月27日晚，江盛智能发布2024年年度报告。报告期内，江盛智能实现营业收入56.3亿元，"
        "同比增长21.4%。"
    )
    facts = {f["metric"]: f for f in of_kind(run(text), "indicator")}
    assert facts["营业收入"]["year"] == 2024 and facts["营业收入增速"]["year"] == 2024


def test_stock_figures_do_not_inherit_a_year():
    text = "2023年，拓川科技营业收入为5亿元。公司现有员工800名。"
    facts = {f["metric"]: f for f in of_kind(run(text), "indicator")}
    assert facts["员工"]["year"] is None


def test_respectively_spreads_over_companies_and_growth():
    text = (
        "赣岭光伏科技有限公司和浙江晖川光能有限公司披露了2023年经营情况。"
        "两家公司全年组件出货量分别为28GWh和19.5GWh，同比分别增长65%和41%。"
    )
    got = {(f["subject"], f["metric"], f["value"]) for f in of_kind(run(text), "indicator")}
    assert ("赣岭光伏科技有限公司", "出货量", 28) in got
    assert ("浙江晖川光能有限公司", "出货量", 19.5) in got
    assert ("浙江晖川光能有限公司", "出货量增速", 41) in got


def test_verb_metric_growth_without_level_and_share_of_revenue():
    text = (
        "今年一季度，柳江汽车销售新能源汽车6.8万辆，同比增长40%。全区汽车工业产值同比增长9.5%。"
        "研发投入达到5.2亿元，占营业收入的比例为9.2%。"
    )
    got = {(f["metric"], f["value"], f["year"]) for f in of_kind(run(text), "indicator")}
    assert ("销量", 68000, 2024) in got
    assert ("销量增速", 40, 2024) in got
    assert ("产值增速", 9.5, 2024) in got
    assert ("研发投入占比", 9.2, 2024) in got


def test_target_carries_over_a_semicolon():
    text = "方案提出，到2027年，全市新能源产业规模突破8000亿元；动力电池年产量达到300GWh。"
    facts = {f["metric"]: f for f in of_kind(run(text), "indicator")}
    assert facts["产量"]["value"] == 300 and facts["产量"]["unit"] == "GWh"
    assert facts["产量"]["year"] == 2027 and facts["产量"]["target"] is True


def test_a_size_spec_is_not_a_capacity():
    text = "芯岳微电子有限公司12英寸晶圆制造项目开工。项目达产后可月产12英寸晶圆4万片。"
    (f,) = [f for f in of_kind(run(text), "indicator") if f["metric"] == "产能"]
    assert f["value"] == 40000 and f["unit"] == "片"


def test_growth_stays_with_its_own_metric():
    text = "公司2023年芯片出货量超过2亿片，今年上半年营业收入同比增长85%，较上年增长超过200%的是海外订单。"
    got = {(f["metric"], f["value"]) for f in of_kind(run(text), "indicator")}
    assert ("营业收入增速", 85) in got
    assert not any(m == "出货量增速" for m, _v in got)


def test_overseas_revenue_share_is_export_share():
    text = "2023年，澄江碳材销售收入14.6亿元，其中海外销售收入占比约为25%。"
    facts = {f["metric"]: f for f in of_kind(run(text), "indicator")}
    assert facts["出口占比"]["value"] == 25 and facts["出口占比"]["year"] == 2023
