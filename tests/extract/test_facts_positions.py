from tests.extract._facts_helpers import of_kind, run


def triples(text: str) -> set[tuple]:
    return {(f["person"], f["position"], f["org"]) for f in of_kind(run(text), "holds_position")}


def test_org_title_name_and_double_title():
    got = triples("江东精密仪器有限公司董事长兼总经理张立衡表示，订单已排到明年。")
    assert got == {
        ("张立衡", "董事长", "江东精密仪器有限公司"),
        ("张立衡", "总经理", "江东精密仪器有限公司"),
    }


def test_anaphor_resolves_to_subject_company_not_investor():
    text = (
        "合肥衡远传感科技有限公司完成2亿元B轮融资，由北岭资本领投。公司首席科学家罗安平介绍了新品。"
    )
    assert ("罗安平", "首席科学家", "合肥衡远传感科技有限公司") in triples(text)


def test_parenthesised_title_and_short_name_resolution():
    text = "南湖量子研究院成立三年。陈启明（南湖量子研究院院长）说，团队还在扩大。"
    assert ("陈启明", "院长", "南湖量子研究院") in triples(text)


def test_rank_is_not_a_position():
    assert triples("中国科学院院士王志远出席论坛并作报告。") == set()


def test_no_person_no_fact():
    assert triples("开发区招商部门负责人表示，力争年内完成签约。") == set()


def test_office_filled_by_person_later_in_clause():
    text = (
        "创新中心理事长由滨江市副市长林国安兼任，常务副主任由芯源科技有限公司首席科学家薛立担任。"
    )
    got = triples(text)
    assert ("林国安", "理事长", "创新中心") in got
    assert ("林国安", "副市长", "滨江市") in got
    assert ("薛立", "常务副主任", "创新中心") in got
    assert ("薛立", "首席科学家", "芯源科技有限公司") in got


def test_party_secretary_title_keeps_the_park_as_org():
    got = triples("昆山经济技术开发区党工委书记韦思源表示，服务将更加精准。")
    assert ("韦思源", "党工委书记", "昆山经济技术开发区") in got


def test_traditional_founder_title_and_cantonese_surname():
    text = "港栢生物完成融資。公司創辦人兼行政總裁區志恒表示，資金將用於臨床研究。"
    got = triples(text)
    assert ("區志恒", "創辦人", "港栢生物") in got or any(
        p == "區志恒" and pos == "創辦人" for p, pos, _o in got
    )


def test_board_secretary_is_a_position():
    got = triples("宁波甬岳新材料股份有限公司董事会秘书吴敏表示，新项目进展顺利。")
    assert ("吴敏", "董事会秘书", "宁波甬岳新材料股份有限公司") in got


def test_hospital_departments_are_not_organisations_and_industry_words_do_not_cut_names():
    text = (
        "近日，苏州澄镜医疗科技有限公司宣布完成新一轮融资，产品覆盖呼吸科、泌尿科等多个科室。"
        "澄镜医疗创始人兼首席执行官周立言介绍，资金将用于产能扩充。"
    )
    found = triples(text)
    assert ("周立言", "创始人", "苏州澄镜医疗科技有限公司") in found
    assert ("周立言", "首席执行官", "苏州澄镜医疗科技有限公司") in found
    assert not any(org in ("泌尿科", "呼吸科") for _, _, org in found)
