"""holds_position rules of `extract.core.v10` (docs/fact-extraction-notes.md, unseen set 3).

Sentences written for these tests; names, firms and figures are invented. Each rule that
could over-fire has its near miss.
"""

from __future__ import annotations

from tests.extract._facts_helpers import of_kind, run


def _positions(text: str) -> set[tuple[str, str, str | None]]:
    return {(f["person"], f["position"], f["org"]) for f in of_kind(run(text), "holds_position")}


def test_promotion_keeps_only_the_new_office():
    text = "苏州澜川精密机械有限公司近日调整管理层，公司副总经理韩立升任总经理。"
    got = _positions(text)
    assert ("韩立", "总经理", "苏州澜川精密机械有限公司") in got
    assert not any(p == "韩立升" or t == "副总经理" for p, t, _o in got)


def test_reassigned_former_officer_takes_the_new_title():
    text = "杭州禾屿新材料有限公司宣布，原总经理邹明川改任公司董事长。"
    assert _positions(text) == {("邹明川", "董事长", "杭州禾屿新材料有限公司")}


def test_rank_affiliation_does_not_break_a_list_of_offices():
    text = "温州瓯江智能装备研究院成立。研究院院长由浙江大学教授丁屹担任，首席科学家为卓远航院士。"
    got = _positions(text)
    assert ("丁屹", "院长", "温州瓯江智能装备研究院") in got
    assert ("卓远航", "首席科学家", "温州瓯江智能装备研究院") in got
    assert not any(o == "浙江大学" for _p, _t, o in got)


def test_bare_institute_title_in_the_next_sentence_keeps_the_institute():
    text = (
        "温州瓯江智能装备研究院成立。研究院院长由浙江大学教授丁屹担任。"
        "副院长兼总工程师柯文涛介绍，研究院已组建5个团队。"
    )
    got = _positions(text)
    assert ("柯文涛", "副院长", "温州瓯江智能装备研究院") in got
    assert ("柯文涛", "总工程师", "温州瓯江智能装备研究院") in got


def test_region_level_character_left_out_by_the_tagger():
    text = "即墨区副区长孟书瑶在活动上介绍，园区已集聚企业120家。"
    assert _positions(text) == {("孟书瑶", "副区长", "即墨区")}


def test_office_held_before_at_a_long_named_subsidiary_is_not_current():
    text = "公告显示，钱若溪此前担任全资子公司宁波甬川智能机器人有限公司总经理。"
    assert _positions(text) == set()


def test_repeat_without_organisation_is_dropped():
    text = (
        "宁波甬澜精密机械股份有限公司董事会聘任宋霁为公司总经理。"
        "新任总经理宋霁曾在多家零部件企业任职。"
    )
    assert _positions(text) == {("宋霁", "总经理", "宁波甬澜精密机械股份有限公司")}


def test_whole_city_chain_belongs_to_the_city_for_any_office():
    text = (
        "会议明确，扬州市副市长庞书远兼任全市智能装备产业链链长，"
        "扬州经济技术开发区党工委书记乔默兼任全市新材料产业链链长。"
    )
    got = _positions(text)
    assert ("庞书远", "链长", "扬州市") in got
    assert ("乔默", "链长", "扬州市") in got
    assert ("乔默", "党工委书记", "扬州经济技术开发区") in got


def test_subsidiary_anaphor_takes_the_subsidiary():
    text = (
        "浙江澜舟智能装备股份有限公司公告，董事会聘任沈知夏为公司总经理。"
        "沈知夏此前担任全资子公司宁波澜舟机器人有限公司总经理，今后将继续兼任该子公司执行董事。"
    )
    got = _positions(text)
    assert ("沈知夏", "总经理", "浙江澜舟智能装备股份有限公司") in got
    assert ("沈知夏", "执行董事", "宁波澜舟机器人有限公司") in got
    # The office held before at the subsidiary is not current.
    assert ("沈知夏", "总经理", "宁波澜舟机器人有限公司") not in got


def test_untagged_organisation_inside_a_title_run():
    text = "会上，新区管委会副主任、新区人才服务中心主任邵远航介绍了人才政策。"
    got = _positions(text)
    assert ("邵远航", "副主任", "新区管委会") in got
    assert ("邵远航", "主任", "新区人才服务中心") in got


def test_park_abbreviation_takes_the_full_name_given_in_the_article():
    text = (
        "九江庐湖经济技术开发区举行项目签约仪式。"
        "庐湖经开区党工委书记魏澄在仪式上表示，园区将做好服务保障。"
    )
    assert _positions(text) == {("魏澄", "党工委书记", "九江庐湖经济技术开发区")}


def test_park_abbreviation_without_a_full_name_stays_as_written():
    text = "庐湖经开区党工委书记魏澄在仪式上表示，园区将做好服务保障。"
    assert _positions(text) == {("魏澄", "党工委书记", "庐湖经开区")}


def test_banner_head_is_an_office_of_the_banner():
    text = "鄂尔多斯市副市长韩立群、达拉特旗旗长高文博出席开工仪式。"
    got = _positions(text)
    assert ("高文博", "旗长", "达拉特旗") in got
    assert ("韩立群", "副市长", "鄂尔多斯市") in got


def test_name_without_han_surname_before_an_occasion_and_a_speech_verb():
    text = "包头稀土高新区管委会副主任巴特尔在签约时表示，将做好要素保障。"
    got = _positions(text)
    assert any(p == "巴特尔" and t == "副主任" for p, t, _o in got)


def test_short_name_without_its_trade_word():
    text = (
        "陕西澄峰功率半导体有限公司新基地开工。"
        "澄峰功率董事长魏启航介绍，公司去年营业收入突破5亿元。"
    )
    assert ("魏启航", "董事长", "陕西澄峰功率半导体有限公司") in _positions(text)
