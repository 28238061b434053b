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
