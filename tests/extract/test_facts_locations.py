"""located_in: cue verbs, the 「X的Y公司」 attributive, anaphors (sentences written for
these tests)."""

from tests.extract._facts_helpers import of_kind, run


def pairs(text: str) -> set[tuple[str, str]]:
    return {(f["subject"], f["place"]) for f in of_kind(run(text), "located_in")}


def test_attributive_place_de_company():
    text = "近日，无锡的澄湖精密机械有限公司完成了新一轮融资。"
    assert pairs(text) == {("澄湖精密机械有限公司", "无锡")}


def test_attributive_with_descriptor_and_cue():
    text = "同样扎根苏州工业园区的生物科技企业瑞屿医药科技有限公司也完成了融资。"
    assert ("瑞屿医药科技有限公司", "苏州工业园区") in pairs(text)


def test_headquarters_set_in_with_sentence_subject():
    text = "青岚医疗科技有限公司完成B轮融资。公司主要研发人工晶体，总部设在苏州工业园区。"
    assert ("青岚医疗科技有限公司", "苏州工业园区") in pairs(text)


def test_anaphor_with_head_noun():
    text = "南湾生命科学实验室新建的测序平台投入使用。该实验室位于深圳市南山区。"
    assert ("南湾生命科学实验室", "深圳市南山区") in pairs(text)


def test_project_location_is_not_located_in():
    text = "公司位于上饶经济技术开发区的电池片基地已全面达产。该项目坐落于合肥新站高新区。"
    assert pairs(text) == set()


def test_event_venue_is_not_located_in():
    text = "岭南智造科技有限公司在广州开发区发布了新一代协作机器人。"
    assert pairs(text) == set()


def test_company_settles_somewhere():
    text = "由高校团队孵化的汉江量子通信有限公司日前落户东湖高新区。"
    assert ("汉江量子通信有限公司", "东湖高新区") in pairs(text)


def test_company_is_a_firm_headquartered_in():
    text = "海澜风电装备有限公司董事长介绍，公司是一家总部位于江苏省盐城市的风电装备制造企业。"
    assert ("海澜风电装备有限公司", "江苏省盐城市") in pairs(text)


def test_short_name_known_from_the_text():
    text = "北京清衡智算科技有限公司发布新芯片。据悉，清衡智算位于北京市海淀区。"
    assert ("北京清衡智算科技有限公司", "北京市海淀区") in pairs(text)


def test_unknown_short_run_before_cue_is_not_a_subject():
    assert pairs("据悉，新馆位于北京市海淀区。") == set()


def test_place_before_de_plant_is_not_the_company_location():
    text = "安徽皖岳存储科技有限公司位于合肥空港经济示范区的存储芯片封测基地迎来首片晶圆下线。"
    assert pairs(text) == set()
